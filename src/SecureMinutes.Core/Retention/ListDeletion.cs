using Hangfire;
using Microsoft.Extensions.Logging;
using SecureMinutes.Keyring;
using SecureMinutes.Storage;

namespace SecureMinutes.Retention;

/// <summary>
/// <c>list delete LIST --yes</c>: the list's secret keys (current and retired), its minutes with their keys, its
/// members and every other row of it are deleted in one transaction (<see cref="RetentionStore.DeleteListAsync"/>), and
/// its recurring jobs (digest, mail-in fetch) removed. Hangfire jobs already queued for it find nothing and end.
/// </summary>
public sealed partial class ListDeletion(ListStore lists, RetentionStore store, IRecurringJobManager recurring, TimeProvider time, ILogger<ListDeletion> logger)
{
    /// <summary>
    /// Deletes <paramref name="listName"/> and all of it, its own audit log included; the list-less audit
    /// (<see cref="ServiceAuditStore"/>, <c>secureminutes audit</c> without a list) keeps one line: the list's name, its
    /// key's fingerprint, who deleted it and when.
    /// </summary>
    /// <param name="actor">Who asked (<c>--by NAME</c> or the user name at the CLI).</param>
    /// <exception cref="UserFacingException">No such list.</exception>
    public async Task DeleteAsync(string listName, string actor, CancellationToken cancellationToken = default)
    {
        var list = await lists.GetAsync(listName, cancellationToken);
        await store.DeleteListAsync(list.Id, new ServiceAuditEntry(time.GetUtcNow(), actor, AuditActions.ListDeleted, list.Name,
            $"key {list.KeyFingerprint.Hex}; its keys, minutes, members and audit log destroyed"), cancellationToken);
        recurring.RemoveIfExists($"digest-{list.Id}");
        recurring.RemoveIfExists($"mail-in-{list.Id}");
        await store.CompactAsync(cancellationToken);
        LogDeleted(logger, list.Id);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "List {ListId} deleted with everything of it")]
    private static partial void LogDeleted(ILogger logger, long listId);
}

using Hangfire;
using Microsoft.Extensions.Logging;
using SecureMinutes.Storage;

namespace SecureMinutes.Retention;

/// <summary>
/// <c>list delete LIST --yes</c>: the list's secret keys (current and retired), its minutes with their keys, its
/// members and every other row of it are deleted in one transaction (<see cref="RetentionStore.DeleteListAsync"/>), and
/// its recurring jobs (digest, mail-in fetch) removed. Hangfire jobs already queued for it find nothing and end.
/// </summary>
public sealed partial class ListDeletion(ListStore lists, RetentionStore store, IRecurringJobManager recurring, ILogger<ListDeletion> logger)
{
    /// <summary>Deletes <paramref name="listName"/> and all of it.</summary>
    /// <exception cref="UserFacingException">No such list.</exception>
    public async Task DeleteAsync(string listName, CancellationToken cancellationToken = default)
    {
        var list = await lists.GetAsync(listName, cancellationToken);
        await store.DeleteListAsync(list.Id, cancellationToken);
        recurring.RemoveIfExists($"digest-{list.Id}");
        recurring.RemoveIfExists($"mail-in-{list.Id}");
        await store.CompactAsync(cancellationToken);
        LogDeleted(logger, list.Id);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "List {ListId} deleted with everything of it")]
    private static partial void LogDeleted(ILogger logger, long listId);
}

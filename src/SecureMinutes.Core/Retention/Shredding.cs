using Microsoft.Extensions.Logging;
using SecureMinutes.Distribution;
using SecureMinutes.Keyring;
using SecureMinutes.Storage;

namespace SecureMinutes.Retention;

/// <summary>
/// Crypto-shredding of minutes (issue 17): a submission's own key (<see cref="SubmissionSealing"/>) and payload are
/// destroyed, with everything else that held its content (pad capture, web draft); its id, dates and each member's
/// delivery state stay for <c>status</c> and audit. Runs on demand (<c>purge</c>) and daily for each list's retention
/// (<see cref="ApplyRetentionAsync"/>, <see cref="Jobs.RetentionJob"/>). Logs carry ids and counts only; the list's audit
/// log gets one <see cref="AuditActions.MinutesShredded"/> line per purge and per list the retention shredded from (how many,
/// by whom or <see cref="RetentionActor"/>, when), written after the submissions' own transactions: a crash in between
/// leaves them shredded without the line, never a line without the shredding.
/// </summary>
public sealed partial class Shredding(ListStore lists, RetentionStore store, MinutesDraftStore drafts, JobHistoryPurge jobHistory, AuditStore audit,
    TimeProvider time, ILogger<Shredding> logger)
{
    /// <summary>Who the audit says shredded what the daily retention pass shredded.</summary>
    public const string RetentionActor = "retention";

    private const string WhatStays = " (keys and content destroyed; ids, dates and delivery states kept)";

    /// <summary>A list's retention when none was set: content is kept this long after its last copy was final (<c>list set --keep</c>).</summary>
    public const int DefaultKeepDays = 30;

    /// <summary>
    /// Shreds the list's submissions made before <paramref name="before"/> (null: all of them), whether or not they
    /// were delivered: copies still waiting are cancelled, since nothing is left to send. Returns how many were shredded.
    /// </summary>
    /// <param name="actor">Who asked, for the audit line (<c>--by NAME</c> or the user name at the CLI).</param>
    /// <exception cref="UserFacingException">No such list.</exception>
    public async Task<int> PurgeAsync(string listName, DateTimeOffset? before, string actor, CancellationToken cancellationToken = default)
    {
        var list = await lists.GetAsync(listName, cancellationToken);
        var now = time.GetUtcNow();
        var shredded = await ShredAsync(await store.UnshreddedAsync(list.Id, before, cancellationToken), "content shredded by purge before it was sent", now,
            cancellationToken);
        var scope = before is { } at ? FormattableString.Invariant($"--before {at:yyyy-MM-dd HH:mm} UTC") : "--all";
        await audit.AddAsync(new AuditEntry(list.Id, now, actor, AuditActions.MinutesShredded,
            Detail: $"purge {scope}: {shredded} submission(s) shredded{WhatStays}"), cancellationToken);
        await store.DropFinishedCapturesAsync(list.Id, before ?? now.AddTicks(1), cancellationToken);
        await store.CompactAsync(cancellationToken);
        LogPurged(logger, list.Id, shredded);
        return shredded;
    }

    /// <summary>
    /// The daily retention pass: shreds every list's submissions finished longer ago than its retention, drops failed
    /// captures and forgotten drafts, and Hangfire's finished-job history older than the shortest retention. Returns
    /// how many submissions were shredded.
    /// </summary>
    public async Task<int> ApplyRetentionAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var due = (await store.DueAsync(now, DefaultKeepDays, cancellationToken)).ToLookup(d => d.ListId, d => d.Id);
        var shredded = 0;
        var shortest = DefaultKeepDays;
        foreach (var list in await lists.AllAsync(cancellationToken))
        {
            var keep = await store.GetKeepDaysAsync(list.Id, cancellationToken) ?? DefaultKeepDays;
            shortest = Math.Min(shortest, keep);
            var count = await ShredAsync(due[list.Id].ToList(), "content shredded by retention before it was sent", now, cancellationToken);
            if (count > 0)
            {
                await audit.AddAsync(new AuditEntry(list.Id, now, RetentionActor, AuditActions.MinutesShredded,
                    Detail: $"retention ({keep} day(s) after the last copy): {count} submission(s) shredded{WhatStays}"),
                    cancellationToken);
            }

            shredded += count;
            await store.DropFinishedCapturesAsync(list.Id, now - TimeSpan.FromDays(keep), cancellationToken);
        }

        await drafts.DeleteOlderThanAsync(now - MinutesDrafts.Lifetime, cancellationToken);
        var jobsExpired = jobHistory.Purge(now - TimeSpan.FromDays(shortest));
        await store.CompactAsync(cancellationToken);
        LogRetention(logger, shredded, jobsExpired);
        return shredded;
    }

    private async Task<int> ShredAsync(IReadOnlyList<string> submissionIds, string detail, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var id in submissionIds)
        {
            if (await store.ShredAsync(id, detail, now, cancellationToken))
            {
                count++;
                LogShredded(logger, id);
            }
        }

        return count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Submission {SubmissionId}: content shredded")]
    private static partial void LogShredded(ILogger logger, string submissionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "List {ListId}: {Count} submission(s) shredded by purge")]
    private static partial void LogPurged(ILogger logger, long listId, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: {Count} submission(s) shredded, {Jobs} finished job(s) expired from the job history")]
    private static partial void LogRetention(ILogger logger, int count, int jobs);
}

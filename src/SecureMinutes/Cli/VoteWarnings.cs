using SecureMinutes.Minutes.Votes;

namespace SecureMinutes.Cli;

/// <summary>
/// Before minutes with votes are sent: each count that does not add up is a warning line on stderr, and sending
/// needs <c>--yes</c> (the minutes are never "corrected"); minutes that add up get a note that a summary opens them.
/// </summary>
internal static class VoteWarnings
{
    /// <summary>Prints what does not add up and refuses (one error line) unless <paramref name="sendAnyway"/>; returns what was read.</summary>
    public static async Task<MinutesVotes> CheckAsync(TextWriter error, string text, bool sendAnyway)
    {
        var votes = MinutesSummary.Read(text);
        foreach (var problem in votes.HasVotes ? votes.Problems : [])
        {
            await error.WriteLineAsync(FormattableString.Invariant($"warning: line {problem.Line}: {problem.English}"));
        }

        if (votes.HasVotes && votes.Problems.Count > 0 && !sendAnyway)
        {
            throw new UserFacingException(FormattableString.Invariant(
                $"{votes.Problems.Count} problem(s) in the votes, nothing was sent: correct the minutes, or send them as they are with --yes (the summary then lists the problems)"));
        }

        return votes;
    }

    /// <summary>Once the minutes are submitted: says that a summary opens them, when they hold votes.</summary>
    public static async Task NoteAsync(TextWriter error, MinutesVotes votes)
    {
        if (votes.HasVotes)
        {
            await error.WriteLineAsync(FormattableString.Invariant(
                $"note: the mail opens with a summary of {votes.Decisions.Count} decision(s) and {votes.Tasks.Count} task(s)"));
        }
    }
}

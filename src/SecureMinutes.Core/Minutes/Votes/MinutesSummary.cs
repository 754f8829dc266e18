namespace SecureMinutes.Minutes.Votes;

/// <summary>
/// Decisions and votes summarised at the top of the minutes: what every intake path (a file, a pad now or at a
/// set time, mail-in, and later the web page) goes through on its way to the sealed payload, so members receive
/// exactly what was checked. The CLI and the web page call <see cref="Check"/> first to show the note-taker what
/// does not add up before anything is sent.
/// </summary>
public static class MinutesSummary
{
    /// <summary>The votes, decisions, tasks and problems found in minutes text (nothing when it holds no « Vote : » line).</summary>
    public static MinutesVotes Read(string text) => VoteParser.Parse(text);

    /// <summary>What does not add up in the minutes' votes, in line order; empty for minutes without votes.</summary>
    public static IReadOnlyList<VoteProblem> Check(string text) => Read(text) is { HasVotes: true } votes ? votes.Problems : [];

    /// <summary>
    /// The minutes with their summary (<see cref="MinutesDocument.Summary"/>) when they hold votes; otherwise the very
    /// same document, so minutes without votes are sent byte for byte as given. A document that already has a
    /// summary keeps it.
    /// </summary>
    public static MinutesDocument AddTo(MinutesDocument minutes)
    {
        if (minutes.Summary is not null)
        {
            return minutes;
        }

        var votes = Read(minutes.Text);
        return votes.HasVotes ? minutes with { Summary = SummaryWriter.ToMarkdown(votes) } : minutes;
    }
}

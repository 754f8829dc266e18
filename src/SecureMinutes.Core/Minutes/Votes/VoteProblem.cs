using SecureMinutes.Lists;

namespace SecureMinutes.Minutes.Votes;

public enum VoteProblemKind
{
    /// <summary>A counted vote without one of its three counts (« pour ___ »).</summary>
    MissingCount,

    /// <summary>More votes than people present, when the presence count is given.</summary>
    MoreVotesThanPresent,

    /// <summary>The same count written twice on one vote line.</summary>
    RepeatedCount,

    /// <summary>Recorded as consensus or unanimity, yet with votes against.</summary>
    Contradiction,

    /// <summary>The note-taker wrote « adoptée » where the counts and rule give « rejetée », or the reverse.</summary>
    StatedOutcomeDiffers,

    /// <summary>A decision rule this does not understand (« majorité qualifiée » without its share).</summary>
    UnknownRule,
}

/// <summary>
/// Something in the votes that does not add up, shown to the note-taker before sending (CLI: a warning, and
/// <c>--yes</c> to send anyway) and in the summary itself: never corrected silently.
/// </summary>
/// <param name="Line">1-based line in the minutes.</param>
/// <param name="English">For the note-taker at the command line.</param>
/// <param name="French">For the summary of French minutes.</param>
public sealed record VoteProblem(VoteProblemKind Kind, int Line, string English, string French)
{
    /// <summary>The problem in the minutes' language, for their summary.</summary>
    public string In(ListLanguage language) => language == ListLanguage.French ? French : English;
}

namespace SecureMinutes.Minutes.Votes;

/// <summary>How a vote was recorded: counted (for / against / abstain), or by consensus or unanimity without counts.</summary>
public enum VoteKind
{
    Counted,
    Consensus,
    Unanimous,
}

/// <summary>
/// The counts a note-taker wrote, each null when it was left out or left blank (<c>pour ___</c>): a missing count
/// is reported, never taken as zero.
/// </summary>
public sealed record VoteCounts(int? For, int? Against, int? Abstain)
{
    public static readonly VoteCounts None = new(null, null, null);

    public bool IsComplete => For is not null && Against is not null && Abstain is not null;

    public bool IsEmpty => For is null && Against is null && Abstain is null;

    /// <summary>Everyone who raised a hand, abstentions included (what cannot exceed the people present).</summary>
    public int Total => (For ?? 0) + (Against ?? 0) + (Abstain ?? 0);
}

/// <summary>What a vote decided under its rule; undetermined when counts are missing or the rule was not understood.</summary>
public enum VoteOutcome
{
    Passed,
    Rejected,
    Undetermined,
}

namespace SecureMinutes.Minutes.Votes;

/// <summary>
/// One vote found in the minutes: what it was about (the agenda item's heading, or the proposal), how it was
/// recorded, the rule it was held under (the AG's, or its own « Vote (2/3) : »), and the outcome that rule gives.
/// </summary>
/// <param name="Line">1-based line of the « Vote : » line, for the note-taker's warnings.</param>
/// <param name="Rule">Null when the rule stated for it was not understood: the outcome is then undetermined.</param>
/// <param name="OwnRule">True when the vote named its own rule rather than the AG's.</param>
public sealed record Decision(string Title, int Line, VoteKind Kind, VoteCounts Counts, DecisionRule? Rule, bool OwnRule, VoteOutcome Outcome);

using SecureMinutes.Lists;

namespace SecureMinutes.Minutes.Votes;

/// <summary>
/// What the minutes record about decisions: the people present (when a number was given), the AG's decision
/// rule, each vote with its outcome, the task list, and what does not add up. The summary at the top of the
/// mail is written from this; minutes without a vote have nothing to summarise.
/// </summary>
/// <param name="Language">The language the minutes are written in (their vote words and labels), which the summary speaks.</param>
/// <param name="Present">From « Présent·es : 84 » / "Present: 84"; null when not given as a number.</param>
/// <param name="Rule">The AG's rule; simple majority when none was stated (<paramref name="RuleStated"/> false); null when the stated one was not understood.</param>
public sealed record MinutesVotes(ListLanguage Language, int? Present, DecisionRule? Rule, bool RuleStated, IReadOnlyList<Decision> Decisions,
    IReadOnlyList<string> Tasks, IReadOnlyList<VoteProblem> Problems)
{
    public bool HasVotes => Decisions.Count > 0;
}

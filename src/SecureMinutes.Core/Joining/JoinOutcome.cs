using SecureMinutes.Lists;

namespace SecureMinutes.Joining;

/// <summary>What opening a challenge's confirmation link did.</summary>
public abstract record JoinOutcome
{
    private JoinOutcome()
    {
    }

    /// <summary>The link is unknown, used, or expired (all alike: a link says nothing about who it was for).</summary>
    public sealed record Invalid : JoinOutcome;

    /// <summary>The invite was revoked, expired or used up before the link was opened.</summary>
    public sealed record InviteClosed : JoinOutcome;

    /// <summary>The person is now a member of <paramref name="List"/>.</summary>
    public sealed record Joined(MailingList List, Member Member) : JoinOutcome;

    /// <summary>Proven, and waiting for a list admin of <paramref name="List"/> (an invite with <c>--approve</c>).</summary>
    public sealed record AwaitingApproval(MailingList List) : JoinOutcome;

    /// <summary>The address was already a member of <paramref name="List"/>: nothing changed (safe to say now: mailbox and key are proven).</summary>
    public sealed record AlreadyMember(MailingList List) : JoinOutcome;

    /// <summary>The key can no longer be accepted (it expired or was revoked since the request): the reason, in one line.</summary>
    public sealed record KeyRefused(string Reason) : JoinOutcome
    {
        /// <summary><see cref="Reason"/> as a code and its arguments, for the page to word in its reader's language.</summary>
        public Keys.KeyProblem? Code { get; init; }
    }
}

using SecureMinutes.Keys;
using SecureMinutes.Lists;

namespace SecureMinutes.SelfService;

/// <summary>What a step of a key update did.</summary>
public abstract record KeyUpdateOutcome
{
    private KeyUpdateOutcome()
    {
    }

    /// <summary>The link is unknown, used or expired (all alike).</summary>
    public sealed record Invalid : KeyUpdateOutcome;

    /// <summary>The key given cannot be accepted: the reason in one line, as <c>member add</c> gives it. Nothing changed.</summary>
    public sealed record Refused(string Reason) : KeyUpdateOutcome
    {
        /// <summary><see cref="Reason"/> as a code and its arguments, when it is a key's refusal (for the page to word in its reader's language).</summary>
        public KeyProblem? Code { get; init; }
    }

    /// <summary>A newer copy of the same key (e.g. its expiry extended): merged at once, its self-signatures being the proof.</summary>
    public sealed record Merged(MailingList List) : KeyUpdateOutcome;

    /// <summary>Challenges were sent: to the new key, and to the old key when <paramref name="OldKeyAsked"/>.</summary>
    public sealed record Challenged(MailingList List, bool OldKeyAsked) : KeyUpdateOutcome;

    /// <summary>This confirmation counted; the other (old or new key's) is still awaited.</summary>
    public sealed record NeedsOtherConfirmation(MailingList List) : KeyUpdateOutcome;

    /// <summary>The new key is proven; the old key could not confirm, so a list admin decides.</summary>
    public sealed record AwaitingAdmin(MailingList List) : KeyUpdateOutcome;

    /// <summary>The member is now pinned to the new key.</summary>
    public sealed record Updated(MailingList List) : KeyUpdateOutcome;
}

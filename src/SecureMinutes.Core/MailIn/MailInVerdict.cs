using SecureMinutes.Lists;
using SecureMinutes.Minutes;

namespace SecureMinutes.MailIn;

public enum MailInRefusal
{
    NotEncrypted,
    InlinePgp,
    NotDecryptable,
    NotSigned,
    BadSignature,
    UnknownSigner,
    NotNoteTaker,
    Empty,
    TooLarge,
}

/// <summary>
/// What to do with one incoming mail: distribute it (<see cref="Minutes"/> is set) or refuse it. <see cref="Key"/>
/// identifies the mail for exactly-once processing; <see cref="ReplyTo"/> is the member (never a stranger) who
/// is told why it was refused.
/// </summary>
public sealed record MailInVerdict(string Key, MinutesDocument? Minutes, MailInRefusal? Refusal, string Reason, Member? ReplyTo)
{
    public bool Accepted => Minutes is not null;

    public static MailInVerdict Accept(string key, MinutesDocument minutes, Member signer) => new(key, minutes, null, $"signed by {signer.Email}", null);

    public static MailInVerdict Refuse(string key, MailInRefusal refusal, string reason, Member? replyTo) => new(key, null, refusal, reason, replyTo);

    public string OutcomeText => Accepted ? "accepted" : $"refused-{Refusal.ToString()!.ToLowerInvariant()}";
}

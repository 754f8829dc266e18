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

    /// <summary>A key update whose signing key is not the one on file for its From address (<see cref="KeyUpdateMail"/>).</summary>
    SignerNotSender,

    /// <summary>A key update signed too long ago, or before the signer was pinned to that key: a replay.</summary>
    StaleSignature,

    /// <summary>A key update that cannot be taken as it is (several new keys).</summary>
    KeyUpdateUnclear,
}

/// <summary>
/// What to do with one incoming mail: distribute it (<see cref="Minutes"/> is set), start a member's key update
/// (<see cref="KeyUpdate"/> is set) or refuse it. <see cref="Key"/>
/// identifies the mail for exactly-once processing; <see cref="ReplyTo"/> is the member (never a stranger) who
/// is told why it was refused.
/// </summary>
public sealed record MailInVerdict(string Key, MinutesDocument? Minutes, MailInRefusal? Refusal, string Reason, Member? ReplyTo)
{
    public bool Accepted => Minutes is not null;

    /// <summary>Set when the mail is a member's key-update request (<see cref="ReplyTo"/> is then that member, the signer).</summary>
    public KeyUpdateMail? KeyUpdate { get; init; }

    /// <summary>The refusal is of a key-update request: it is answered with the key-update words (<see cref="KeyUpdateMailText"/>).</summary>
    public bool AboutKeyUpdate { get; init; }

    /// <summary>A key-update request by <paramref name="signer"/>, to be judged and challenged.</summary>
    public static MailInVerdict RequestKeyUpdate(string key, KeyUpdateMail request, Member signer) =>
        new(key, null, null, $"key update signed by {signer.Email}", signer) { KeyUpdate = request };

    public static MailInVerdict Accept(string key, MinutesDocument minutes, Member signer) => new(key, minutes, null, $"signed by {signer.Email}", null);

    public static MailInVerdict Refuse(string key, MailInRefusal refusal, string reason, Member? replyTo) => new(key, null, refusal, reason, replyTo);

    public string OutcomeText => Accepted ? "accepted" : KeyUpdate is not null ? "key-update" : $"refused-{Refusal.ToString()!.ToLowerInvariant()}";
}

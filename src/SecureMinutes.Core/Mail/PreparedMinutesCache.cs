namespace SecureMinutes.Mail;

/// <summary>
/// A submission's minutes as prepared for its first batch (<see cref="PreparedMinutes"/>: built, signed, compressed),
/// kept for the next batches a worker runs soon after: a submission to 10,000 members is 400 batches of 25, and each
/// would otherwise open the sealed payload and the list key and sign again (~10 ms CPU per batch).
/// <para>
/// Keyed by everything the prepared minutes depend on: the submission (its content and Message-ID), the key that signs
/// it, and the list's address and display name (the From: inside and out). Entries live
/// <see cref="MaxAge"/> at most, so a batch retried later is signed and dated afresh; at most <see cref="Capacity"/>
/// submissions are kept (the oldest go first). Holds the minutes in memory only, never a secret key. Safe to use from
/// several threads at once.
/// </para>
/// </summary>
public sealed class PreparedMinutesCache(TimeProvider time)
{
    /// <summary>How long prepared minutes are reused: the Date a member sees is when they were signed.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(10);

    /// <summary>How many submissions' prepared minutes are kept at once.</summary>
    public const int Capacity = 4;

    private readonly Lock _gate = new();
    private readonly List<(Key Key, DateTimeOffset At, PreparedMinutes Minutes)> _entries = [];

    /// <summary>The prepared minutes for this key if made less than <see cref="MaxAge"/> ago, else null.</summary>
    public PreparedMinutes? Find(string submissionId, string signerFingerprint, string listMailbox)
    {
        var key = new Key(submissionId, signerFingerprint, listMailbox);
        var now = time.GetUtcNow();
        lock (_gate)
        {
            _entries.RemoveAll(e => now - e.At > MaxAge);
            return _entries.FirstOrDefault(e => e.Key == key).Minutes;
        }
    }

    /// <summary>Keeps <paramref name="minutes"/> for this key (replacing an older entry for it).</summary>
    public void Add(string submissionId, string signerFingerprint, string listMailbox, PreparedMinutes minutes)
    {
        var key = new Key(submissionId, signerFingerprint, listMailbox);
        lock (_gate)
        {
            _entries.RemoveAll(e => e.Key == key);
            _entries.Add((key, time.GetUtcNow(), minutes));
            if (_entries.Count > Capacity)
            {
                _entries.RemoveAt(0);
            }
        }
    }

    private readonly record struct Key(string SubmissionId, string SignerFingerprint, string ListMailbox);
}

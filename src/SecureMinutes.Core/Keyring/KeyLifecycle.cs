using System.Globalization;
using Org.BouncyCastle.Bcpg.OpenPgp;
using SecureMinutes.Distribution;
using SecureMinutes.Keys;
using SecureMinutes.Lists;
using SecureMinutes.Mail;
using SecureMinutes.Notices;
using SecureMinutes.Storage;

namespace SecureMinutes.Keyring;

/// <summary>What one lifecycle run did for a list.</summary>
public sealed record LifecycleReport(
    IReadOnlyList<(Member Member, DateTimeOffset Expires, int DaysLeft)> Warned,
    IReadOnlyList<(Member Member, string Problem)> Suspended,
    bool AdminsTold);

/// <summary>
/// The daily look at each member's key. At each configured threshold before expiry (30, 7 and 1 days by
/// default) the member gets an encrypted mail on how to extend it, and the admins a summary; each threshold
/// is recorded, so a threshold is told once and not on every run (extending the key starts afresh). A key
/// found expired or revoked is reported to the admins once: that member's copies are skipped meanwhile.
/// </summary>
public sealed class KeyLifecycle(
    MemberStore members, KeyNoticeStore notices, AuditStore audit, DistributionService distribution, AdminNotices adminNotices,
    KeyringOptions options, TimeProvider time)
{
    public const string Actor = "lifecycle job";

    public async Task<LifecycleReport> RunAsync(MailingList list, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var warned = new List<(Member, DateTimeOffset, int)>();
        var suspended = new List<(Member, string)>();
        var judged = new List<(long, byte[], KeySummary)>();
        foreach (var member in await members.ListAsync(list.Id, cancellationToken))
        {
            // Judged afresh once a day, and stored: what passing time changes besides expiries (self-signatures
            // dated in the future, signature expiry) reaches the stored judgements this way.
            var key = KeyAssessor.Assess(new PgpPublicKeyRing(member.PublicKey), now);
            judged.Add((member.Id, member.PublicKey, KeySummary.Of(key, member.PublicKey)));
            if (key.Status.CanReceive())
            {
                if (key.Expires is { } expires && await WarnAsync(list, member, expires, now, cancellationToken) is { } daysLeft)
                {
                    warned.Add((member, expires, daysLeft));
                }
            }
            else if (DeadKeyEvent(key) is { } @event && await notices.TryClaimAsync(member.Id, member.Fingerprint, @event, now, cancellationToken))
            {
                suspended.Add((member, key.Problem ?? key.Status.ToText()));
                await audit.AddAsync(new AuditEntry(list.Id, now, Actor, key.Status == KeyStatus.Revoked ? AuditActions.KeyRevoked : AuditActions.KeyExpired,
                    member.Email, member.Fingerprint.Hex, null, $"deliveries suspended: {key.Problem}"), cancellationToken);
            }
        }

        await members.SaveKeySummariesAsync(judged, cancellationToken);
        var told = (warned.Count > 0 || suspended.Count > 0)
            && await adminNotices.SendAsync(list, ExpiryWarningText.ToAdmins(list, warned, suspended), cancellationToken);
        return new LifecycleReport(warned, suspended, told);
    }

    /// <summary>
    /// The notice recorded when a key is found dead (revoked, or expired on a given date), shared with the
    /// refresh job so the admins hear of one revocation once, from whichever job saw it first.
    /// </summary>
    public static string? DeadKeyEvent(KeyAssessment key) => key.Status switch
    {
        KeyStatus.Revoked => "revoked",
        KeyStatus.Expired => $"expired:{key.Expires?.ToUnixTimeSeconds()}",
        _ => null,
    };

    /// <summary>Sends the member one warning for the closest threshold crossed since the last one; returns the days left, or null.</summary>
    private async Task<int?> WarnAsync(MailingList list, Member member, DateTimeOffset expires, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var left = expires - now;
        var crossed = options.ExpiryWarningDays.Where(days => left <= TimeSpan.FromDays(days)).ToList();
        if (crossed.Count == 0)
        {
            return null;
        }

        // Several thresholds crossed at once (a key imported 5 days before expiry) give one mail, not three.
        var claimed = new List<string>();
        foreach (var days in crossed)
        {
            var @event = string.Create(CultureInfo.InvariantCulture, $"warn:{expires.ToUnixTimeSeconds()}:{days}d");
            if (await notices.TryClaimAsync(member.Id, member.Fingerprint, @event, now, cancellationToken))
            {
                claimed.Add(@event);
            }
        }

        if (claimed.Count == 0)
        {
            return null;
        }

        var daysLeft = Math.Max(0, (int)Math.Ceiling(left.TotalDays));
        try
        {
            var mail = ExpiryWarningText.ToMember(list, member, expires, daysLeft);
            await distribution.SendAsync(new NewSubmission(list, SubmissionKind.Notice, MinutesPayload.FromDocument(mail), [member]), cancellationToken);
        }
        catch
        {
            // Not stored: the next run tries again rather than believing the member was told.
            foreach (var @event in claimed)
            {
                await notices.ReleaseAsync(member.Id, member.Fingerprint, @event, CancellationToken.None);
            }

            throw;
        }

        return daysLeft;
    }
}

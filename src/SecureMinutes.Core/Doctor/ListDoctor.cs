using System.Runtime.CompilerServices;
using Org.BouncyCastle.Bcpg.OpenPgp;
using SecureMinutes.Keys;
using SecureMinutes.Lists;
using SecureMinutes.Mail;
using SecureMinutes.Storage;
using SecureMinutes.Secrets;

namespace SecureMinutes.Doctor;

/// <summary>
/// <c>secureminutes doctor LIST</c>: can this list's minutes reach every member right now? Checks, in order,
/// the way to the provider (DNS, TCP, TLS, login, the list address as sender), then the list key, the
/// members' keys, the admins, and whether sending is paused or being slowed down by the provider. Each
/// check is one line; a failure carries the command or setting that fixes it.
/// </summary>
public sealed class ListDoctor(ListStore lists, ListService listService, MemberStore members, ProviderStore providers, PacingStore pacing, TimeProvider time)
{
    public async IAsyncEnumerable<DoctorCheck> RunAsync(string listName, Func<string, string?>? environment = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var list = await lists.GetAsync(listName, cancellationToken);
        var provider = await providers.FindAsync(list.Id, cancellationToken);
        if (provider is null)
        {
            yield return DoctorCheck.Fail("provider", "no provider is set",
                $"secureminutes provider set {list.Name} --preset {string.Join('|', ProviderPreset.All.Where(p => !p.IsCustom).Select(p => p.Name))} --user NAME --password-env VAR");
        }
        else if (provider.Kind == TransportKind.Outbox)
        {
            yield return Outbox(provider.OutboxDirectory!, list.Name);
        }
        else
        {
            yield return DoctorCheck.Ok("provider", provider.Describe());
            var probe = new ProviderProbe(provider, list.Name, list.Address, environment ?? SecretEnvironment.Get);
            await foreach (var check in probe.RunAsync(cancellationToken))
            {
                yield return check;
            }
        }

        yield return await ListKeyAsync(list, cancellationToken);
        var memberList = await members.ListAsync(list.Id, cancellationToken);
        yield return Keyring(list, memberList);
        yield return Admins(list, memberList);
        yield return Sending(list);
        if (await PacingAsync(list, cancellationToken) is { } pace)
        {
            yield return pace;
        }
    }

    private static DoctorCheck Outbox(string directory, string listName)
    {
        try
        {
            Directory.CreateDirectory(directory);
            var probe = Path.Combine(directory, $".doctor-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return DoctorCheck.Ok("provider", $"outbox folder {directory} is writable (mail is written there, not sent)");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return DoctorCheck.Fail("provider", $"the outbox folder {directory} is not writable: {ex.Message.TrimEnd('.')}",
                $"fix its permissions, or choose another: provider set {listName} --outbox DIR");
        }
    }

    private async Task<DoctorCheck> ListKeyAsync(MailingList list, CancellationToken cancellationToken)
    {
        var assessment = KeyAssessor.Assess(new PgpPublicKeyRing(list.PublicKey), time.GetUtcNow());
        try
        {
            _ = ListPgpContext.SigningKeyOf(await listService.OpenSecretKeyAsync(list, cancellationToken));
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or PgpException or InvalidDataException or UserFacingException)
        {
            return DoctorCheck.Fail("list key", $"the list's secret key cannot be opened here: {ex.Message.TrimEnd('.')}",
                "run with the SECUREMINUTES_PASSPHRASE or key file (SECUREMINUTES_KEY_FILE) the list was created with");
        }

        var expiry = assessment.Expires is { } e ? FormattableString.Invariant($"expires {e:yyyy-MM-dd}") : "does not expire";
        return assessment.Status switch
        {
            KeyStatus.Usable => DoctorCheck.Ok("list key", $"{list.KeyFingerprint.Grouped} signs for {list.Address}, {expiry}"),
            KeyStatus.ExpiringSoon => DoctorCheck.Warn("list key", $"{list.KeyFingerprint.Grouped} {expiry}",
                "members cannot verify mail signed after that date: plan a new list key and send it to the members"),
            _ => DoctorCheck.Fail("list key", $"{list.KeyFingerprint.Grouped} cannot sign: {assessment.Problem}",
                "members would see broken signatures: the list needs a new key, sent to every member"),
        };
    }

    private DoctorCheck Keyring(MailingList list, IReadOnlyList<Member> memberList)
    {
        if (memberList.Count == 0)
        {
            return DoctorCheck.Warn("keyring", "the list has no members yet", $"secureminutes member add {list.Name} EMAIL --key FILE");
        }

        var now = time.GetUtcNow();
        var assessed = memberList.Select(m => (Member: m, Key: KeyAssessor.Assess(new PgpPublicKeyRing(m.PublicKey), now))).ToList();
        var unusable = assessed.Where(a => !a.Key.Status.CanReceive()).ToList();
        var expiring = assessed.Count(a => a.Key.Status == KeyStatus.ExpiringSoon);
        var usable = assessed.Count - unusable.Count;
        var soon = expiring > 0 ? $", {expiring} expiring within {KeyAssessor.ExpiringSoonWindow.TotalDays:F0} days" : "";
        if (unusable.Count == 0)
        {
            return expiring == 0
                ? DoctorCheck.Ok("keyring", $"{usable} member key(s), all usable")
                : DoctorCheck.Warn("keyring", $"{usable} member key(s) usable{soon}", $"ask those members for an extended key (secureminutes member list {list.Name})");
        }

        var examples = string.Join("; ", unusable.Take(3).Select(u => $"{u.Member.Email}: {u.Key.Problem}")) + (unusable.Count > 3 ? "; …" : "");
        var detail = $"{usable} of {assessed.Count} member key(s) usable{soon}; not sent to (never in clear): {examples}";
        var fix = $"ask them for a current key, then: secureminutes member add {list.Name} EMAIL --key FILE --replace";
        return usable == 0 ? DoctorCheck.Fail("keyring", detail, fix) : DoctorCheck.Warn("keyring", detail, fix);
    }

    private static DoctorCheck Admins(MailingList list, IReadOnlyList<Member> memberList)
    {
        var admins = memberList.Where(m => m.IsAdmin).Select(m => m.Email).ToList();
        return admins.Count == 0
            ? DoctorCheck.Warn("admins", "the list has no admin: nobody is told about failed copies, unusable keys or a paused list",
                $"secureminutes member set {list.Name} EMAIL --admin")
            : DoctorCheck.Ok("admins", $"{admins.Count} admin(s) told of problems: {string.Join(", ", admins)}");
    }

    private static DoctorCheck Sending(MailingList list)
    {
        var rate = list.RatePerMinute is { } r ? $"at most {r}/min" : "no rate limit";
        var cap = list.DailyCap is { } c ? $", {c}/day" : "";
        if (!list.IsPaused)
        {
            return DoctorCheck.Ok("sending", $"not paused; {rate}{cap}");
        }

        var since = FormattableString.Invariant($"{list.PausedAt:yyyy-MM-dd HH:mm} UTC");
        return DoctorCheck.Fail("sending", $"paused since {since}: {list.PausedReason}", Lists.ListPause.Advice(list.Name, list.PausedReason!));
    }

    /// <summary>Only shown when the provider slowed the list down in the last day.</summary>
    private async Task<DoctorCheck?> PacingAsync(MailingList list, CancellationToken cancellationToken)
    {
        var state = await pacing.GetAsync(list.Id, cancellationToken);
        if (state.LastThrottleAt is not { } last || time.GetUtcNow() - last > TimeSpan.FromDays(1))
        {
            return null;
        }

        var perMinute = state.ThrottleInterval > TimeSpan.Zero ? Math.Max(1, (int)(TimeSpan.FromMinutes(1) / state.ThrottleInterval)) : (int?)null;
        var now = perMinute is { } n ? $"; it now sends at most about {n}/min and speeds up again gradually" : "; it is back to its own rate";
        return DoctorCheck.Warn("pacing",
            FormattableString.Invariant($"the provider asked the list to slow down {state.DeferralCount} time(s), last at {last:yyyy-MM-dd HH:mm} UTC{now}"),
            $"nothing is lost; to stay under the provider's limit from the start: secureminutes list set {list.Name} --rate {Math.Max(1, (perMinute ?? list.RatePerMinute ?? 20) * 3 / 4)}");
    }
}

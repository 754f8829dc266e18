using System.Text;
using Org.BouncyCastle.Bcpg.OpenPgp;
using SecureMinutes.Distribution;
using SecureMinutes.Joining;
using SecureMinutes.Keys;
using SecureMinutes.Lists;
using SecureMinutes.Mail;
using SecureMinutes.Minutes;
using SecureMinutes.Secrets;
using SecureMinutes.Storage;

namespace SecureMinutes.Tests.Support;

/// <summary>
/// Issue 17's seized-disk flow, shared by the SQLite spec and the PostgreSQL test: in passphrase mode, two members join
/// by the CLI's way (one verified, one spelled in capitals, a key notice recorded), a third asks to join by invite (a
/// pending challenge), minutes carrying <see cref="MinutesToken"/> go out through the outbox, and a provider answer
/// quoting an address is recorded. <see cref="Needles"/> is everything that must then be absent from the stored bytes.
/// </summary>
internal static class SeizedDiskFlow
{
    public const string Passphrase = "seized disk: correct horse battery staple";
    public const string MinutesToken = "seized-minutes-token-5k2p";

    private static readonly (string Key, string Email)[] Members = [("camille", "Camille@Members.Example.Test"), ("dominique", "dominique@members.example.test")];
    private const string Joiner = "sacha@members.example.test";

    /// <summary>The settings the flow's services need: the passphrase (so the vault is in passphrase mode) and a public address for invites.</summary>
    public static Dictionary<string, string?> Environment() => new()
    {
        [Vault.PassphraseVariable] = Passphrase,
        [SecureMinutesOptions.PublicUrlVariable] = "https://minutes.example.test",
    };

    /// <param name="demoKeys">The repository's keys-example folder (camille, dominique and sacha's public keys).</param>
    public static async Task RunAsync(TestServices services, string outbox, string demoKeys)
    {
        var list = await services.Get<ListService>().CreateAsync("ag", "ag@lists.example.test", "AG");
        await services.Get<ProviderSetup>().SetOutboxAsync("ag", outbox);
        var membership = services.Get<Membership>();
        foreach (var (key, email) in Members)
        {
            await membership.AddAsync("ag", email, DemoKeyBytes(demoKeys, key), key + ".pub.asc", new MemberOptions(AllowUserIdMismatch: true, IsAdmin: key == "camille", Actor: "cli"));
        }

        var camille = await services.Get<MemberStore>().FindAsync(list.Id, "camille@members.example.test") ?? throw new InvalidOperationException("camille is missing");
        await services.Get<MemberVerification>().VerifyAsync("ag", "CAMILLE@members.example.test", camille.Fingerprint.Hex, "cli");
        await services.Get<KeyNoticeStore>().TryClaimAsync(camille.Id, camille.Fingerprint, "warn:1:7d", services.Time.GetUtcNow());

        var invite = await services.Get<JoinInvites>().CreateAsync("ag", TimeSpan.FromDays(2), 10, needsApproval: false, "cli");
        var joined = await services.Get<JoinRequests>().RequestAsync(invite.Link.AbsolutePath["/join/".Length..], Joiner, DemoKeyBytes(demoKeys, "sacha"), "sacha.pub.asc",
            ListLanguage.English);
        if (joined.Refusal is not null)
        {
            throw new InvalidOperationException(joined.Refusal);
        }

        var challenge = (await services.Get<SubmissionStore>().LatestAsync(list.Id, SubmissionKind.Notice, 5)).Single();
        await services.Get<DeliveryRunner>().RunAsync(challenge, list);

        var minutes = (await services.Get<DistributionService>().SubmitAsync("ag", new MinutesDocument("Compte-rendu", $"Décisions : {MinutesToken}"))).Submission;
        var run = await services.Get<DeliveryRunner>().RunAsync(minutes, list);
        if (run.Delivered != Members.Length)
        {
            throw new InvalidOperationException($"{run.Delivered} of {Members.Length} minutes delivered");
        }

        // Providers' answers often quote the address; a copy's detail is where such an answer is kept.
        await services.Get<DeliveryStore>().MarkAsync(minutes.Id, camille.Id, DeliveryState.Delivered,
            $"250 2.0.0 <{Members[0].Email}> Ok: queued", services.Time.GetUtcNow());
    }

    /// <summary>
    /// Every way a member's identity could show in stored bytes: addresses (as typed and lower-case, UTF-8 and UTF-16), each
    /// key's and subkey's fingerprint (upper and lower case, bare or grouped in fours) and 16-hex key id, a run of each
    /// certificate's bytes, and the minutes token.
    /// </summary>
    public static IReadOnlyList<(string What, byte[] Bytes)> Needles(string demoKeys)
    {
        var needles = new List<(string, byte[])>();
        void Text(string what, string text)
        {
            needles.Add((what, Encoding.UTF8.GetBytes(text)));
            needles.Add((what + " (UTF-16)", Encoding.Unicode.GetBytes(text)));
        }

        Text("minutes token", MinutesToken);
        foreach (var (key, email) in Members.Append(("sacha", Joiner)))
        {
            Text("address", email);
            Text("address", email.ToLowerInvariant());
            var ring = new PgpPublicKeyRing(PgpUtilities.GetDecoderStream(new MemoryStream(DemoKeyBytes(demoKeys, key))));
            foreach (var publicKey in ring.GetPublicKeys())
            {
                var hex = Convert.ToHexString(publicKey.GetFingerprint());
                var grouped = string.Join(" ", hex.Chunk(4).Select(c => new string(c)));
                foreach (var form in new[] { hex, grouped, new Fingerprint(hex).Grouped, hex[^16..] })
                {
                    Text($"{key}'s fingerprint or key id", form);
                    Text($"{key}'s fingerprint or key id", form.ToLowerInvariant());
                }
            }

            var encoded = ring.GetEncoded();
            var run = encoded[(encoded.Length / 2)..(encoded.Length / 2 + 32)];
            needles.Add(($"{key}'s certificate bytes", run));
            Text($"{key}'s certificate bytes in hex (pg_dump's bytea)", Convert.ToHexStringLower(run));
        }

        return needles;
    }

    /// <summary>The needles found in any file under <paramref name="directory"/>, as "what in file".</summary>
    public static IReadOnlyList<string> FoundIn(string directory, string demoKeys) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .SelectMany(file =>
            {
                var bytes = File.ReadAllBytes(file);
                return Needles(demoKeys).Where(n => bytes.AsSpan().IndexOf(n.Bytes) >= 0).Select(n => $"{n.What} in {Path.GetFileName(file)}");
            })
            .Distinct()
            .ToList();

    /// <summary>The needles found in a text (a <c>pg_dump</c>).</summary>
    public static IReadOnlyList<string> FoundIn(byte[] dump, string demoKeys) =>
        Needles(demoKeys).Where(n => dump.AsSpan().IndexOf(n.Bytes) >= 0).Select(n => n.What).Distinct().ToList();

    private static byte[] DemoKeyBytes(string demoKeys, string name) => File.ReadAllBytes(Path.Combine(demoKeys, name + ".pub.asc"));
}

using System.Text.Json;
using System.Text.RegularExpressions;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Bcpg.OpenPgp;
using SecureMinutes.IntegrationTests.Jobs;
using SecureMinutes.IntegrationTests.Support;
using SecureMinutes.Keyring;
using SecureMinutes.Keys;
using SecureMinutes.MailIn;
using SecureMinutes.SelfService;
using SecureMinutes.Storage;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.IntegrationTests.Intake;

/// <summary>
/// Issue 11's "update by signed mail", through the real mail-in path: mails delivered to the local provider (Postfix +
/// Dovecot), fetched over IMAPS by <c>provider check-intake</c>, the challenge delivered by a worker into a real SMTP
/// sink and opened with gpg, rnp and sqop using the member's new secret key.
/// </summary>
public sealed partial class KeyUpdateByMailTests
{
    private const string Password = "intake-pw-clé";
    private const string PublicUrl = "https://minutes.example.test";

    [Fact]
    public async Task AMembersSignedMailWithANewKey_BringsOneChallengeEncryptedToTheNewKey_WhoseLinkChangesTheKey_AndItsReplaysDoNothing()
    {
        await MailInProvider.StartAsync();
        await using var list = await IntakeList.CreateAsync("keymail");
        await MailInProvider.AddUserAsync(list.Address, Password);
        var member = list.Members[0].Email;
        using var gpg = new Gpg();
        var (newPublic, newSecret) = await gpg.GenerateAsync($"M One <{member}>", "future-default", list.Work.Path, "new");
        var request = Signed(list.SecretKeyOf(member), member, list.Address,
            new Multipart("mixed") { Text("Bonjour, voici ma nouvelle clé.\n"), KeyPart(await File.ReadAllBytesAsync(newPublic), "OpenPGP_0xNOUVELLE.asc") });

        await MailInProvider.DeliverAsync(request, list.Address);
        await MailInProvider.DeliverAsync(request, list.Address); // the same mail twice: a replay, or the provider's duplicate
        await MailInProvider.WaitForCountAsync(list.Address, Password, 2);
        await SetIntakeAsync(list);

        var rows = await CheckIntakeAsync(list, expectedExit: 0);

        Assert.Equal(["key-update", "key-update"], rows.Select(r => r.Outcome));
        Assert.NotNull(rows[0].Submission);
        Assert.Equal(rows[0].Submission, rows[1].Submission);
        await DeliverQueuedAsync(list, 1);
        var challenge = Assert.Single(list.Sink.MessageFiles());
        Assert.Equal(member, MimeMessage.Load(challenge).Headers["X-Sink-Rcpt-To"]!.Trim(), ignoreCase: true); // the address on file
        var inner = await OpenedMail.DecryptAsync(challenge, newSecret);                                        // encrypted to the new key
        var text = OpenedMail.PlainText(inner);
        await PeerChecker.AssertPassesAsync(challenge, newSecret, newPublic, list.ListKeyPath, text.Split('\n')[0], inner.Headers[HeaderId.Subject]!);

        await using (var app = new InProcess(list.Cli.DataDir))
        {
            // One tap: the signature by the current key already stood for the old key's confirmation.
            Assert.IsType<KeyUpdateOutcome.Updated>(await app.Get<KeyUpdates>().ConfirmAsync(ConfirmLink().Match(text).Groups[1].Value));
            Assert.Equal(FingerprintOf(newPublic), (await app.Get<MemberStore>().FindAsync((await ListAsync(app, list)).Id, member))!.Fingerprint);
        }

        // Sent again later, the same mail changes nothing and challenges no one: its signer is no longer the key on file.
        await MailInProvider.DeliverAsync(request, list.Address);
        await MailInProvider.WaitForCountAsync(list.Address, Password, 1);
        var replay = await CheckIntakeAsync(list, expectedExit: 4);
        Assert.DoesNotContain("key-update", replay.Select(r => r.Outcome));
        await using (var app = new InProcess(list.Cli.DataDir))
        {
            var listId = (await ListAsync(app, list)).Id;
            Assert.Equal(FingerprintOf(newPublic), (await app.Get<MemberStore>().FindAsync(listId, member))!.Fingerprint);
            Assert.Single(await app.Get<AuditStore>().ListAsync(listId, member), a => a.Action == SelfServiceAudit.KeyUpdateRequested);
        }
    }

    [Fact]
    public async Task AKeyUpdateSignedByAnotherMembersKey_InTheVictimsName_IsRefused_TheVictimKeepsTheirKey_AndIsToldEncryptedToIt()
    {
        await MailInProvider.StartAsync();
        await using var list = await IntakeList.CreateAsync("hijack");
        await MailInProvider.AddUserAsync(list.Address, Password);
        var (victim, attacker) = (list.Members[0].Email, list.Members[1].Email);
        var attackersKey = TestKeyBuilder.Create($"Not Them <{victim}>", DateTimeOffset.UtcNow).WithCv25519Subkey().Build();
        var forged = Signed(list.SecretKeyOf(attacker), victim, list.Address, new Multipart("mixed") { KeyPart(attackersKey.GetEncoded(), "cle.asc") });
        await MailInProvider.DeliverAsync(forged, list.Address);
        await MailInProvider.WaitForCountAsync(list.Address, Password, 1);
        await SetIntakeAsync(list);

        var rows = await CheckIntakeAsync(list, expectedExit: 4);

        Assert.Equal("refused-signernotsender", Assert.Single(rows).Outcome);
        await DeliverQueuedAsync(list, 1);
        var answer = Assert.Single(list.Sink.MessageFiles());
        Assert.Equal(victim, MimeMessage.Load(answer).Headers["X-Sink-Rcpt-To"]!.Trim(), ignoreCase: true);
        var text = OpenedMail.PlainText(await OpenedMail.DecryptAsync(answer, list.SecretKeyOf(victim)));
        Assert.Contains("La demande est refusée et rien n'a changé", text, StringComparison.Ordinal);
        await using var app = new InProcess(list.Cli.DataDir);
        var listId = (await ListAsync(app, list)).Id;
        Assert.Equal(FingerprintOf(list.PublicKeyOf(victim)), (await app.Get<MemberStore>().FindAsync(listId, victim))!.Fingerprint);
        Assert.Contains(await app.Get<AuditStore>().ListAsync(listId, victim), a => a.Action == KeyUpdateByMail.Refused);
    }

    private static async Task<Lists.MailingList> ListAsync(InProcess app, IntakeList list) => await app.Get<ListStore>().FindAsync(list.Name) ?? throw new InvalidOperationException("no list");

    private static Task<ProcessResult> SetIntakeAsync(IntakeList list) => list.Cli.SucceedAsync("provider", "set-intake", list.Name, "--host", "127.0.0.1",
        "--port", MailInProvider.ImapsPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--security", "tls",
        "--user", list.Address, "--password-env", "INTAKE_PASSWORD", "--trust-cert", MailInProvider.CertificatePath);

    private static async Task<List<(string? Outcome, string? Submission)>> CheckIntakeAsync(IntakeList list, int expectedExit)
    {
        list.Cli.Environment["INTAKE_PASSWORD"] = Password;
        list.Cli.Environment["SECUREMINUTES_PUBLIC_URL"] = PublicUrl;
        var result = await list.Cli.RunAsync("provider", "check-intake", list.Name, "--json");
        Assert.True(result.ExitCode == expectedExit, result.ToString());
        using var outcomes = JsonDocument.Parse(result.Stdout);
        return outcomes.RootElement.EnumerateArray()
            .Select(o => (o.GetProperty("outcome").GetString(), o.TryGetProperty("submission", out var s) ? s.GetString() : null)).ToList();
    }

    /// <summary>A worker delivers what check-intake queued into the list's sink.</summary>
    private static async Task DeliverQueuedAsync(IntakeList list, int expected)
    {
        var environment = WorkerEnvironment.For(list.Cli.DataDir);
        environment["SECUREMINUTES_PUBLIC_URL"] = PublicUrl;
        await using var worker = WorkerProcess.Start(environment);
        await SinkCounts.WaitUntilAsync(() => list.Sink.MessageFiles().Count >= expected, TimeSpan.FromSeconds(120), () => worker.Output);
    }

    /// <summary>A mail PGP/MIME signed (RFC 3156 5) by <paramref name="secretKeyPath"/>, as Thunderbird signs without encrypting.</summary>
    private static MimeMessage Signed(string secretKeyPath, string from, string to, MimeEntity body)
    {
        var secret = ReadSecret(secretKeyPath);
        using var context = new ListPgpContext(TimeProvider.System, secret);
        var signed = MultipartSigned.Create(context, secret.GetSecretKeys().First(k => k.IsSigningKey), DigestAlgorithm.Sha256, body);
        var message = new MimeMessage([new MailboxAddress(null, from)], [new MailboxAddress(null, to)], "Nouvelle clé", signed);
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("members.example.test");
        return message;
    }

    private static TextPart Text(string text) => new("plain") { Text = text };

    private static MimePart KeyPart(byte[] key, string name) => new("application", "pgp-keys")
    {
        Content = new MimeContent(new MemoryStream(key)),
        ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) { FileName = name },
        ContentTransferEncoding = ContentEncoding.Base64,
    };

    private static Fingerprint FingerprintOf(string publicKeyPath)
    {
        using var stream = PgpUtilities.GetDecoderStream(File.OpenRead(publicKeyPath));
        return Fingerprint.Of(new PgpPublicKeyRing(stream).GetPublicKey());
    }

    private static PgpSecretKeyRing ReadSecret(string path)
    {
        using var stream = PgpUtilities.GetDecoderStream(File.OpenRead(path));
        return new PgpSecretKeyRingBundle(stream).GetKeyRings().Single();
    }

    [GeneratedRegex(@"https://minutes\.example\.test/member/key/([A-Za-z0-9_-]+)")]
    private static partial Regex ConfirmLink();
}

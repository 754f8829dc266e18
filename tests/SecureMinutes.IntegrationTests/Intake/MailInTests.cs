using System.Text.Json;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Bcpg.OpenPgp;
using SecureMinutes.IntegrationTests.Jobs;
using SecureMinutes.IntegrationTests.Support;
using SecureMinutes.Keys;

namespace SecureMinutes.IntegrationTests.Intake;

/// <summary>
/// Encrypted mail-in against the real local provider (Postfix + Dovecot, IMAPS with its own certificate):
/// a note-taker's signed and encrypted mail is fetched and distributed with its attachment; an unsigned one,
/// one signed by a member who is not a note-taker and plaintext ones are not, and only members get the
/// (encrypted) answer. Every fetched mail leaves the mailbox, and none is ever handled twice.
/// </summary>
public sealed class MailInTests
{
    private const string Password = "intake-pw-Ø1";

    [Fact]
    public async Task Worker_DistributesANoteTakersMail_AndRefusesTheOthers_AnsweringMembersOnly()
    {
        await MailInProvider.StartAsync();
        await using var list = await IntakeList.CreateAsync("mailin");
        await MailInProvider.AddUserAsync(list.Address, Password);
        var (other, plainSender, noteTaker) = (list.Members[0].Email, list.Members[1].Email, list.Members[2].Email);
        await list.Cli.SucceedAsync("member", "set", list.Name, noteTaker, "--note-taker");
        var token = Guid.NewGuid().ToString("N")[..10];
        var agenda = System.Security.Cryptography.RandomNumberGenerator.GetBytes(50_000);

        await MailInProvider.DeliverAsync(Minutes(list, noteTaker, "ed25519", token, agenda), list.Address);
        await MailInProvider.DeliverAsync(EncryptedUnsigned(list, noteTaker), list.Address);
        await MailInProvider.DeliverAsync(SignedAndEncrypted(list, other, "rsa3072", Text("Je ne prends pas de notes.")), list.Address);
        await MailInProvider.DeliverAsync(Plain(plainSender, list.Address, "CR en clair"), list.Address);
        await MailInProvider.DeliverAsync(Plain("stranger@example.net", list.Address, "Achetez !"), list.Address);
        await MailInProvider.WaitForCountAsync(list.Address, Password, 5);
        await SetIntakeAsync(list);

        var environment = WorkerEnvironment.For(list.Cli.DataDir);
        environment["SECUREMINUTES_INTAKE_SCHEDULE"] = "*/2 * * * * *";
        environment["INTAKE_PASSWORD"] = Password;
        await using (var worker = WorkerProcess.Start(environment))
        {
            // Three copies of the minutes, and one answer each for the three refused mails from members.
            await SinkCounts.WaitUntilAsync(() => list.Sink.MessageFiles().Count >= 6, TimeSpan.FromSeconds(120), () => worker.Output);
            await Task.Delay(TimeSpan.FromSeconds(5));
            Assert.Equal(0, await MailInProvider.CountAsync(list.Address, Password));
            Assert.DoesNotContain(token, worker.Output, StringComparison.Ordinal);
        }

        var received = list.Sink.Messages();
        Assert.Equal(6, received.Count);
        var minutes = new List<string>();
        var answered = new List<string>();
        foreach (var (path, message) in received)
        {
            var email = message.Headers["X-Sink-Rcpt-To"]!.Trim();
            var inner = await OpenedMail.DecryptAsync(path, list.SecretKeyOf(email));
            var text = OpenedMail.PlainText(inner);
            if (text.Contains(token, StringComparison.Ordinal))
            {
                minutes.Add(email);
                Assert.Equal($"Compte-rendu envoyé par courriel {token} ✊\nDécision : on continue.\n", text);
                Assert.Equal(agenda, OpenedMail.Content(Assert.Single(OpenedMail.Attachments(inner))));
                await PeerChecker.AssertPassesAsync(path, list.SecretKeyOf(email), list.PublicKeyOf(email), list.ListKeyPath, token, $"CR mail-in {token}");
            }
            else
            {
                answered.Add(email);
                Assert.Contains("n'a PAS été distribué", text, StringComparison.Ordinal);
            }
        }

        Assert.Equal(list.Members.Select(m => m.Email).Order(), minutes.Order());
        Assert.Equal(new[] { noteTaker, other, plainSender }.Order(), answered.Order());
        Assert.Empty(DataDirScan.FilesContaining(list.Cli.DataDir, token));
    }

    [Fact]
    public async Task CheckIntake_HandlesEachMailOnce_EvenWhenTheSameMailArrivesTwice_AndExits4WhenItRefusedOne()
    {
        await MailInProvider.StartAsync();
        await using var list = await IntakeList.CreateAsync("checkin");
        await MailInProvider.AddUserAsync(list.Address, Password);
        var noteTaker = list.Members[2].Email;
        await list.Cli.SucceedAsync("member", "set", list.Name, noteTaker, "--note-taker");
        var minutes = Minutes(list, noteTaker, "ed25519", "jeton", [1, 2, 3]);
        await MailInProvider.DeliverAsync(minutes, list.Address);
        await MailInProvider.DeliverAsync(minutes, list.Address);
        await MailInProvider.DeliverAsync(SignedAndEncrypted(list, "stranger@example.net", "rsa4096", Text("clé inconnue")), list.Address);
        await MailInProvider.WaitForCountAsync(list.Address, Password, 3);
        await SetIntakeAsync(list);
        list.Cli.Environment["INTAKE_PASSWORD"] = Password;

        var first = await list.Cli.RunAsync("provider", "check-intake", list.Name, "--json");
        var again = await list.Cli.SucceedAsync("provider", "check-intake", list.Name);

        // A refused mail makes the run exit 4 ("an admin is needed") so scripts notice; a run with nothing refused exits 0.
        Assert.True(first.ExitCode == 4, first.ToString());

        using var outcomes = JsonDocument.Parse(first.Stdout);
        var rows = outcomes.RootElement.EnumerateArray().Select(o => (Outcome: o.GetProperty("outcome").GetString(), Submission: o.TryGetProperty("submission", out var s) ? s.GetString() : null)).ToList();
        Assert.Equal(["accepted", "accepted", "refused-unknownsigner"], rows.Select(r => r.Outcome));
        Assert.NotNull(rows[0].Submission);
        Assert.Equal(rows[0].Submission, rows[1].Submission);
        Assert.Null(rows[2].Submission);
        Assert.Equal("No new mail.", again.Stdout.Trim());
        Assert.Equal(0, await MailInProvider.CountAsync(list.Address, Password));
        var status = await list.Cli.SucceedAsync("status", rows[0].Submission!);
        Assert.Contains("0/3 delivered, 3 queued", status.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckIntake_SaysWhyInOneLine_WhenTheLoginIsRefused()
    {
        await MailInProvider.StartAsync();
        await using var list = await IntakeList.CreateAsync("badlogin");
        await MailInProvider.AddUserAsync(list.Address, Password);
        await SetIntakeAsync(list);
        list.Cli.Environment["INTAKE_PASSWORD"] = "wrong";

        var result = await list.Cli.RunAsync("provider", "check-intake", list.Name);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: 127.0.0.1 refused the IMAP login for {list.Address}", result.Stderr.Trim());
    }

    [Fact]
    public async Task Worker_TellsTheAdminsOnce_WhenTheMailboxRefusesTheLogin()
    {
        await MailInProvider.StartAsync();
        await using var list = await IntakeList.CreateAsync("loginfail");
        await MailInProvider.AddUserAsync(list.Address, Password);
        var admin = list.Members[1].Email;
        await list.Cli.SucceedAsync("member", "set", list.Name, admin, "--admin");
        await SetIntakeAsync(list);
        var environment = WorkerEnvironment.For(list.Cli.DataDir);
        environment["SECUREMINUTES_INTAKE_SCHEDULE"] = "*/2 * * * * *";
        environment["INTAKE_PASSWORD"] = "not-the-password";

        await using (var worker = WorkerProcess.Start(environment))
        {
            await SinkCounts.WaitUntilAsync(() => list.Sink.MessageFiles().Count >= 1, TimeSpan.FromSeconds(90), () => worker.Output);
            // Several more fetches fail meanwhile; the admins were told once.
            await Task.Delay(TimeSpan.FromSeconds(10));
            Assert.Contains("refused the IMAP login", worker.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("not-the-password", worker.Output, StringComparison.Ordinal);
        }

        var notice = Assert.Single(list.Sink.MessageFiles());
        Assert.Equal(admin, MimeMessage.Load(notice).Headers["X-Sink-Rcpt-To"]!.Trim(), ignoreCase: true);
        var text = OpenedMail.PlainText(await OpenedMail.DecryptAsync(notice, list.SecretKeyOf(admin)));
        Assert.Contains($"ne peut plus être relevée : 127.0.0.1 refused the IMAP login for {list.Address}", text, StringComparison.Ordinal);
    }

    private static Task<ProcessResult> SetIntakeAsync(IntakeList list) => list.Cli.SucceedAsync("provider", "set-intake", list.Name, "--host", "127.0.0.1",
        "--port", MailInProvider.ImapsPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--security", "tls",
        "--user", list.Address, "--password-env", "INTAKE_PASSWORD", "--trust-cert", MailInProvider.CertificatePath);

    /// <summary>Minutes as Thunderbird sends them: protected Subject inside, text and an attachment, signed and encrypted.</summary>
    private static MimeMessage Minutes(IntakeList list, string from, string key, string token, byte[] attachment)
    {
        var body = new Multipart("mixed")
        {
            Text($"Compte-rendu envoyé par courriel {token} ✊\nDécision : on continue.\n"),
            new MimePart("application", "pdf")
            {
                Content = new MimeContent(new MemoryStream(attachment)),
                ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) { FileName = "ordre-du-jour.pdf" },
                ContentTransferEncoding = ContentEncoding.Base64,
            },
        };
        body.ContentType.Parameters.Add("protected-headers", "v1");
        body.Headers.Add(HeaderId.Subject, $"CR mail-in {token}");
        return SignedAndEncrypted(list, from, key, body);
    }

    private static MimeMessage SignedAndEncrypted(IntakeList list, string from, string key, MimeEntity body)
    {
        var secret = ReadSecret(RepoPaths.FixtureKey(key + ".sec.asc"));
        using var context = new ListPgpContext(TimeProvider.System, secret);
        var encrypted = MultipartEncrypted.SignAndEncrypt(context, secret.GetSecretKeys().First(k => k.IsSigningKey), DigestAlgorithm.Sha256,
            ListEncryptionKeys(list), body);
        return Envelope(from, list.Address, "...", encrypted);
    }

    private static MimeMessage EncryptedUnsigned(IntakeList list, string from)
    {
        using var context = new ListPgpContext(TimeProvider.System);
        return Envelope(from, list.Address, "...", context.EncryptToKeys(Text("Chiffré mais pas signé."), ListEncryptionKeys(list)));
    }

    private static MimeMessage Plain(string from, string to, string text) => Envelope(from, to, "Compte-rendu", Text(text));

    private static MimeMessage Envelope(string from, string to, string subject, MimeEntity body)
    {
        var message = new MimeMessage([new MailboxAddress(null, from)], [new MailboxAddress(null, to)], subject, body);
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("members.example.test");
        return message;
    }

    private static TextPart Text(string text) => new("plain") { Text = text };

    private static List<PgpPublicKey> ListEncryptionKeys(IntakeList list)
    {
        using var stream = PgpUtilities.GetDecoderStream(File.OpenRead(list.ListKeyPath));
        return KeyAssessor.Assess(new PgpPublicKeyRing(stream), DateTimeOffset.UtcNow).EncryptionKeys.ToList();
    }

    private static PgpSecretKeyRing ReadSecret(string path)
    {
        using var stream = PgpUtilities.GetDecoderStream(File.OpenRead(path));
        return new PgpSecretKeyRingBundle(stream).GetKeyRings().Single();
    }
}

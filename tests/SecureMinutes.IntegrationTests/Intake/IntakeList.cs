using SecureMinutes.IntegrationTests.Support;
using SecureMinutes.Lists;

namespace SecureMinutes.IntegrationTests.Intake;

/// <summary>
/// A list of three members (rsa3072, Sequoia cv25519 and ed25519 fixture keys, so each gets a different
/// kind of key) sending through a real SMTP sink, driven by the real CLI; what intake tests start from.
/// </summary>
public sealed class IntakeList : IAsyncDisposable
{
    private static readonly string[] KeyNames = ["ed25519", "rsa3072", "sq-cv25519"];

    private IntakeList(TempDir work, SmtpSink sink, string name, string address)
    {
        Work = work;
        Sink = sink;
        Name = name;
        Address = address;
        Cli = new CliRunner(work.Combine("data"));
    }

    public TempDir Work { get; }

    public SmtpSink Sink { get; }

    public CliRunner Cli { get; }

    public string Name { get; }

    public string Address { get; }

    public string ListKeyPath => Work.Combine("list.pub.asc");

    /// <summary>m0001@example.org … m0003@example.org and the fixture key each was given (as InProcess assigns them).</summary>
    public IReadOnlyList<(string Email, string Key)> Members { get; } =
        Enumerable.Range(1, 3).Select(i => ($"m{i:D4}@example.org", KeyNames[i % KeyNames.Length])).ToList();

    public static async Task<IntakeList> CreateAsync(string prefix)
    {
        var work = new TempDir();
        var sink = await SmtpSink.StartAsync("--starttls");
        var name = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
        var intake = new IntakeList(work, sink, name, $"{name}@lists.example.test");
        await using (var setup = new InProcess(intake.Cli.DataDir))
        {
            var list = await setup.CreateListAsync(name, 3, sink);
            await File.WriteAllTextAsync(intake.ListKeyPath, ListService.ArmoredPublicKey(list));
        }

        return intake;
    }

    public string SecretKeyOf(string email) => RepoPaths.FixtureKey(Members.Single(m => m.Email == email).Key + ".sec.asc");

    public string PublicKeyOf(string email) => RepoPaths.FixtureKey(Members.Single(m => m.Email == email).Key + ".pub.asc");

    /// <summary>The sink's mails that arrived after <paramref name="before"/> files, by recipient.</summary>
    public IReadOnlyDictionary<string, string> NewMailsByRecipient(int before) =>
        Sink.MessageFiles().Skip(before).ToDictionary(f => MimeKit.MimeMessage.Load(f).Headers["X-Sink-Rcpt-To"]!.Trim(), f => f, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every member got exactly one new mail, gpg/rnp/sqop open it, and its text is exactly <paramref name="text"/>.</summary>
    public async Task AssertEachMemberReceivedAsync(int before, string text, string subject, bool peerCheck = true)
    {
        var mails = NewMailsByRecipient(before);
        Assert.Equal(Members.Count, Sink.MessageFiles().Count - before);
        foreach (var (email, _) in Members)
        {
            var path = mails[email];
            if (peerCheck)
            {
                await PeerChecker.AssertPassesAsync(path, SecretKeyOf(email), PublicKeyOf(email), ListKeyPath, text.Trim().Split('\n')[0], subject);
            }

            var inner = await OpenedMail.DecryptAsync(path, SecretKeyOf(email));
            Assert.Equal(text, OpenedMail.PlainText(inner));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Sink.DisposeAsync();
        Work.Dispose();
    }
}

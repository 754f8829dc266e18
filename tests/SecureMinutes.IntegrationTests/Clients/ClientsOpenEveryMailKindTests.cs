using SecureMinutes.IntegrationTests.Support;

namespace SecureMinutes.IntegrationTests.Clients;

/// <summary>
/// Every kind of mail SecureMinutes writes (<see cref="MailKinds"/>, made once) opens in the members' real
/// clients: Thunderbird itself (decrypted, real subject shown, good signature from the accepted list key,
/// attachments byte-identical, no warning bar), BouncyCastle Java as K-9/OpenKeychain use it, and the peer
/// checker (gpg, RNP, Sequoia) with OpenPGP.js. The Thunderbird runs start together when the mails are made and
/// go two at a time; each test waits for its own. Screenshots: tests/artifacts/thunderbird/KIND/.
/// </summary>
public sealed class ClientsOpenEveryMailKindTests(ClientsOpenEveryMailKindTests.Runs runs) : IClassFixture<ClientsOpenEveryMailKindTests.Runs>
{
    public static TheoryData<string> Kinds() => new(MailKinds.Names);

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Thunderbird_ShowsTheMail_DecryptedAndSignedByTheAcceptedListKey_WithoutAWarning(string kind)
    {
        var result = await runs.ThunderbirdOf(kind);

        if (runs.Mails[kind].Unencrypted)
        {
            // tb-open.sh's PASS requires an encrypted mail: the keyless notice must fail that check and nothing else (its
            // signature, subject, body text and link, warning bars are all judged as for any mail).
            var reasons = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Thunderbird.ArtifactsFor(kind), "verdict.json")))
                .RootElement.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()).ToList();
            Assert.True(reasons is ["encryption state MSG_ENC_NONE"], $"{kind}: {result}");
            Assert.Contains("signature=MSG_SIG_VALID_KEY_VERIFIED", result.Stdout, StringComparison.Ordinal);
            return;
        }

        Assert.True(result.ExitCode == 0, $"{kind}: {result}");
        Assert.StartsWith("VERDICT PASS", result.Stdout.Trim().Split('\n')[^1], StringComparison.Ordinal);
        Assert.Contains("signature=MSG_SIG_VALID_KEY_VERIFIED", result.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Thunderbird.ArtifactsFor(kind), "message.png")), "no screenshot");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task BouncyCastleJava_OpensTheMail_AsK9AndOpenKeychainDo(string kind)
    {
        var mail = runs.Mails[kind];

        var result = await BcJava.CheckAsync(mail.WrappedPath ?? mail.Path, mail.SecretKey, mail.Signer, mail.TopLevelText, mail.ExpectSubject, mail.Attachments);

        Assert.True(result.ExitCode == 0, $"{kind}: {result}");
        Assert.Contains("VERDICT: PASS", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task GnuPG_Rnp_Sequoia_AndOpenPgpJs_OpenTheMail(string kind)
    {
        var mail = runs.Mails[kind];

        await PeerChecker.AssertPassesAsync(mail.WrappedPath ?? mail.Path, mail.SecretKey, mail.PublicKey, mail.Signer, mail.ExpectText, mail.ExpectSubject);
    }

    [Fact]
    public async Task OpenPgpJs_Fails_WhenTheMailIsCheckedAgainstAnotherListKey()
    {
        var mail = runs.Mails["text-minutes"];

        var result = await OpenPgpJs.CheckAsync(mail.Path, mail.SecretKey, RepoPaths.DemoKey("list.pub.asc"), mail.ExpectText, mail.ExpectSubject);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("VERDICT FAIL", result.Stdout, StringComparison.Ordinal);
    }

    /// <summary>The mails, and one Thunderbird run per mail started as soon as they exist.</summary>
    public sealed class Runs : IAsyncLifetime
    {
        private readonly Dictionary<string, Task<ProcessResult>> _thunderbird = [];

        public MailKinds Mails { get; } = new();

        public Task<ProcessResult> ThunderbirdOf(string kind) => _thunderbird[kind];

        public async Task InitializeAsync()
        {
            await Mails.InitializeAsync();
            foreach (var name in MailKinds.Names)
            {
                var mail = Mails[name];
                _thunderbird[name] = Thunderbird.OpenAsync(name, mail.Path, mail.SecretKey, mail.Signer, [mail.ExpectText, .. mail.ShownToo], mail.Attachments, mail.AllowedNotification);
            }
        }

        public async Task DisposeAsync()
        {
            // Runs still going (a test failed early) end before their mails are deleted.
            await Task.WhenAll(_thunderbird.Values.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
            await Mails.DisposeAsync();
        }
    }
}

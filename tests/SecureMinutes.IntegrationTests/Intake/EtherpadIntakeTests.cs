using SecureMinutes.IntegrationTests.Support;

namespace SecureMinutes.IntegrationTests.Intake;

/// <summary>
/// <c>submit --pad</c> against a real Etherpad (1.8.14 from npm, on loopback): the text every member
/// decrypts is exactly the pad's, whichever way it was read, and each problem is one clear line.
/// </summary>
public sealed class EtherpadIntakeTests
{
    private const string FrenchText = """
        Procès-verbal de l'Assemblée générale du 23 novembre 2026
        Présents : Hélène Dupré, François Lefèvre, Zoë Müller, Jérôme Çelik
        1. Approbation des comptes — voté à l'unanimité ✅
        2. Élection du trésorier : Noël Bézier (élu) 🎉
        3. Questions diverses : « café équitable » ☕, budget 1 250,50 €
        Œuvre collective, naïveté, déjà‑vu.
        """;

    [Fact]
    public async Task SubmitPad_DeliversExactlyThePadsText_FromExportApiRevisionAndReadOnlyId()
    {
        await Etherpad.StartAsync();
        await using var list = await IntakeList.CreateAsync("pad");
        var token = Guid.NewGuid().ToString("N")[..10];
        var pad = Etherpad.NewPadName("ag");
        var first = $"Première version {token}-v1\n{FrenchText}";
        var second = $"Version finale {token}-v2\n{FrenchText}";
        await Etherpad.CreatePadAsync(pad, first);
        var firstRevision = await Etherpad.RevisionsAsync(pad);
        await Etherpad.SetTextAsync(pad, second);
        var readOnly = await Etherpad.ReadOnlyIdAsync(pad);
        var current = await Etherpad.GetTextAsync(pad);
        var old = await Etherpad.GetTextAsync(pad, firstRevision);
        Assert.Contains($"{token}-v1", old, StringComparison.Ordinal);
        list.Cli.Environment["PAD_KEY"] = Etherpad.ApiKey;
        var revision = firstRevision.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var cases = new (string[] Arguments, string Expected)[]
        {
            (["--pad", $"{Etherpad.Url}/p/{pad}"], current),
            (["--pad", $"{Etherpad.Url}/p/{pad}", "--pad-api-key-env", "PAD_KEY"], current),
            (["--pad", $"{Etherpad.Url}/p/{pad}", "--pad-api-key-env", "PAD_KEY", "--rev", revision], old),
            (["--pad", $"{Etherpad.Url}/p/{pad}/export/txt", "--rev", revision], old),
            (["--pad", $"{Etherpad.Url}/p/{readOnly}"], current),
            (["--pad", $"{Etherpad.Url}/p/{readOnly}", "--pad-api-key-env", "PAD_KEY"], current),
        };
        for (var i = 0; i < cases.Length; i++)
        {
            var before = list.Sink.MessageFiles().Count;
            var subject = $"CR {i} ✊";
            await list.Cli.SucceedAsync(["submit", list.Name, .. cases[i].Arguments, "--subject", subject, "--wait"]);
            // The three independent OpenPGP implementations judge the first two; gpg decrypts every copy.
            await list.AssertEachMemberReceivedAsync(before, cases[i].Expected, subject, peerCheck: i < 2);
        }

        Assert.Empty(DataDirScan.FilesContaining(list.Cli.DataDir, token));
        Assert.Empty(DataDirScan.FilesContaining(list.Cli.DataDir, "Hélène Dupré"));
    }

    [Fact]
    public async Task SubmitPad_RefusesWithOneLine_AndSendsNothing_ForEachProblem()
    {
        await Etherpad.StartAsync();
        await using var list = await IntakeList.CreateAsync("paderr");
        using var untrusted = new SelfSignedTlsServer();
        var empty = Etherpad.NewPadName("empty");
        await Etherpad.CreatePadAsync(empty, "  \n\n");
        var big = Etherpad.NewPadName("big");
        await Etherpad.CreatePadAsync(big, string.Concat(Enumerable.Repeat("Ligne de compte-rendu assez longue, é ✊\n", 400)));
        list.Cli.Environment["PAD_KEY"] = Etherpad.ApiKey;
        list.Cli.Environment["WRONG_KEY"] = "not-the-key";
        list.Cli.Environment["SECUREMINUTES_MINUTES_LIMIT"] = "8K";
        var closedPort = FreePort.Next();

        var cases = new (string[] Arguments, string Expected)[]
        {
            (["--pad", $"{Etherpad.Url}/p/no-such-{Guid.NewGuid():N}"], "does not exist (check the address)"),
            (["--pad", $"{Etherpad.Url}/p/no-such-{Guid.NewGuid():N}", "--pad-api-key-env", "PAD_KEY"], "does not exist (check the address)"),
            (["--pad", $"{Etherpad.Url}/p/{empty}", "--pad-api-key-env", "WRONG_KEY"], "refused the API key"),
            (["--pad", $"{Etherpad.Url}/p/{empty}", "--pad-api-key-env", "UNSET_VARIABLE"], "UNSET_VARIABLE is not set"),
            (["--pad", $"http://127.0.0.1:{closedPort}/p/ag"], $"cannot reach 127.0.0.1:{closedPort}"),
            (["--pad", $"https://127.0.0.1:{untrusted.Port}/p/ag"], $"TLS with 127.0.0.1:{untrusted.Port} failed"),
            (["--pad", $"{Etherpad.Url}/p/{empty}"], "is empty: there are no minutes to send"),
            (["--pad", $"{Etherpad.Url}/p/{big}"], "over the 8 KiB limit for minutes"),
            (["--pad", $"{Etherpad.Url}/p/{big}", "--pad-api-key-env", "PAD_KEY"], "over the 8 KiB limit for minutes"),
            (["--pad", $"{Etherpad.Url}/p/{empty}", "--pad-api-key-env", "PAD_KEY", "--rev", "999"], "has no revision 999"),
            (["--pad", "http://pad.example.org/p/ag"], "plain http"),
            (["--pad", $"{Etherpad.Url}/p/{empty}", "--file", "seeds/minutes-ag-2026-11-21.md"], "--file FILE or --pad URL (one of them)"),
        };
        foreach (var (arguments, expected) in cases)
        {
            var result = await list.Cli.RunAsync(["submit", list.Name, .. arguments, "--wait"]);

            Assert.True(result.ExitCode == 1, $"{string.Join(' ', arguments)}\n{result}");
            var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("error: ", line, StringComparison.Ordinal);
            Assert.Contains(expected, line, StringComparison.Ordinal);
        }

        Assert.Empty(list.Sink.MessageFiles());
    }
}

using System.Globalization;
using System.Text.Json;
using Xunit.Abstractions;
using SecureMinutes.IntegrationTests.Intake;
using SecureMinutes.IntegrationTests.Jobs;
using SecureMinutes.IntegrationTests.Support;
using SecureMinutes.Lists;
using SecureMinutes.Minutes;
using SecureMinutes.Minutes.Preparation;
using SecureMinutes.Minutes.Votes;

namespace SecureMinutes.IntegrationTests.Preparation;

/// <summary>
/// Preparing an AG against the real Etherpad, through the real CLI: <c>prepare</c> makes a pad holding the template,
/// a note-taker fills it in through the API, <c>submit --prepared</c> sends exactly the pad's text with the
/// decisions and votes summarised on top, and gpg/rnp/sqop (and Thunderbird, when installed) open it.
/// </summary>
public sealed class PrepareAgTests(ITestOutputHelper output)
{
    private static readonly DateOnly AgDate = new(2026, 12, 12);
    private static readonly string Template = AgTemplate.Fill(AgTemplate.Default(ListLanguage.French), AgDate, null, ListLanguage.French);

    [Fact]
    public async Task PrepareEditSubmitPrepared_DeliversExactlyThePadText_WithTheSummaryOnTop()
    {
        await Etherpad.StartAsync();
        await using var list = await IntakeList.CreateAsync("prep");
        list.Cli.Environment["PAD_KEY"] = Etherpad.ApiKey;

        var (padId, readOnlyUrl) = await PrepareAsync(list);

        Assert.Matches("^ag-[0-9a-f]{32}$", padId);
        Assert.Equal($"{Etherpad.Url}/p/{await Etherpad.ReadOnlyIdAsync(padId)}", readOnlyUrl);
        Assert.Equal(Template, await Etherpad.GetTextAsync(padId));

        var token = Guid.NewGuid().ToString("N")[..10];
        await Etherpad.SetTextAsync(padId, Filled(Template, token, present: "84", budget: "pour 52 / contre 12 / abstention 6"));
        var padText = await Etherpad.GetTextAsync(padId);
        var submit = await list.Cli.SucceedAsync("submit", list.Name, "--prepared", "--wait");

        Assert.Contains("note: the mail opens with a summary of 3 decision(s) and 1 task(s)", submit.Stderr, StringComparison.Ordinal);
        var summary = MinutesSummary.AddTo(new MinutesDocument("AG", padText)).Summary!;
        Assert.StartsWith("**Décisions et votes** · 84 présent·es · règle : majorité simple des votes exprimés\n", summary, StringComparison.Ordinal);
        Assert.Contains("| 1. Budget 2027 | 52 | 12 | 6 | adoptée |", Collapsed(summary), StringComparison.Ordinal);
        Assert.Contains("| 2. Rassemblement du 12 décembre | consensus | | | adoptée |", Collapsed(summary), StringComparison.Ordinal);
        Assert.Contains("| 3. Changer les statuts | 20 | 15 | 2 | rejetée (2/3) |", Collapsed(summary), StringComparison.Ordinal);
        Assert.Contains($"- Camille : réserver la salle, avant le 15 janvier {token}", summary, StringComparison.Ordinal);
        await list.AssertEachMemberReceivedAsync(0, summary + padText, "AG du samedi 12 décembre 2026");

        var (member, _) = list.Members[0];
        var mail = list.NewMailsByRecipient(0)[member];
        var html = OpenedMail.Html(await OpenedMail.DecryptAsync(mail, list.SecretKeyOf(member)))!.Text;
        Assert.Contains("<td>3. Changer les statuts</td>", html, StringComparison.Ordinal);
        await ThunderbirdShowsAsync(mail, list.SecretKeyOf(member), list.ListKeyPath, "Décisions et votes", $"réserver la salle, avant le 15 janvier {token}");

        Assert.Empty(DataDirScan.FilesContaining(list.Cli.DataDir, token));
        Assert.Empty(DataDirScan.FilesContaining(list.Cli.DataDir, padId));
    }

    [Fact]
    public async Task SubmitPrepared_WarnsAndSendsNothing_WhenVotesDoNotAddUp_UntilYes()
    {
        await Etherpad.StartAsync();
        await using var list = await IntakeList.CreateAsync("prepwarn");
        list.Cli.Environment["PAD_KEY"] = Etherpad.ApiKey;
        var (padId, _) = await PrepareAsync(list);
        await Etherpad.SetTextAsync(padId, Filled(Template, "x", present: "50", budget: "pour 40 / contre ___ / abstention 20"));

        var refused = await list.Cli.RunAsync("submit", list.Name, "--prepared", "--wait");

        Assert.True(refused.ExitCode == 1, refused.ToString());
        var lines = refused.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^warning: line \d+: vote on « 1\. Budget 2027 »: no number for against \(write 0 if nobody voted so, or « consensus »\)$", lines[0]);
        Assert.Matches(@"^warning: line \d+: vote on « 1\. Budget 2027 »: 60 votes \(40 for, 0 against, 20 abstain\) but 50 present$", lines[1]);
        Assert.StartsWith("error: 2 problem(s) in the votes, nothing was sent: correct the minutes, or send them as they are with --yes", lines[2], StringComparison.Ordinal);
        Assert.Empty(list.Sink.MessageFiles());

        await list.Cli.SucceedAsync("submit", list.Name, "--prepared", "--yes", "--wait");

        var text = OpenedMail.PlainText(await OpenedMail.DecryptAsync(list.NewMailsByRecipient(0)[list.Members[0].Email], list.SecretKeyOf(list.Members[0].Email)));
        Assert.Contains("| 1. Budget 2027 | 40 | ? | 20 | à vérifier |", Collapsed(text), StringComparison.Ordinal);
        Assert.Contains("**À vérifier**\n\n- vote « 1. Budget 2027 » : il manque le nombre de voix contre", text, StringComparison.Ordinal);
        Assert.EndsWith(await Etherpad.GetTextAsync(padId), text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prepare_SaysInOneLineWhatIsWrong_AndSavesNothing_WhenThePadCannotBeMade()
    {
        await Etherpad.StartAsync();
        await using var list = await IntakeList.CreateAsync("preperr");
        list.Cli.Environment["PAD_KEY"] = Etherpad.ApiKey;
        list.Cli.Environment["WRONG_KEY"] = "not-the-key";
        var (padId, _) = await PrepareAsync(list);
        var closedPort = FreePort.Next();
        var draft = list.Work.Combine("brouillon.md");
        await File.WriteAllTextAsync(draft, "déjà là\n");

        var cases = new (string[] Arguments, string Expected)[]
        {
            (["--pad-server", $"http://127.0.0.1:{closedPort}", "--pad-api-key-env", "PAD_KEY"], $"cannot reach 127.0.0.1:{closedPort}"),
            (["--pad-server", Etherpad.Url, "--pad-api-key-env", "WRONG_KEY"], "refused the API key"),
            (["--pad-server", Etherpad.Url, "--pad-api-key-env", "UNSET_VARIABLE"], "UNSET_VARIABLE is not set"),
            (["--pad-server", Etherpad.Url], "give --pad-api-key-env VARIABLE too"),
            (["--pad-server", "http://pad.example.org", "--pad-api-key-env", "PAD_KEY"], "plain http"),
            (["--pad-server", $"{Etherpad.Url}/not-etherpad", "--pad-api-key-env", "PAD_KEY"], "has no Etherpad API"),
            (["--output", draft], "already exists: nothing was written"),
            (["--date", "12/12/2026", "--output", list.Work.Combine("other.md")], "--date '12/12/2026' is not a date"),
            (["--template", list.Work.Combine("missing.md"), "--output", list.Work.Combine("other.md")], "no such file"),
        };
        foreach (var (arguments, expected) in cases)
        {
            var result = await list.Cli.RunAsync(["prepare", list.Name, .. arguments]);

            Assert.True(result.ExitCode == 1, $"{string.Join(' ', arguments)}\n{result}");
            var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("error: ", line, StringComparison.Ordinal);
            Assert.Contains(expected, line, StringComparison.Ordinal);
        }

        Assert.Equal("déjà là\n", await File.ReadAllTextAsync(draft));
        Assert.False(File.Exists(list.Work.Combine("other.md")));
        await using (var services = new InProcess(list.Cli.DataDir))
        {
            Assert.Equal($"{Etherpad.Url}/p/{padId}", (await services.Get<AgPreparation>().PreparedPadAsync(list.Name)).PadUrl);
        }

        // A draft replaces the pad as what was prepared: --prepared never sends an earlier AG's pad.
        await list.Cli.SucceedAsync("prepare", list.Name, "--output", list.Work.Combine("ag.md"));
        var none = await list.Cli.RunAsync("submit", list.Name, "--prepared", "--wait");
        Assert.Equal(1, none.ExitCode);
        Assert.Contains($"error: no pad was prepared for list '{list.Name}'", none.Stderr, StringComparison.Ordinal);
        Assert.Empty(list.Sink.MessageFiles());
    }

    [Fact]
    public async Task SubmitPreparedAt_ReadsThePreparedPadAtThatTime()
    {
        await Etherpad.StartAsync();
        await using var list = await IntakeList.CreateAsync("prepat");
        list.Cli.Environment["PAD_KEY"] = Etherpad.ApiKey;
        var (padId, _) = await PrepareAsync(list);
        // The worker reads the pad through the API as prepare wrote it, so it needs the key variable too.
        var environment = WorkerEnvironment.For(list.Cli.DataDir);
        environment["PAD_KEY"] = Etherpad.ApiKey;
        await using var worker = WorkerProcess.Start(environment);

        var at = DateTimeOffset.Now.AddSeconds(10);
        var submit = await list.Cli.SucceedAsync("submit", list.Name, "--prepared", "--at", at.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture));
        Assert.Contains("will be read and sent at", submit.Stderr, StringComparison.Ordinal);
        var token = Guid.NewGuid().ToString("N")[..10];
        await Etherpad.SetTextAsync(padId, Filled(Template, token, present: "84", budget: "pour 52 / contre 12 / abstention 6"));
        await SinkCounts.WaitUntilAsync(() => list.Sink.MessageFiles().Count == 3, TimeSpan.FromSeconds(90), () => worker.Output);

        var padText = await Etherpad.GetTextAsync(padId);
        Assert.All(SinkCounts.ArrivalTimes(list.Sink), arrival => Assert.True(arrival >= at.AddSeconds(-1), $"arrived {arrival:O}, capture at {at:O}"));
        await list.AssertEachMemberReceivedAsync(0, MinutesSummary.AddTo(new MinutesDocument("AG", padText)).Summary + padText, "AG du samedi 12 décembre 2026", peerCheck: false);
        Assert.Empty(DataDirScan.FilesContaining(list.Cli.DataDir, padId));
        Assert.DoesNotContain(padId, worker.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListTemplateLanguageAndPreparedPad_AreKeptSealed_OnPostgreSql()
    {
        await Etherpad.StartAsync();
        using var work = new TempDir();
        var databaseUrl = await PostgresServer.CreateDatabaseAsync();
        var variable = $"SM_TEST_PAD_KEY_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(variable, Etherpad.ApiKey);
        try
        {
            await using var services = new InProcess(work.Combine("data"), databaseUrl);
            var list = await services.Get<ListService>().CreateAsync("ag", "ag@lists.example.test", "AG");
            await services.Get<Storage.ListStore>().SetLanguageAsync(list.Id, ListLanguage.English);
            var template = work.Combine("template.md");
            await File.WriteAllTextAsync(template, "# {{title}}\n\nFacilitation: Inès Marchand\nVote: for ___ / against ___ / abstain ___\n");
            var preparation = services.Get<AgPreparation>();
            await preparation.SetTemplateAsync("ag", template);

            var prepared = await preparation.PrepareAsync("ag", new AgRequest(AgDate, PadServer: Etherpad.Url, ApiKeyVariable: variable));

            var padUrl = prepared.PadUrl!;
            var padId = padUrl[(padUrl.LastIndexOf('/') + 1)..];
            Assert.Equal("# General assembly, Saturday 12 December 2026\n\nFacilitation: Inès Marchand\nVote: for ___ / against ___ / abstain ___\n",
                await Etherpad.GetTextAsync(padId));
            Assert.Equal(ListLanguage.English, (await services.Get<Storage.ListStore>().GetAsync("ag")).Language);
            Assert.Equal(prepared.PadUrl, (await preparation.PreparedPadAsync("ag")).PadUrl);
            var dump = await PostgresServer.DumpAsync(databaseUrl);
            Assert.DoesNotContain(padId, dump, StringComparison.Ordinal);
            Assert.DoesNotContain("Marchand", dump, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    /// <summary>The summary with its table's padding collapsed: what is in each cell, not how wide the columns are.</summary>
    private static string Collapsed(string text) => System.Text.RegularExpressions.Regex.Replace(text, " {2,}", " ");

    /// <summary>Runs <c>prepare</c> on the shared Etherpad; returns the new pad's id and its read-only link.</summary>
    private static async Task<(string PadId, string ReadOnlyUrl)> PrepareAsync(IntakeList list)
    {
        var prepared = await list.Cli.SucceedAsync("prepare", list.Name, "--date", "2026-12-12", "--pad-server", Etherpad.Url, "--pad-api-key-env", "PAD_KEY", "--json");
        using var json = JsonDocument.Parse(prepared.Stdout);
        var padUrl = json.RootElement.GetProperty("pad").GetString()!;
        return (padUrl[(padUrl.LastIndexOf('/') + 1)..], json.RootElement.GetProperty("readOnly").GetString()!);
    }

    /// <summary>The template as a note-taker fills it in during the AG: three items, three votes (one under 2/3), one task.</summary>
    private static string Filled(string template, string token, string present, string budget)
    {
        var text = template
            .Replace("Lieu : \n", "Lieu : salle des Acacias\n", StringComparison.Ordinal)
            .Replace("Présent·es : \n", $"Présent·es : {present}\n", StringComparison.Ordinal)
            .Replace("- Prise de notes : \n", "- Prise de notes : Camille et Théo\n", StringComparison.Ordinal)
            .Replace("## 1. \n", "## 1. Budget 2027\n", StringComparison.Ordinal)
            .Replace("## 2. \n", "## 2. Rassemblement du 12 décembre\n", StringComparison.Ordinal)
            .Replace("## 3. \n", "## 3. Changer les statuts\n", StringComparison.Ordinal)
            .Replace("## Tâches (qui : quoi, pour quand)\n\n- \n", $"## Tâches (qui : quoi, pour quand)\n\n- Camille : réserver la salle, avant le 15 janvier {token}\n", StringComparison.Ordinal);
        const string blank = "Vote : pour ___ / contre ___ / abstention ___";
        foreach (var vote in new[] { budget, "consensus", "" })
        {
            var at = text.IndexOf(blank, StringComparison.Ordinal);
            text = text[..at] + (vote.Length > 0 ? $"Vote : {vote}" : "Vote (2/3) : pour 20 / contre 15 / abstention 2") + text[(at + blank.Length)..];
        }

        return text;
    }

    /// <summary>A real Thunderbird opens the mail (<see cref="Thunderbird"/>): decrypted, good signature by the list key, no warning, these texts shown.</summary>
    private async Task ThunderbirdShowsAsync(string mail, string secretKey, string listKey, params string[] expected)
    {
        var result = await Thunderbird.OpenAsync("prepared-minutes-summary", mail, secretKey, listKey, expected, []);
        output.WriteLine(result.Stdout.Trim());
        Assert.True(result.ExitCode == 0 && result.Stdout.Contains("VERDICT PASS", StringComparison.Ordinal), $"Thunderbird:\n{result}");
    }
}

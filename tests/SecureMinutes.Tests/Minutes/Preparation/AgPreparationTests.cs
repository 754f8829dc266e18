using System.Text;
using SecureMinutes.Lists;
using SecureMinutes.Minutes.Preparation;
using SecureMinutes.Storage;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Minutes.Preparation;

/// <summary>
/// <c>prepare</c> without a pad server: a draft in the list's language, never over an existing file; a list's own
/// template kept sealed; nothing saved when the request cannot be carried out.
/// </summary>
public sealed class AgPreparationTests : IAsyncLifetime, IDisposable
{
    private static readonly DateOnly AgDate = new(2026, 12, 12);
    private readonly TestServices _services = new();
    private readonly TempDirectory _work = new();
    private MailingList _list = null!;

    private AgPreparation Preparation => _services.Get<AgPreparation>();

    public async Task InitializeAsync() => _list = await _services.Get<ListService>().CreateAsync("ag", "ag@lists.example.test", "AG du collectif");

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _services.Dispose();
        _work.Dispose();
    }

    [Fact]
    public async Task Prepare_WritesTheDraftInTheListsLanguage_AndNeverOverwritesAFile()
    {
        var draft = _work.File(AgPreparation.DraftFileName("ag", AgDate));

        var prepared = await Preparation.PrepareAsync("ag", new AgRequest(AgDate, DraftPath: draft));

        Assert.Equal(draft, prepared.DraftPath);
        Assert.Null(prepared.PadUrl);
        Assert.Equal(prepared.Text, await File.ReadAllTextAsync(draft));
        Assert.StartsWith("# AG du samedi 12 décembre 2026\n", prepared.Text, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(draft));
        }

        await _services.Get<ListStore>().SetLanguageAsync(_list.Id, ListLanguage.English);
        var again = await Assert.ThrowsAsync<UserFacingException>(() => Preparation.PrepareAsync("ag", new AgRequest(AgDate, "Spring AG", DraftPath: draft)));
        Assert.Contains("already exists: nothing was written", again.Message, StringComparison.Ordinal);
        Assert.Equal(prepared.Text, await File.ReadAllTextAsync(draft));

        var english = await Preparation.PrepareAsync("ag", new AgRequest(AgDate, "Spring AG", DraftPath: _work.File("en.md")));
        Assert.StartsWith("# Spring AG\n\nDate: Saturday 12 December 2026\n", english.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetTemplate_KeepsTheListsTemplateSealed_AndPrepareStartsFromIt()
    {
        var file = _work.File("modele.md");
        // Encoding.UTF8 writes a BOM first, as Windows editors do.
        await File.WriteAllTextAsync(file, "# {{title}}\r\nAnimation : Inès Marchand\r\nVote : pour ___ / contre ___ / abstention ___\r\n", Encoding.UTF8);

        await Preparation.SetTemplateAsync("ag", file);
        var prepared = await Preparation.PrepareAsync("ag", new AgRequest(AgDate, DraftPath: _work.File("draft.md")));

        Assert.Equal("# AG du samedi 12 décembre 2026\nAnimation : Inès Marchand\nVote : pour ___ / contre ___ / abstention ___\n", prepared.Text);
        Assert.DoesNotContain(Directory.EnumerateFiles(_services.DataDirectory, "*", SearchOption.AllDirectories),
            f => File.ReadAllBytes(f).AsSpan().IndexOf("Inès Marchand"u8) >= 0);

        await Preparation.SetTemplateAsync("ag", null);
        var builtIn = await Preparation.PrepareAsync("ag", new AgRequest(AgDate, DraftPath: _work.File("draft2.md")));
        Assert.Contains("Comptage des voix", builtIn.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("empty", "is empty: a template needs some text")]
    [InlineData("missing", "no such file")]
    [InlineData("latin1", "is not UTF-8 text")]
    public async Task SetTemplate_RefusesAFileWithOneLine_AndKeepsTheTemplateItHad(string kind, string expected)
    {
        var good = _work.File("good.md");
        await File.WriteAllTextAsync(good, "# {{title}}\nnotre modèle\n");
        await Preparation.SetTemplateAsync("ag", good);
        var bad = _work.File(kind + ".md");
        switch (kind)
        {
            case "empty":
                await File.WriteAllTextAsync(bad, " \n\n");
                break;
            case "latin1":
                await File.WriteAllBytesAsync(bad, Encoding.Latin1.GetBytes("modèle"));
                break;
        }

        var error = await Assert.ThrowsAsync<UserFacingException>(() => Preparation.SetTemplateAsync("ag", bad));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal("# {{title}}\nnotre modèle\n", await Preparation.OwnTemplateAsync(_list));
    }

    [Theory]
    [InlineData("https://pad.example.org", null, "give --pad-api-key-env VARIABLE too")]
    [InlineData("https://pad.example.org", "SECUREMINUTES_TEST_UNSET_VARIABLE", "SECUREMINUTES_TEST_UNSET_VARIABLE is not set")]
    [InlineData("https://pad.example.org", "not a name", "is not an environment variable name")]
    [InlineData("http://pad.example.org", "PAD_KEY", "plain http")]
    [InlineData("https://user:pw@pad.example.org", "PAD_KEY", "put no user name or password")]
    [InlineData("pad.example.org", "PAD_KEY", "is not an Etherpad address")]
    public async Task Prepare_RefusesABadPadRequestWithOneLine_AndSavesNothing(string server, string? variable, string expected)
    {
        var error = await Assert.ThrowsAsync<UserFacingException>(() => Preparation.PrepareAsync("ag", new AgRequest(AgDate, PadServer: server, ApiKeyVariable: variable)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Null(await _services.Get<ListStore>().GetSealedPreparedPadAsync(_list.Id));
        var none = await Assert.ThrowsAsync<UserFacingException>(() => Preparation.PreparedPadAsync("ag"));
        Assert.StartsWith("no pad was prepared for list 'ag'", none.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListLanguage_IsFrenchByDefault_AndKeptOnceSet()
    {
        var store = _services.Get<ListStore>();
        Assert.Equal(ListLanguage.French, (await store.GetAsync("ag")).Language);

        await store.SetLanguageAsync(_list.Id, ListLanguages.Parse("EN"));

        Assert.Equal(ListLanguage.English, (await store.GetAsync("ag")).Language);
        Assert.Throws<UserFacingException>(() => ListLanguages.Parse("de"));
    }
}

using SecureMinutes.Lists;
using SecureMinutes.Mail;
using SecureMinutes.Storage;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Mail;

/// <summary><c>provider set</c> with presets, against a real SQLite database: what is filled, what is refused.</summary>
public sealed class ProviderSetupTests : IAsyncLifetime, IDisposable
{
    private readonly TestServices _services = new();
    private readonly ListStore _lists;
    private readonly ProviderStore _providers;
    private readonly ProviderSetup _setup;
    private readonly ListService _listService;

    public ProviderSetupTests()
    {
        _lists = _services.Get<ListStore>();
        _providers = _services.Get<ProviderStore>();
        _setup = _services.Get<ProviderSetup>();
        _listService = _services.Get<ListService>();
    }

    public async Task InitializeAsync() => await _listService.CreateAsync("ag", "ag@riseup.net", null);

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task Preset_FillsHostImplicitTlsAndTheDefaultRate()
    {
        var result = await _setup.SetSmtpAsync("ag", new SmtpProviderRequest("riseup", User: "ag", PasswordVariable: "RISEUP_PASSWORD"));

        Assert.Equal(new ProviderSettings(TransportKind.Smtp, "mail.riseup.net", 465, SmtpSecurity.Tls, "ag", "RISEUP_PASSWORD"), result.Settings with { TrustedCertificate = null });
        Assert.Equal(10, result.RateApplied);
        Assert.Equal(10, (await _lists.GetAsync("ag")).RatePerMinute);
        Assert.Equal("mail.riseup.net", (await _providers.FindAsync((await _lists.GetAsync("ag")).Id))!.Host);
    }

    [Theory]
    [InlineData("systemli", "mail.systemli.org")]
    [InlineData("disroot", "disroot.org")]
    [InlineData("autistici", "smtp.autistici.org")]
    public async Task Preset_Port587_MeansStartTls(string preset, string host)
    {
        var result = await _setup.SetSmtpAsync("ag", new SmtpProviderRequest(preset, Port: 587, User: "ag", PasswordVariable: "PW"));

        Assert.Equal((host, 587, SmtpSecurity.StartTls), (result.Settings.Host, result.Settings.Port, result.Settings.Security));
    }

    [Fact]
    public async Task Preset_KeepsTheRateAnAdminChose_AndGivenValuesWin()
    {
        var list = await _lists.GetAsync("ag");
        await _lists.UpdateSettingsAsync(list.Id, 30, null, 1, null);

        var result = await _setup.SetSmtpAsync("ag", new SmtpProviderRequest("riseup", Host: "mail.riseup.example", Port: 2465, Security: "tls",
            User: "ag", PasswordVariable: "PW", Tor: true));

        Assert.Null(result.RateApplied);
        Assert.Equal(30, (await _lists.GetAsync("ag")).RatePerMinute);
        Assert.Equal(("mail.riseup.example", 2465, SmtpSecurity.Tls, "127.0.0.1:9050"),
            (result.Settings.Host, result.Settings.Port, result.Settings.Security, result.Settings.Socks5));
    }

    [Theory]
    [InlineData("riseup", null, null, null, false, null, "riseup requires a login: give --user (your Riseup user name")]
    [InlineData("gmail", null, null, "ag", false, null, "no provider preset 'gmail' (known: riseup|systemli|disroot|autistici|custom)")]
    [InlineData("custom", null, null, "ag", false, null, "--host is required")]
    [InlineData(null, "smtp.example.org", 2525, "ag", false, null, "--security is required for port 2525")]
    [InlineData("riseup", null, null, "ag", true, "127.0.0.1:9150", "give --tor or --socks5 HOST:PORT, not both")]
    [InlineData(null, "vww6ybal4bd7szmgncyruucpgfkqahzddi37ktceo3ah7ngmcopnpyyd.onion", 465, "ag", false, null, "reachable only through Tor: add --tor")]
    public async Task Set_RefusesIncompleteOrContradictorySettings_AndStoresNothing(string? preset, string? host, int? port, string? user, bool tor, string? socks5, string expected)
    {
        var ex = await Assert.ThrowsAsync<UserFacingException>(() =>
            _setup.SetSmtpAsync("ag", new SmtpProviderRequest(preset, host, port, null, user, user is null ? null : "PW", socks5, tor)));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Null(await _providers.FindAsync((await _lists.GetAsync("ag")).Id));
        Assert.Null((await _lists.GetAsync("ag")).RatePerMinute);
    }

    [Fact]
    public void EveryPreset_NamesItsSource_AndTheNamedOnesCarryADefaultRate()
    {
        Assert.Equal(["riseup", "systemli", "disroot", "autistici", "custom"], ProviderPreset.All.Select(p => p.Name));
        Assert.All(ProviderPreset.All, p => Assert.False(string.IsNullOrWhiteSpace(p.Source)));
        Assert.All(ProviderPreset.All.Where(p => !p.IsCustom), p => Assert.True(p.RatePerMinute > 0));
    }
}

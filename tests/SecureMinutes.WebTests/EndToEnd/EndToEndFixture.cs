using Microsoft.Playwright;
using SecureMinutes.IntegrationTests.Support;

namespace SecureMinutes.WebTests.EndToEnd;

/// <summary>
/// One installation for a test class: a data dir set up with the CLI (a list on the SMTP sink, two members, an admin
/// account), one <c>serve</c> process, one headless Chromium. Screenshots go to tests/artifacts/web (git-ignored).
/// </summary>
public sealed class EndToEndFixture : IAsyncLifetime, IDisposable
{
    public const string AdminEmail = "admin@example.test";
    public const string Password = "the assembly voted at noon";

    /// <summary>The bearer token a Prometheus scraper sends for <c>/metrics</c> (SECUREMINUTES_METRICS_TOKEN).</summary>
    public const string MetricsToken = "scraper-token-4f1c";

    private readonly TempDir _dir = new("sm-e2e-");
    private IPlaywright? _playwright;

    public CliRunner Cli { get; private set; } = null!;

    public SmtpSink Sink { get; private set; } = null!;

    public ServeProcess Serve { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public string ListKeyPath => _dir.Combine("list.pub.asc");

    public string Work => _dir.Path;

    public static string Artifacts { get; } = Directory.CreateDirectory(Path.Combine(RepoPaths.Root, "tests", "artifacts", "web")).FullName;

    public async Task InitializeAsync()
    {
        Sink = await SmtpSink.StartAsync();
        Cli = new CliRunner(_dir.Combine("data"));
        Cli.Environment["SECUREMINUTES_USER_PASSWORD"] = Password;
        await Cli.SucceedAsync("list", "create", "ag", "--address", "ag@lists.example.test", "--name", "AG du collectif");
        await Cli.SucceedAsync("provider", "set", "ag", "--host", "127.0.0.1", "--port", Sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--security", "none");
        foreach (var member in new[] { "dominique", "sacha" })
        {
            await Cli.SucceedAsync("member", "add", "ag", $"{member}@members.example.test", "--key", RepoPaths.DemoKey($"{member}.pub.asc"));
        }

        await File.WriteAllTextAsync(ListKeyPath, (await Cli.SucceedAsync("list", "key", "ag")).Stdout);
        await Cli.SucceedAsync("user", "add", AdminEmail, "--admin");
        Cli.Environment["SECUREMINUTES_METRICS_TOKEN"] = MetricsToken;
        // Every test of the classes sharing this server signs in from 127.0.0.1: more than the default 10 a minute when
        // they run fast (the limit itself is tested in SignInRateLimitTests).
        Cli.Environment[SecureMinutes.Web.WebSettings.SignInAttemptsVariable] = "1000";
        Serve = await ServeProcess.StartAsync(Cli);
        Cli.Environment["SECUREMINUTES_PUBLIC_URL"] = Serve.Address.AbsoluteUri;
        (_playwright, Browser) = await EndToEnd.Browser.LaunchAsync();
    }

    public Task<IBrowserContext> ContextAsync(int width = 390, string locale = "en-US") =>
        EndToEnd.Browser.ContextAsync(Browser, Serve.Address.AbsoluteUri.TrimEnd('/'), width, locale);

    public static async Task SignInAsync(IPage page, string email = AdminEmail)
    {
        await page.GotoAsync("/login");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", Password);
        await page.PressAsync("#password", "Enter");
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (Serve is not null)
        {
            await Serve.DisposeAsync();
        }

        if (Sink is not null)
        {
            await Sink.DisposeAsync();
        }

        Dispose();
    }

    public void Dispose() => _dir.Dispose();
}

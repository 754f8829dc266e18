using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SecureMinutes.Accounts;
using SecureMinutes.IntegrationTests.Support;
using SecureMinutes.Lists;
using SecureMinutes.Mail;
using SecureMinutes.Web;

namespace SecureMinutes.WebTests.Support;

/// <summary>
/// The web app in memory (ASP.NET Core's test server) over a real SQLite data dir and vault, built by the same two
/// methods as <c>serve</c> (<see cref="WebApp.AddSecureMinutesWeb"/>, <see cref="WebApp.UseSecureMinutesWeb"/>).
/// No Hangfire server runs: jobs are stored, not executed. Helpers make lists, members and accounts through the
/// app's own services.
/// </summary>
public sealed class WebAppFactory : WebApplicationFactory<WebSettings>
{
    public const string Password = "a long enough sentence for tests";

    private readonly TempDir _dir = new("sm-web-");

    /// <summary>Every test signs in from the same (test server) address: the rate limit has its own test and app.</summary>
    public WebAppFactory() : this(new WebSettings { SignInAttemptsPerMinute = 10_000 })
    {
    }

    internal WebAppFactory(WebSettings settings, IReadOnlyDictionary<string, string>? environment = null)
    {
        Settings = settings;
        Options = SecureMinutesOptions.Create(_dir.Combine("data"), null, name => name switch
        {
            SecureMinutesOptions.PublicUrlVariable => "https://minutes.example.test",
            "SECUREMINUTES_ATTACHMENTS_LIMIT" => "256K",
            _ => environment?.GetValueOrDefault(name),
        });
    }

    public WebSettings Settings { get; }

    public SecureMinutesOptions Options { get; }

    public string DataDirectory => Options.DataDirectory;

    protected override IHostBuilder CreateHostBuilder() => Host.CreateDefaultBuilder()
        .ConfigureLogging(logging => logging.ClearProviders())
        .ConfigureWebHostDefaults(web => web
            .ConfigureServices(services => services.AddSecureMinutesWeb(Options, Settings))
            .Configure(app => app.UseSecureMinutesWeb(Settings)));

    protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.UseEnvironment(Environments.Production);

    /// <summary>A client that keeps cookies and does not follow redirects, on https (so Secure cookies are sent).</summary>
    public FormClient Client() => new(CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false,
        HandleCookies = true,
        BaseAddress = new Uri("https://localhost"),
    }));

    public async Task<FormClient> SignedInAsync(string email)
    {
        var client = Client();
        var response = await client.PostFormAsync("/login", new() { ["Email"] = email, ["Password"] = Password });
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Redirect, $"sign-in of {email} failed: {(int)response.StatusCode}\n{await response.Content.ReadAsStringAsync()}");
        return client;
    }

    public async Task<Account> AccountAsync(string email, bool installationAdmin = false, string? list = null, ListRole role = ListRole.NoteTaker)
    {
        using var scope = Services.CreateScope();
        var administration = scope.ServiceProvider.GetRequiredService<AccountAdministration>();
        var account = await administration.AddAsync(email, Password, installationAdmin);
        if (list is not null)
        {
            await administration.GrantAsync(email, list, role);
        }

        return account;
    }

    /// <summary>A list with the demo keys' members (camille is its admin member), and a provider writing to an outbox folder.</summary>
    public async Task<MailingList> ListAsync(string name)
    {
        var lists = Services.GetRequiredService<ListService>();
        var list = await lists.CreateAsync(name, $"{name}@lists.example.test", $"List {name}");
        await Services.GetRequiredService<ProviderSetup>().SetOutboxAsync(name, _dir.Combine("outbox-" + name));
        var membership = Services.GetRequiredService<Membership>();
        foreach (var member in new[] { "camille", "dominique", "sacha" })
        {
            await membership.AddAsync(name, $"{member}@members.example.test", await File.ReadAllBytesAsync(RepoPaths.DemoKey($"{member}.pub.asc")),
                $"{member}.pub.asc", new MemberOptions(IsAdmin: member == "camille", Actor: "test"));
        }

        return list;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _dir.Dispose();
        }
    }
}

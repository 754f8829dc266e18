using System.Globalization;
using SecureMinutes.IntegrationTests.Support;

namespace SecureMinutes.WebTests.EndToEnd;

/// <summary>
/// <c>secureminutes serve</c> as a real process on a free port (web app and background server in one), reached at
/// http://localhost:PORT, which is also its public address (WebAuthn refuses IP addresses as a site's identity).
/// </summary>
public sealed class ServeProcess : IAsyncDisposable
{
    private readonly WorkerProcess _process;

    private ServeProcess(WorkerProcess process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public string Output => _process.Output;

    public static async Task<ServeProcess> StartAsync(CliRunner cli)
    {
        var port = FreePort.Next();
        var address = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://localhost:{port}"));
        var environment = new Dictionary<string, string?>(cli.Environment)
        {
            ["SECUREMINUTES_POLL_INTERVAL"] = "1s",
            ["SECUREMINUTES_SCHEDULE_POLL_INTERVAL"] = "1s",
            ["SECUREMINUTES_KEYSERVER_TRUST_CERT"] = null,
            ["SECUREMINUTES_VKS_URL"] = "off",
            ["SECUREMINUTES_HKP_URL"] = "off",
            ["SECUREMINUTES_WKD"] = "off",
        };
        var process = WorkerProcess.Start(environment, "serve", "--urls", address.AbsoluteUri.TrimEnd('/'), "--public-url", address.AbsoluteUri);
        var serve = new ServeProcess(process, address);
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if ((await http.GetAsync(new Uri(address, "/healthz"))).IsSuccessStatusCode)
                {
                    return serve;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
            }

            if (DateTime.UtcNow > deadline || process.HasExited)
            {
                await serve.DisposeAsync();
                throw new InvalidOperationException($"serve did not start:\n{process.Output}");
            }

            await Task.Delay(200);
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}

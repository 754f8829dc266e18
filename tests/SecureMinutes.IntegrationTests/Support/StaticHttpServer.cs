using System.Diagnostics;
using System.Globalization;

namespace SecureMinutes.IntegrationTests.Support;

/// <summary>Python's http.server over a folder on a free loopback port: a stand-in pad or keyserver for proxy tests.</summary>
public sealed class StaticHttpServer : IAsyncDisposable
{
    private readonly Process _process;

    private StaticHttpServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public static async Task<StaticHttpServer> StartAsync(string root)
    {
        var port = FreePort.Next();
        var start = new ProcessStartInfo("/usr/bin/python3") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-m", "http.server", "--bind", "127.0.0.1", "--directory", root, port.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start python3 -m http.server");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(20));
        return new StaticHttpServer(process, port);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}

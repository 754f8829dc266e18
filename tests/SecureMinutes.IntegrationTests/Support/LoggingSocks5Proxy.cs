using System.Diagnostics;

namespace SecureMinutes.IntegrationTests.Support;

/// <summary>
/// The shared SOCKS5 proxy standing in for Tor (<c>../shared/tools/mail/socks5-proxy.py</c>), our own instance
/// on a free port: it resolves names itself, maps them onto loopback with <c>--map</c>, and logs every CONNECT
/// (to a file the test reads).
/// </summary>
public sealed class LoggingSocks5Proxy : IAsyncDisposable
{
    private readonly Process _process;

    private LoggingSocks5Proxy(Process process, int port, string logPath)
    {
        _process = process;
        Port = port;
        LogPath = logPath;
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    public string LogPath { get; }

    public string Log => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "";

    /// <param name="maps">Rules as the proxy takes them, e.g. <c>*:443=127.0.0.1:8443</c>.</param>
    public static async Task<LoggingSocks5Proxy> StartAsync(string logPath, params string[] maps)
    {
        var port = FreePort.Next();
        var script = Path.Combine(RepoPaths.Tools, "mail", "socks5-proxy.py");
        var arguments = string.Join(' ', new[] { Quote(script), "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) }
            .Concat(maps.SelectMany(m => new[] { "--map", Quote(m) })));
        // Through sh so the proxy writes its log straight to the file (unbuffered: it flushes every line).
        var start = new ProcessStartInfo("/bin/sh", ["-c", $"exec /usr/bin/python3 {arguments} >{Quote(logPath)} 2>&1"]) { UseShellExecute = false };
        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start socks5-proxy.py");
        await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(20));
        return new LoggingSocks5Proxy(process, port, logPath);
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

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

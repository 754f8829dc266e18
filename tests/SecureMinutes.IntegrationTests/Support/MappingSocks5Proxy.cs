using System.Diagnostics;
using System.Text;

namespace SecureMinutes.IntegrationTests.Support;

/// <summary>
/// Our own instance of the shared Tor stand-in (<c>../shared/tools/mail/socks5-proxy.py</c>) on a free port:
/// it resolves names itself, maps them onto loopback, and logs every CONNECT it was asked for.
/// </summary>
public sealed class MappingSocks5Proxy : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private MappingSocks5Proxy(Process process, int port)
    {
        _process = process;
        Port = port;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static async Task<MappingSocks5Proxy> StartAsync(params string[] maps)
    {
        var port = FreePort.Next();
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { Path.Combine(RepoPaths.Tools, "mail", "socks5-proxy.py"), "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) }
                     .Concat(maps.SelectMany(m => new[] { "--map", m })))
        {
            start.ArgumentList.Add(argument);
        }

        var proxy = new MappingSocks5Proxy(Process.Start(start) ?? throw new InvalidOperationException("cannot start socks5-proxy.py"), port);
        await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(20));
        return proxy;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
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

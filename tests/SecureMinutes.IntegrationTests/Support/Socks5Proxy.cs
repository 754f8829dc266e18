using System.Diagnostics;
using System.Globalization;

namespace SecureMinutes.IntegrationTests.Support;

/// <summary>
/// Our own instance of the shared Tor stand-in (<c>../shared/tools/mail/socks5-proxy.py</c>) on a free port:
/// like Tor it resolves the names clients send, here by mapping every name and the standard mail ports onto the
/// local provider. It logs every CONNECT with the name the client asked for, which is what the tests read.
/// </summary>
public sealed class Socks5Proxy : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _log = [];

    private Socks5Proxy(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public IReadOnlyList<string> Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToList();
            }
        }
    }

    /// <summary>Maps 465, 587 and 993 to the provider's ports, anything else to the same port on 127.0.0.1.</summary>
    public static async Task<Socks5Proxy> StartAsync(MailProvider provider)
    {
        var port = FreePort.Next();
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string P(int p) => p.ToString(CultureInfo.InvariantCulture);
        foreach (var argument in new[]
        {
            Path.Combine(RepoPaths.Tools, "mail", "socks5-proxy.py"), "--port", P(port),
            "--map", $"*:465=127.0.0.1:{P(provider.SubmissionsPort)}", "--map", $"*:587=127.0.0.1:{P(provider.SubmissionPort)}",
            "--map", $"*:993=127.0.0.1:{P(provider.ImapsPort)}", "--map", "*=127.0.0.1",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start socks5-proxy.py");
        var proxy = new Socks5Proxy(process, port);
        process.OutputDataReceived += (_, e) => proxy.Append(e.Data);
        process.ErrorDataReceived += (_, e) => proxy.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(20));
        return proxy;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.Add(line);
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

using System.Diagnostics;
using MimeKit;

namespace SecureMinutes.IntegrationTests.Support;

/// <summary>
/// The shared accept-everything SMTP server (<c>../shared/tools/mail/smtp-sink.py</c>) on a free loopback
/// port: real SMTP over TCP, STARTTLS with its own self-signed certificate, AUTH, fault injection.
/// Every accepted message becomes an .eml with the envelope in X-Sink-* headers.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TempDir _dir;

    private SmtpSink(Process process, TempDir dir, int port)
    {
        _process = process;
        _dir = dir;
        Port = port;
    }

    public int Port { get; }

    public string Directory => _dir.Path;

    /// <summary>The sink's self-signed certificate, to pin with <c>provider set --trust-cert</c>.</summary>
    public string CertificatePath => Path.Combine(_dir.Path, ".tls", "cert.pem");

    public static async Task<SmtpSink> StartAsync(params string[] options)
    {
        var dir = new TempDir("sm-sink-");
        var port = FreePort.Next();
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { Path.Combine(RepoPaths.Tools, "mail", "smtp-sink.py"), "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--dir", dir.Path }.Concat(options))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start smtp-sink.py");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(20));
        return new SmtpSink(process, dir, port);
    }

    public IReadOnlyList<string> MessageFiles() =>
        System.IO.Directory.GetFiles(_dir.Path, "*.eml").OrderBy(f => f, StringComparer.Ordinal).ToList();

    public IReadOnlyList<(string Path, MimeMessage Message)> Messages() =>
        MessageFiles().Select(f => (f, MimeMessage.Load(f))).ToList();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _dir.Dispose();
    }
}

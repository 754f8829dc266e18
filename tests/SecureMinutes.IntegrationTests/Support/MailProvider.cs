using System.Globalization;

namespace SecureMinutes.IntegrationTests.Support;

/// <summary>
/// The Riseup-like provider of <c>../shared/tools/mail/mail-provider.sh</c>: Postfix submission (STARTTLS and
/// implicit TLS, SASL AUTH), Dovecot IMAP, a self-signed certificate, on loopback.
/// <list type="bullet">
/// <item><see cref="SharedAsync"/>: the instance everybody's tests use on the standard ports. Started when
/// nobody has, and never stopped, purged or re-configured (re-running <c>start</c> would reset another test
/// run's settings, such as a rate limit): tests only add their own uniquely named users.</item>
/// <item><see cref="StartPrivateAsync"/>: an instance of our own (its own <c>MAIL_BASE</c> and free ports) for
/// behaviour that would disturb others, like a rate limit (Postfix counts per client IP, and every test
/// connects from 127.0.0.1). Stopped and removed at the end.</item>
/// </list>
/// </summary>
public sealed class MailProvider : IAsyncDisposable
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static MailProvider? _shared;
    private readonly Dictionary<string, string?> _environment;
    private readonly bool _private;

    private MailProvider(Dictionary<string, string?> environment, bool isPrivate)
    {
        _environment = environment;
        _private = isPrivate;
    }

    public string Base => _environment["MAIL_BASE"]!;

    public int SubmissionPort => Port("SUBMISSION_PORT");

    public int SubmissionsPort => Port("SUBMISSIONS_PORT");

    public int ImapsPort => Port("IMAPS_PORT");

    public string CertificatePath => Path.Combine(Base, "tls", "cert.pem");

    public string PostfixLog => Path.Combine(Base, "log", "postfix.log");

    private static string Script => Path.Combine(RepoPaths.Tools, "mail", "mail-provider.sh");

    public static async Task<MailProvider> SharedAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_shared is null)
            {
                var provider = new MailProvider(new Dictionary<string, string?>
                {
                    ["MAIL_BASE"] = System.Environment.GetEnvironmentVariable("MAIL_BASE") is { Length: > 0 } b ? b : "/tmp/secureminutes-mail-provider",
                    ["SUBMISSION_PORT"] = "10587",
                    ["SUBMISSIONS_PORT"] = "10465",
                    ["IMAPS_PORT"] = "10993",
                }, isPrivate: false);
                // Only when Postfix or Dovecot is down: "start" on a running provider re-renders its configuration
                // and would undo settings another test run made (its SOCKS port we do not need: we run our own).
                var status = (await provider.ScriptAsync("status")).Stdout;
                if (!status.Contains("postfix: running", StringComparison.Ordinal) || !status.Contains("dovecot: running", StringComparison.Ordinal))
                {
                    await provider.OkAsync("start");
                }

                _shared = provider;
            }

            return _shared;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>A provider of our own; <paramref name="settings"/> are the script's variables (RATE_LIMIT_MSGS, SENDER_CHECK…).</summary>
    public static async Task<MailProvider> StartPrivateAsync(params (string Name, string Value)[] settings)
    {
        string Free() => FreePort.Next().ToString(CultureInfo.InvariantCulture);
        var environment = new Dictionary<string, string?>
        {
            ["MAIL_BASE"] = Path.Combine(Path.GetTempPath(), "sm-provider-" + Guid.NewGuid().ToString("N")[..10]),
            ["SUBMISSION_PORT"] = Free(),
            ["SUBMISSIONS_PORT"] = Free(),
            // The script treats an empty MX_PORT/SOCKS_PORT as unset (its default port), so they get ports of their own.
            ["MX_PORT"] = Free(),
            ["IMAP_PORT"] = Free(),
            ["IMAPS_PORT"] = Free(),
            ["SOCKS_PORT"] = Free(),
        };
        foreach (var (name, value) in settings)
        {
            environment[name] = value;
        }

        var provider = new MailProvider(environment, isPrivate: true);
        await provider.OkAsync("start");
        return provider;
    }

    /// <summary>
    /// Adds mailbox users (replacing existing ones), then checks they are all there: the script rewrites its
    /// user file without a lock, so two test runs adding users at once could drop one.
    /// </summary>
    public async Task AddUsersAsync(params (string Address, string Password)[] users)
    {
        await Gate.WaitAsync();
        try
        {
            for (var attempt = 0; attempt < 3; attempt++)
            {
                var present = (await UsersAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
                var missing = attempt == 0 ? users : users.Where(u => !present.Contains(u.Address)).ToArray();
                if (missing.Length == 0)
                {
                    return;
                }

                foreach (var (address, password) in missing)
                {
                    await OkAsync("add-user", address, password);
                }
            }

            var final = await UsersAsync();
            Assert.All(users, u => Assert.Contains(u.Address, final, StringComparison.OrdinalIgnoreCase));
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>
    /// Makes Postfix answer MAIL FROM &lt;<paramref name="sender"/>&gt; with <paramref name="reply"/> (e.g. a provider's
    /// quota refusal, which the script has no setting for), or answer normally again with null. A private
    /// instance only: this edits the generated main.cf, which the script rewrites on its next start.
    /// </summary>
    public async Task SetSenderReplyAsync(string sender, string? reply)
    {
        Assert.True(_private, "only a private provider instance may be reconfigured");
        var etc = Path.Combine(Base, "postfix", "etc");
        var map = Path.Combine(etc, "sender-replies");
        await File.WriteAllTextAsync(map, reply is null ? "" : $"{sender} {reply}\n");
        var mainCf = Path.Combine(etc, "main.cf");
        var line = $"smtpd_sender_restrictions = check_sender_access texthash:{map}";
        if (!(await File.ReadAllTextAsync(mainCf)).Contains(line, StringComparison.Ordinal))
        {
            await File.AppendAllTextAsync(mainCf, line + "\n");
        }

        // texthash maps are read when smtpd starts: reload, then give the old idle smtpd processes time to exit.
        var reload = await ProcessRunner.RunAsync("postfix", ["-c", etc, "reload"]);
        Assert.True(reload.ExitCode == 0, reload.ToString());
        await Task.Delay(TimeSpan.FromSeconds(1));
    }

    /// <summary>The script's <c>users</c> exits 1 (grep found nothing) while the provider has no user yet.</summary>
    private async Task<string> UsersAsync()
    {
        var result = await ScriptAsync("users");
        Assert.True(result.ExitCode == 0 || (result.ExitCode == 1 && result.Stdout.Length == 0), $"mail-provider.sh users failed\n{result}");
        return result.Stdout;
    }

    private int Port(string name) => int.Parse(_environment[name]!, CultureInfo.InvariantCulture);

    // Adding a user rewrites the script's users file through one fixed temporary name: under the lock MailInProvider holds too.
    private Task<ProcessResult> ScriptAsync(params string[] arguments) => arguments is ["add-user", ..]
        ? ProcessRunner.RunAsync("flock", new[] { MailInProvider.UsersLock, "bash", Script }.Concat(arguments), _environment, timeout: TimeSpan.FromMinutes(2))
        : ProcessRunner.RunAsync("bash", new[] { Script }.Concat(arguments), _environment, timeout: TimeSpan.FromMinutes(2));

    private async Task<ProcessResult> OkAsync(params string[] arguments)
    {
        var result = await ScriptAsync(arguments);
        Assert.True(result.ExitCode == 0, $"mail-provider.sh {string.Join(' ', arguments)} failed (it needs root and Debian's postfix and dovecot-imapd)\n{result}");
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        if (_private)
        {
            // MAIL_BASE is ours alone: purge stops our daemons and removes our directory, nobody else's.
            await ScriptAsync("purge");
        }
    }
}

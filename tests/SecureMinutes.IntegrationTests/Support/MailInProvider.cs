using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using SecureMinutes.Mail;

namespace SecureMinutes.IntegrationTests.Support;

/// <summary>
/// The shared Riseup-like provider (<c>../shared/tools/mail/mail-provider.sh</c>: Postfix + Dovecot on
/// loopback). Started if it is not running (never stopped or purged: other helpers use it); each test adds
/// its own uniquely named users.
/// </summary>
public static class MailInProvider
{
    public const int ImapsPort = 10993;
    public const int MxPort = 10025;
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static bool _started;

    private static string Script => Path.Combine(RepoPaths.Tools, "mail", "mail-provider.sh");

    /// <summary>The lock every test holds while mail-provider.sh adds a user (see <see cref="AddUserAsync"/>).</summary>
    internal static string UsersLock => Path.Combine(Path.GetTempPath(), "secureminutes-mail-provider-users.lock");

    public static string CertificatePath => Path.Combine(Environment.GetEnvironmentVariable("MAIL_BASE") is { Length: > 0 } b ? b : "/tmp/secureminutes-mail-provider", "tls", "cert.pem");

    public static async Task StartAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_started)
            {
                return;
            }

            if ((await ProcessRunner.RunAsync("bash", [Script, "status"])).ExitCode != 0)
            {
                var start = await ProcessRunner.RunAsync("bash", [Script, "start"], timeout: TimeSpan.FromMinutes(2));
                Assert.True(start.ExitCode == 0, "mail-provider.sh start failed (postfix and dovecot-imapd are needed, as root)\n" + start);
            }

            _started = true;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>
    /// Adds a user to the shared provider. mail-provider.sh rewrites its users file through one fixed temporary name, so
    /// two additions at once (test classes run in parallel, and other test processes use the same provider) lose one:
    /// each addition holds an exclusive lock on a file beside it (<c>flock</c>, util-linux) for the script's run.
    /// </summary>
    public static async Task AddUserAsync(string address, string password)
    {
        var result = await ProcessRunner.RunAsync("flock", [UsersLock, "bash", Script, "add-user", address, password], timeout: TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    /// <summary>Hands a message to the provider's inbound (MX) port, as mail from another provider arrives.</summary>
    public static async Task DeliverAsync(MimeMessage message, string recipient)
    {
        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", MxPort, SecureSocketOptions.None);
        await client.SendAsync(message, message.From.Mailboxes.First(), [new MailboxAddress(null, recipient)]);
        await client.DisconnectAsync(true);
    }

    /// <summary>How many messages the user's INBOX holds, read over IMAPS as a mail client would.</summary>
    public static async Task<int> CountAsync(string user, string password)
    {
        using var client = new ImapClient();
        client.ServerCertificateValidationCallback = new CertificatePin(CertificatePin.Load(CertificatePath)).Validate;
        await client.ConnectAsync("127.0.0.1", ImapsPort, SecureSocketOptions.SslOnConnect);
        await client.AuthenticateAsync(user, password);
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var count = client.Inbox.Count;
        await client.DisconnectAsync(true);
        return count;
    }

    public static async Task WaitForCountAsync(string user, string password, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await CountAsync(user, password) != count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{user}'s INBOX did not reach {count} messages");
            await Task.Delay(200);
        }
    }
}

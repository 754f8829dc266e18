using SecureMinutes.Jobs;
using SecureMinutes.Lists;
using SecureMinutes.Mail;
using SecureMinutes.Storage;

namespace SecureMinutes.MailIn;

/// <summary>Validates and records a list's intake mailbox, with the same refusals as the SMTP provider, and keeps its scheduled fetch in step.</summary>
public sealed class IntakeSetup(ListStore lists, IntakeStore intakes, RecurringJobsSync recurring, TimeProvider time)
{
    public async Task<(MailingList List, IntakeSettings Settings)> SetAsync(string listName, string host, int port, string security, string user,
        string passwordVariable, string? folder, string? trustCertificatePath, CancellationToken cancellationToken = default)
    {
        var list = await lists.GetAsync(listName, cancellationToken);
        host = host.Trim();
        if (host.Length == 0 || host.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '/' or '@'))
        {
            throw new UserFacingException($"'{host}' is not a host name");
        }

        if (port is < 1 or > 65535)
        {
            throw new UserFacingException($"{port} is not a TCP port (1-65535)");
        }

        var mode = security.Trim().ToLowerInvariant() switch
        {
            "tls" or "ssl" => SmtpSecurity.Tls,
            "starttls" => SmtpSecurity.StartTls,
            "none" => SmtpSecurity.None,
            _ => throw new UserFacingException($"--security must be tls, starttls or none (not '{security}')"),
        };
        if (mode == SmtpSecurity.None && !ProviderSetup.IsLoopback(host))
        {
            throw new UserFacingException("--security none sends the password and the mail in clear: it is allowed only for a server on this machine (127.0.0.1, ::1, localhost)");
        }

        if (string.IsNullOrWhiteSpace(user))
        {
            throw new UserFacingException("--user is required: the login of the list's mailbox");
        }

        if (!ProviderSetup.IsVariableName(passwordVariable))
        {
            throw new UserFacingException($"'{passwordVariable}' is not an environment variable name");
        }

        var folderName = string.IsNullOrWhiteSpace(folder) ? "INBOX" : folder.Trim();
        var settings = new IntakeSettings(host, port, mode, user.Trim(), passwordVariable, folderName,
            trustCertificatePath is null ? null : CertificatePin.Load(trustCertificatePath));
        await intakes.SetAsync(list.Id, settings, time.GetUtcNow(), cancellationToken);
        recurring.SyncIntake(list.Id, hasIntake: true);
        return (list, settings);
    }

    public async Task<MailingList> RemoveAsync(string listName, CancellationToken cancellationToken = default)
    {
        var list = await lists.GetAsync(listName, cancellationToken);
        if (!await intakes.RemoveAsync(list.Id, cancellationToken))
        {
            throw new UserFacingException($"list '{list.Name}' has no intake mailbox");
        }

        recurring.SyncIntake(list.Id, hasIntake: false);
        return list;
    }
}

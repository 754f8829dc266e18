using MimeKit;

namespace SecureMinutes.Mail;

/// <summary>
/// Writes each message as an .eml file in a folder instead of sending it: for the demo, dry runs, and
/// setups where another program picks the files up. The files are the encrypted mails, nothing in clear.
/// </summary>
public sealed class OutboxMailTransport(string directory) : IMailTransport
{
    public Task<IMailSession> ConnectAsync(CancellationToken cancellationToken)
    {
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TransportException(TransportFailure.Configuration, $"the outbox folder {directory} cannot be created ({ex.Message.TrimEnd('.')})", ex);
        }

        return Task.FromResult<IMailSession>(new Session(directory));
    }

    private sealed class Session(string directory) : IMailSession
    {
        public async Task<SendResult> SendAsync(MimeMessage message, MailboxAddress sender, MailboxAddress recipient, CancellationToken cancellationToken)
        {
            var safeRecipient = new string(recipient.Address.Select(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '_' or '@' ? c : '_').ToArray());
            var name = FormattableString.Invariant($"{DateTime.UtcNow:yyyyMMdd'T'HHmmss'Z'}-{safeRecipient}-{Guid.NewGuid().ToString("N")[..8]}.eml");
            var path = Path.Combine(directory, name);
            var temporary = path + ".part";
            var options = FormatOptions.Default.Clone();
            options.NewLineFormat = NewLineFormat.Dos;
            await using (var file = File.Create(temporary))
            {
                await message.WriteToAsync(options, file, cancellationToken);
            }

            File.Move(temporary, path);
            return SendResult.Accepted($"written to {path}");
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

using MimeKit;

namespace SecureMinutes.Mail;

/// <summary>Where a list's mail goes: an SMTP provider, or a local outbox folder.</summary>
public interface IMailTransport
{
    /// <summary>Opens one session (for SMTP: one connection, TLS and AUTH once) for a batch of messages.</summary>
    /// <exception cref="TransportException">The provider could not be reached or refused us.</exception>
    Task<IMailSession> ConnectAsync(CancellationToken cancellationToken);
}

public interface IMailSession : IAsyncDisposable
{
    /// <summary>
    /// Hands one message for one recipient to the provider. A refusal of that recipient or message is a
    /// <see cref="SendResult"/>; a failure of the session itself (connection lost) is a <see cref="TransportException"/>.
    /// </summary>
    Task<SendResult> SendAsync(MimeMessage message, MailboxAddress sender, MailboxAddress recipient, CancellationToken cancellationToken);
}

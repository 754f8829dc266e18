namespace SecureMinutes.Mail;

/// <summary>
/// Chooses the transport a list's provider settings describe. The seam between the send loop and the network:
/// hosts use <see cref="MailTransportFactory"/>; tests script SMTP sessions (accepted, 4xx, dropped connection…)
/// with their own.
/// </summary>
public interface IMailTransportFactory
{
    /// <summary>The transport for <paramref name="settings"/>; nothing is connected until <see cref="IMailTransport.ConnectAsync"/>.</summary>
    /// <exception cref="UserFacingException">The settings are incomplete (an outbox without a folder).</exception>
    IMailTransport Create(ProviderSettings settings);
}

/// <summary>SMTP submission (<see cref="SmtpMailTransport"/>) or a local outbox folder (<see cref="OutboxMailTransport"/>).</summary>
public sealed class MailTransportFactory : IMailTransportFactory
{
    public IMailTransport Create(ProviderSettings settings) => settings.Kind switch
    {
        TransportKind.Outbox => new OutboxMailTransport(settings.OutboxDirectory ?? throw new UserFacingException("the outbox provider has no folder")),
        _ => new SmtpMailTransport(settings),
    };
}

namespace SecureMinutes.Mail;

/// <summary>Chooses the transport a list's provider settings describe.</summary>
public static class MailTransportFactory
{
    public static IMailTransport Create(ProviderSettings settings) => settings.Kind switch
    {
        TransportKind.Outbox => new OutboxMailTransport(settings.OutboxDirectory ?? throw new UserFacingException("the outbox provider has no folder")),
        _ => new SmtpMailTransport(settings),
    };
}

namespace SecureMinutes.Web.Accounts;

/// <summary>Why a passkey ceremony failed, for the server's log: Identity's reason (origin, challenge, signature…), never a credential.</summary>
public static partial class PasskeyLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "passkey {Ceremony} refused: {Reason}")]
    public static partial void Refused(ILogger logger, string ceremony, string reason);
}

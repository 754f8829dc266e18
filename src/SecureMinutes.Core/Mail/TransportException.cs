namespace SecureMinutes.Mail;

public enum TransportFailure
{
    /// <summary>DNS, TCP, proxy, timeout or a dropped connection: try again later.</summary>
    Connection,

    /// <summary>The TLS handshake failed or the certificate is not trusted: needs an admin.</summary>
    Tls,

    /// <summary>The provider refused our login: needs an admin.</summary>
    Authentication,

    /// <summary>The provider refused the list address as sender: needs an admin.</summary>
    SenderRefused,

    /// <summary>The provider asks us to slow down (or defers the sender): the list slows down and tries again.</summary>
    RateLimited,

    /// <summary>The account's sending quota for a period is used up: the list pauses until the next window.</summary>
    QuotaExceeded,

    /// <summary>Our configuration is incomplete (e.g. the password variable is not set): needs an admin.</summary>
    Configuration,
}

/// <summary>A failure of the whole session with the provider, not of one recipient.</summary>
public sealed class TransportException(TransportFailure failure, string message, Exception? inner = null)
    : UserFacingException(message, inner!)
{
    public TransportFailure Failure { get; } = failure;

    /// <summary>For <see cref="TransportFailure.QuotaExceeded"/>: how long until the quota is expected back.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Retrying without an admin's action would only fail again (and could lock the account).</summary>
    public bool NeedsAdmin => Failure is TransportFailure.Tls or TransportFailure.Authentication or TransportFailure.SenderRefused or TransportFailure.Configuration;
}

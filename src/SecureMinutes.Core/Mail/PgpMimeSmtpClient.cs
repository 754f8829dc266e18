using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MailKit;
using MailKit.Net.Smtp;
using MimeKit;

namespace SecureMinutes.Mail;

/// <summary>
/// MailKit's SMTP client with three changes:
/// <list type="bullet">
/// <item><c>Prepare</c> is skipped: it would re-encode the armored PGP part and the <c>Version: 1</c> part as
/// base64. Our messages are fully 7-bit already (ASCII headers, armored body), so there is nothing to prepare.</item>
/// <item><see cref="ProbeSenderAsync"/>: MAIL FROM, RCPT TO, RSET, for <c>doctor</c>. MailKit has no public call
/// for an envelope without a message (its MailFrom/RcptTo are private parts of Send), so this uses the protected
/// <c>SendCommandAsync</c> it offers subclasses for custom commands.</item>
/// <item>With a proxy (Tor), certificate chains are built without downloading missing intermediates: .NET would
/// fetch them (AIA) over a direct connection, outside the proxy, naming the provider's CA to the network.</item>
/// </list>
/// </summary>
public sealed class PgpMimeSmtpClient : SmtpClient
{
    public PgpMimeSmtpClient()
    {
    }

    public PgpMimeSmtpClient(IProtocolLogger logger) : base(logger)
    {
    }

    /// <summary>
    /// Asks the server whether it accepts <paramref name="sender"/> as envelope sender, then resets the
    /// transaction: nothing is sent. Postfix judges the sender at RCPT TO by default (smtpd_delay_reject), so
    /// after an accepted MAIL FROM the sender's own address is offered as recipient too (no DATA follows).
    /// Returns the first refusal, or the last acceptance.
    /// </summary>
    public async Task<SmtpResponse> ProbeSenderAsync(string sender, CancellationToken cancellationToken)
    {
        var response = await SendCommandAsync($"MAIL FROM:<{sender}>", cancellationToken);
        if ((int)response.StatusCode is >= 200 and < 300)
        {
            response = await SendCommandAsync($"RCPT TO:<{sender}>", cancellationToken);
        }

        await SendCommandAsync("RSET", cancellationToken);
        return response;
    }

    protected override void Prepare(FormatOptions options, MimeMessage message, EncodingConstraint constraint, int maxLineLength)
    {
    }

    protected override SslClientAuthenticationOptions GetSslClientAuthenticationOptions(string host, RemoteCertificateValidationCallback remoteCertificateValidationCallback)
    {
        var options = base.GetSslClientAuthenticationOptions(host, remoteCertificateValidationCallback);
        if (ProxyClient is not null)
        {
            options.CertificateChainPolicy = new X509ChainPolicy
            {
                DisableCertificateDownloads = true,
                RevocationMode = X509RevocationMode.NoCheck,
            };
        }

        return options;
    }
}

namespace SecureMinutes.Mail;

/// <summary>
/// The submission settings of the providers our collectives use, so <c>provider set LIST --preset riseup</c>
/// is right the first time. Every provider here takes implicit TLS on 465 and STARTTLS on 587 and requires
/// AUTH; <see cref="DefaultPort"/> is 465 because implicit TLS leaks nothing before TLS (RFC 8314 §3).
/// <para>
/// Sending limits: none of these providers publishes a number (searched their help pages and terms in
/// November 2026; Disroot's terms call bulk mail spam). They are run by volunteers on few machines, so the
/// default list rate is a gentle 10 messages per minute (a 250-member list in 25 minutes). <c>list set --rate</c>
/// overrides it, and the list slows down by itself if the provider still defers mail
/// (see <see cref="Distribution.SendPacer"/>).
/// </para>
/// </summary>
public sealed record ProviderPreset(string Name, string? Host, string UserHint, int? RatePerMinute, string Source)
{
    public const int TlsPort = 465;
    public const int StartTlsPort = 587;
    public const int DefaultPort = TlsPort;

    private const int UnpublishedLimitRate = 10;

    public static IReadOnlyList<ProviderPreset> All { get; } =
    [
        // Riseup: riseup.net/en/email/servers says to relay "with authenticated SMTP to mail.riseup.net (like any
        // other mail client)", only for addresses registered as aliases of the account, messages up to 25 MB.
        // Thunderbird's ISPDB entry (riseup.net.xml): mail.riseup.net:587 STARTTLS, login %EMAILLOCALPART%.
        // Port 465 with implicit TLS: riseup.net/en/email/clients, as quoted in issue 6 (not reachable from here).
        // Sending limit: not published.
        new("riseup", "mail.riseup.net", "your Riseup user name, the part before @riseup.net", UnpublishedLimitRate,
            "riseup.net/en/email/servers, riseup.net/en/email/clients, Thunderbird ISPDB riseup.net"),

        // Systemli: systemli.org/service/mail names mail.systemli.org for the mail service; client setups
        // published by its users send through mail.systemli.org:465 (implicit TLS) and :587 (STARTTLS) with the
        // full address as login. Sending limit: not published.
        new("systemli", "mail.systemli.org", "your full address, e.g. name@systemli.org", UnpublishedLimitRate,
            "systemli.org/service/mail"),

        // Disroot Howto, "Email Settings" (git.disroot.org/Disroot/Howto, pages/02.tutorials/03.Email/00.settings):
        // "SMTP Server: disroot.org, STARTTLS Port: 587", "SMTPS Server: disroot.org, TLS Port: 465",
        // "Authentication: Normal Password". Its terms treat bulk mail as spam. Sending limit: not published.
        new("disroot", "disroot.org", "your Disroot user name", UnpublishedLimitRate,
            "Disroot Howto, Email Settings"),

        // Autistici/Inventati, "Technical notes about A/I mailboxes" (autistici.org/en/stuff/man_mail/tech_mail.html):
        // smtp.autistici.org "sorts connections among the servers"; "the recommended ports for mail sending are
        // 465, with SSL; 587, with TLS". Sending limit: not published.
        new("autistici", "smtp.autistici.org", "your full address, e.g. name@autistici.org or name@inventati.org", UnpublishedLimitRate,
            "autistici.org technical notes about A/I mailboxes"),

        // Any other provider: --host is required, the port chooses the security, the list's rate is left alone.
        new("custom", null, "the login your provider gives you", null, "your provider's documentation"),
    ];

    public static string Names => string.Join('|', All.Select(p => p.Name));

    public bool IsCustom => Host is null;

    public static ProviderPreset Find(string name) =>
        All.FirstOrDefault(p => p.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new UserFacingException($"no provider preset '{name}' (known: {Names})");

    /// <summary>The security the standard submission ports mean (RFC 8314 for 465, RFC 6409 for 587).</summary>
    public static SmtpSecurity? SecurityForPort(int port) => port switch
    {
        TlsPort => SmtpSecurity.Tls,
        StartTlsPort => SmtpSecurity.StartTls,
        _ => null,
    };
}

using System.Globalization;
using System.Text;
using MimeKit;

namespace SecureMinutes;

/// <summary>
/// Validation and comparison of the bare addresses admins type (list and member addresses). An
/// internationalised domain can be written in Unicode (<c>zoé@bücher.example</c>) or in its ASCII
/// "punycode" form (<c>zoé@xn--bcher-kva.example</c>, RFC 5891): both name the same mailbox, so both are
/// accepted and compare equal (<see cref="Canonical"/>).
/// </summary>
public static class EmailAddress
{
    private static readonly IdnMapping Idn = new() { AllowUnassigned = false, UseStd3AsciiRules = true };

    /// <summary>The address as typed, trimmed, once it is a valid bare <c>name@domain</c>.</summary>
    /// <exception cref="UserFacingException">Not an address, with <paramref name="what"/> in the message.</exception>
    public static string Parse(string? input, string what = "address")
    {
        var candidate = input?.Trim() ?? "";
        var at = candidate.LastIndexOf('@');
        if (candidate.Length is 0 or > 254 || candidate.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || TerminalText.IsUnsafe(c))
            || at <= 0 || at == candidate.Length - 1 || candidate.IndexOf('@') != at
            || candidate[(at + 1)..].StartsWith('.') || candidate.EndsWith('.')
            || TryCanonicalDomain(candidate[(at + 1)..]) is not { } domain
            || !MailboxAddress.TryParse(ParserOptions.Default, candidate, out var mailbox)
            || !string.IsNullOrEmpty(mailbox.Name) || !SameAddress(mailbox.Address, candidate) || domain.Length == 0)
        {
            throw new UserFacingException($"'{TerminalText.Escape(input)}' is not a valid e-mail {what} (expected name@domain)");
        }

        return candidate;
    }

    /// <summary>
    /// The form two spellings of one address share: the local part lower-cased (as every provider we send
    /// through treats it), the domain as lower-case Unicode (punycode labels decoded), NFC-normalised.
    /// Text that is not an address is only lower-cased.
    /// </summary>
    public static string Canonical(string address)
    {
        var trimmed = address.Trim().Normalize(NormalizationForm.FormC);
        var at = trimmed.LastIndexOf('@');
        if (at <= 0 || at == trimmed.Length - 1)
        {
            return trimmed.ToLowerInvariant();
        }

        var domain = IsPlainAsciiDomain(trimmed.AsSpan(at + 1))
            ? trimmed[(at + 1)..].ToLowerInvariant()
            : TryCanonicalDomain(trimmed[(at + 1)..]) ?? trimmed[(at + 1)..].ToLowerInvariant();
        return string.Concat(trimmed[..at].ToLowerInvariant(), "@", domain);
    }

    /// <summary>
    /// True for a domain of ASCII characters with no punycode (<c>xn--</c>) label: the IDNA mapping below can then only
    /// lower-case it (UTS #46 maps no other ASCII character; one it refuses makes the domain fall back to lower-casing
    /// anyway), so the result is the same without going through ICU, which cost ~30 µs an address: a quarter of
    /// <c>member list</c> on 10,000 members, which computes every member's canonical address to sort them (issue 12).
    /// </summary>
    private static bool IsPlainAsciiDomain(ReadOnlySpan<char> domain) =>
        Ascii.IsValid(domain) && domain.IndexOf("xn--", StringComparison.OrdinalIgnoreCase) < 0;

    /// <summary>True when both name the same mailbox (case, punycode and Unicode normalisation aside).</summary>
    public static bool SameAddress(string? first, string? second) =>
        first is not null && second is not null && string.Equals(Canonical(first), Canonical(second), StringComparison.Ordinal);

    private static string? TryCanonicalDomain(string domain)
    {
        try
        {
            // GetAscii validates (label lengths, STD3 characters); GetUnicode then decodes every xn-- label.
            return Idn.GetUnicode(Idn.GetAscii(domain.Normalize(NormalizationForm.FormC))).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}

using MimeKit;

namespace SecureMinutes;

/// <summary>Validation of the bare addresses admins type (list and member addresses).</summary>
public static class EmailAddress
{
    public static string Parse(string? input, string what = "address")
    {
        var candidate = input?.Trim() ?? "";
        if (candidate.Length is 0 or > 254 || candidate.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
            || !MailboxAddress.TryParse(ParserOptions.Default, candidate, out var mailbox)
            || !string.IsNullOrEmpty(mailbox.Name) || mailbox.Address != candidate)
        {
            throw new UserFacingException($"'{input}' is not a valid e-mail {what} (expected name@domain)");
        }

        var at = candidate.LastIndexOf('@');
        if (at <= 0 || at == candidate.Length - 1 || candidate.IndexOf('@') != at || candidate[(at + 1)..].StartsWith('.') || candidate.EndsWith('.'))
        {
            throw new UserFacingException($"'{input}' is not a valid e-mail {what} (expected name@domain)");
        }

        return candidate;
    }
}

using SecureMinutes.Lists;

namespace SecureMinutes.Accounts;

/// <summary>A list an account may see, and in which role.</summary>
public sealed record ListGrant(MailingList List, ListRole Role)
{
    public bool IsAdmin => Role == ListRole.Admin;
}

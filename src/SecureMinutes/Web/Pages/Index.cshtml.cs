using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SecureMinutes.Accounts;
using SecureMinutes.Web.Security;

namespace SecureMinutes.Web.Pages;

/// <summary>The lists the account may see (and nothing about the others), each with what its role allows.</summary>
public sealed class IndexModel(ListAccess access, UserManager<Account> users) : PageModel
{
    public IReadOnlyList<ListGrant> Lists { get; private set; } = [];

    /// <summary>An admin signing in with a password alone is asked to add a passkey or an authenticator app.</summary>
    public bool SuggestSecondFactor { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var admin = ListAccessFilter.IsInstallationAdmin(User);
        Lists = await access.VisibleAsync(ListAccessFilter.AccountId(User) ?? 0, admin, cancellationToken);
        if ((admin || Lists.Any(l => l.IsAdmin)) && await users.GetUserAsync(User) is { } account)
        {
            SuggestSecondFactor = !account.TwoFactorEnabled && (await users.GetPasskeysAsync(account)).Count == 0;
        }
    }
}

using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using SecureMinutes.Accounts;

namespace SecureMinutes.Web.Security;

/// <summary>
/// The session's claims: Identity's (id, address, security stamp) plus whether the account is an installation
/// admin. Re-issued when the security stamp is validated (every few minutes), so a revoked admin flag or a
/// removed account stops working without waiting for the session to end.
/// </summary>
public sealed class AccountClaims(UserManager<Account> users, IOptions<IdentityOptions> options) : UserClaimsPrincipalFactory<Account>(users, options)
{
    public const string InstallationAdmin = "secureminutes:installation-admin";

    /// <summary>The authorization policy of Hangfire's dashboard.</summary>
    public const string InstallationAdminPolicy = "installation-admin";

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(Account user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (user.IsInstallationAdmin)
        {
            identity.AddClaim(new Claim(InstallationAdmin, "true"));
        }

        return identity;
    }
}

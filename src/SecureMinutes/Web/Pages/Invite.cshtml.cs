using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using SecureMinutes.Accounts;
using SecureMinutes.Web.Accounts;
using SecureMinutes.Web.Resources;
using SecureMinutes.Web.Security;

namespace SecureMinutes.Web.Pages;

/// <summary>
/// An invitation link (<c>user invite</c>): the person sets a password or registers a passkey, and is signed in.
/// The link works once: it is used up in the same statement that checks it, so two tabs cannot both use it.
/// Setting credentials changes the security stamp, which ends any other session of the account.
/// </summary>
[EnableRateLimiting(SignInRateLimit.Policy)]
public sealed class InviteModel(AccountAdministration administration, UserManager<Account> users, SignInManager<Account> signIn,
    IStringLocalizer<Text> text, ILogger<InviteModel> logger) : PageModel
{
    [BindProperty(SupportsGet = true)] public string Token { get; set; } = "";

    [BindProperty] public string NewPassword { get; set; } = "";

    [BindProperty] public string ConfirmPassword { get; set; } = "";

    [BindProperty] public string? Credential { get; set; }

    public Account? Account { get; private set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Account = await administration.FindInvitedAsync(Token, cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Account = await administration.FindInvitedAsync(Token, cancellationToken);
        if (Account is null)
        {
            return Page();
        }

        if (NewPassword != ConfirmPassword)
        {
            Error = text["PasswordsDiffer"];
            return Page();
        }

        // Judged before the link is used up, so a refused password leaves the link working.
        foreach (var validator in users.PasswordValidators)
        {
            var judged = await validator.ValidateAsync(users, Account, NewPassword);
            if (!judged.Succeeded)
            {
                Error = string.Join(" ", judged.Errors.Select(e => PasswordErrors.Describe(e, text)));
                return Page();
            }
        }

        if (!await administration.UseInvitationAsync(Token, cancellationToken))
        {
            Account = null;
            return Page();
        }

        if (await users.HasPasswordAsync(Account))
        {
            AccountAdministration.Check(await users.RemovePasswordAsync(Account), "cannot replace the password");
        }

        AccountAdministration.Check(await users.AddPasswordAsync(Account, NewPassword), "cannot set the password");
        await signIn.SignInAsync(Account, isPersistent: false);
        return RedirectToPage("/Index");
    }

    public async Task<IActionResult> OnPostPasskeyOptionsAsync(CancellationToken cancellationToken)
    {
        if (await administration.FindInvitedAsync(Token, cancellationToken) is not { } account)
        {
            return NotFound();
        }

        var entity = new PasskeyUserEntity { Id = await users.GetUserIdAsync(account), Name = account.Email, DisplayName = account.Email };
        return Content(await signIn.MakePasskeyCreationOptionsAsync(entity), "application/json");
    }

    public async Task<IActionResult> OnPostPasskeyAsync(CancellationToken cancellationToken)
    {
        Account = await administration.FindInvitedAsync(Token, cancellationToken);
        if (Account is null)
        {
            return Page();
        }

        var attestation = string.IsNullOrEmpty(Credential) ? null : await signIn.PerformPasskeyAttestationAsync(Credential);
        if (attestation is { Succeeded: false })
        {
            PasskeyLog.Refused(logger, "registration (invitation)", attestation.Failure?.Message ?? "unknown");
        }

        if (attestation is not { Succeeded: true } || attestation.UserEntity.Id != await users.GetUserIdAsync(Account))
        {
            Error = text["PasskeyFailed"];
            return Page();
        }

        if (!await administration.UseInvitationAsync(Token, cancellationToken))
        {
            Account = null;
            return Page();
        }

        attestation.Passkey.Name = text["FirstPasskey"];
        AccountAdministration.Check(await users.AddOrUpdatePasskeyAsync(Account, attestation.Passkey), "cannot store the passkey");
        await users.UpdateSecurityStampAsync(Account);
        await signIn.SignInAsync(Account, isPersistent: false);
        return RedirectToPage("/Index");
    }
}

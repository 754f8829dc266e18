using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using SecureMinutes.Accounts;
using SecureMinutes.Web.Resources;
using SecureMinutes.Web.Security;

namespace SecureMinutes.Web.Pages;

/// <summary>The second step after a correct password: the code of the account's authenticator app, or one of its recovery codes.</summary>
[EnableRateLimiting(SignInRateLimit.Policy)]
public sealed class LoginTotpModel(SignInManager<Account> signIn, IStringLocalizer<Text> text) : PageModel
{
    [BindProperty] public string Code { get; set; } = "";

    [BindProperty] public string RecoveryCode { get; set; } = "";

    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? RedirectToPage("/Login") : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        var result = await signIn.TwoFactorAuthenticatorSignInAsync(Code.Replace(" ", "", StringComparison.Ordinal), isPersistent: false, rememberClient: false);
        return Outcome(result);
    }

    public async Task<IActionResult> OnPostRecoveryAsync()
    {
        var result = await signIn.TwoFactorRecoveryCodeSignInAsync(RecoveryCode.Replace(" ", "", StringComparison.Ordinal));
        return Outcome(result);
    }

    private IActionResult Outcome(Microsoft.AspNetCore.Identity.SignInResult result)
    {
        if (result.Succeeded)
        {
            return LocalRedirect(LoginModel.SafeReturnUrl(ReturnUrl));
        }

        Error = result.IsLockedOut ? text["LockedOut"] : text["BadCode"];
        return Page();
    }
}

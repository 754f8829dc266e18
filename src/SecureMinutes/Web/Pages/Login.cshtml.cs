using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using SecureMinutes.Accounts;
using SecureMinutes.Web.Resources;
using SecureMinutes.Web.Security;

namespace SecureMinutes.Web.Pages;

/// <summary>
/// Sign in with an address and password (then a TOTP code when the account has one), or with a passkey and no
/// password at all. Failures say the same thing whether the address exists or not; five wrong passwords lock the
/// account for 15 minutes (Identity's lockout), and each client address may try only a few times a minute.
/// </summary>
[EnableRateLimiting(SignInRateLimit.Policy)]
public sealed class LoginModel(SignInManager<Account> signIn, IStringLocalizer<Text> text) : PageModel
{
    [BindProperty] public string Email { get; set; } = "";

    [BindProperty] public string Password { get; set; } = "";

    [BindProperty] public string? Credential { get; set; }

    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var result = await signIn.PasswordSignInAsync(Email.Trim(), Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return LocalRedirect(SafeReturnUrl(ReturnUrl));
        }

        if (result.RequiresTwoFactor)
        {
            return RedirectToPage("/LoginTotp", new { ReturnUrl });
        }

        Error = result.IsLockedOut ? text["LockedOut"] : text["BadCredentials"];
        return Page();
    }

    /// <summary>WebAuthn request options (a fresh challenge; any passkey of this site may answer).</summary>
    public async Task<IActionResult> OnPostPasskeyOptionsAsync() =>
        Content(await signIn.MakePasskeyRequestOptionsAsync(null), "application/json");

    public async Task<IActionResult> OnPostPasskeyAsync()
    {
        if (string.IsNullOrEmpty(Credential))
        {
            Error = text["PasskeyFailed"];
            return Page();
        }

        var result = await signIn.PasskeySignInAsync(Credential);
        if (result.Succeeded)
        {
            return LocalRedirect(SafeReturnUrl(ReturnUrl));
        }

        Error = result.IsLockedOut ? text["LockedOut"] : text["PasskeyFailed"];
        return Page();
    }

    /// <summary>Only a path on this site: an open redirect would let a phishing link pass through our sign-in page.</summary>
    internal static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
            ? returnUrl : "/";
}

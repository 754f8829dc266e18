using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using SecureMinutes.Accounts;
using SecureMinutes.Web.Accounts;
using SecureMinutes.Web.Resources;

namespace SecureMinutes.Web.Pages;

/// <summary>
/// The signed-in person's own credentials: passkeys (add, remove), an authenticator app (TOTP) with recovery codes
/// shown once, and the password. Every change renews the security stamp, which signs out the account's other sessions.
/// </summary>
public sealed class AccountModel(UserManager<Account> users, SignInManager<Account> signIn, IStringLocalizer<Text> text, ILogger<AccountModel> logger) : PageModel
{
    [BindProperty] public string? Credential { get; set; }

    [BindProperty] public string? PasskeyName { get; set; }

    [BindProperty] public string? CredentialId { get; set; }

    [BindProperty] public string? Code { get; set; }

    [BindProperty] public string? CurrentPassword { get; set; }

    [BindProperty] public string? NewPassword { get; set; }

    public string Email { get; private set; } = "";

    public IList<UserPasskeyInfo> Passkeys { get; private set; } = [];

    public bool TwoFactorEnabled { get; private set; }

    public bool HasPassword { get; private set; }

    public string? AuthenticatorKey { get; private set; }

    public string? AuthenticatorUri { get; private set; }

    public IEnumerable<string>? RecoveryCodes { get; private set; }

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() is null ? Challenge() : Page();

    public async Task<IActionResult> OnPostPasskeyOptionsAsync()
    {
        var account = await users.GetUserAsync(User);
        if (account is null)
        {
            return Challenge();
        }

        var entity = new PasskeyUserEntity { Id = await users.GetUserIdAsync(account), Name = account.Email, DisplayName = account.Email };
        return Content(await signIn.MakePasskeyCreationOptionsAsync(entity), "application/json");
    }

    public Task<IActionResult> OnPostAddPasskeyAsync() => ChangeAsync(async account =>
    {
        var attestation = string.IsNullOrEmpty(Credential) ? null : await signIn.PerformPasskeyAttestationAsync(Credential);
        if (attestation is { Succeeded: false })
        {
            PasskeyLog.Refused(logger, "registration", attestation.Failure?.Message ?? "unknown");
        }

        if (attestation is not { Succeeded: true } || attestation.UserEntity.Id != await users.GetUserIdAsync(account))
        {
            return text["PasskeyFailed"];
        }

        attestation.Passkey.Name = string.IsNullOrWhiteSpace(PasskeyName) ? text["PasskeyDefaultName"] : PasskeyName.Trim()[..Math.Min(PasskeyName.Trim().Length, 60)];
        var result = await users.AddOrUpdatePasskeyAsync(account, attestation.Passkey);
        Message = result.Succeeded ? text["PasskeyAdded"].Value : null;
        return result.Succeeded ? null : text["PasskeyFailed"].Value;
    });

    public Task<IActionResult> OnPostRemovePasskeyAsync() => ChangeAsync(async account =>
    {
        var id = Convert.FromBase64String(CredentialId ?? "");
        var others = (await users.GetPasskeysAsync(account)).Count - 1;
        if (others == 0 && !await users.HasPasswordAsync(account))
        {
            return text["LastWayToSignIn"];
        }

        await users.RemovePasskeyAsync(account, id);
        Message = text["PasskeyRemoved"];
        return null;
    });

    public Task<IActionResult> OnPostStartTotpAsync() => ChangeAsync(async account =>
    {
        await users.ResetAuthenticatorKeyAsync(account);
        return null;
    }, renewStamp: false);

    public Task<IActionResult> OnPostEnableTotpAsync() => ChangeAsync(async account =>
    {
        var code = (Code ?? "").Replace(" ", "", StringComparison.Ordinal);
        if (!await users.VerifyTwoFactorTokenAsync(account, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            return text["BadCode"];
        }

        await users.SetTwoFactorEnabledAsync(account, true);
        RecoveryCodes = await users.GenerateNewTwoFactorRecoveryCodesAsync(account, 10);
        Message = text["TotpTurnedOn"];
        return null;
    });

    public Task<IActionResult> OnPostNewRecoveryCodesAsync() => ChangeAsync(async account =>
    {
        RecoveryCodes = await users.GenerateNewTwoFactorRecoveryCodesAsync(account, 10);
        return null;
    }, renewStamp: false);

    public Task<IActionResult> OnPostDisableTotpAsync() => ChangeAsync(async account =>
    {
        await users.SetTwoFactorEnabledAsync(account, false);
        await users.ResetAuthenticatorKeyAsync(account);
        Message = text["TotpTurnedOff"];
        return null;
    });

    public Task<IActionResult> OnPostPasswordAsync() => ChangeAsync(async account =>
    {
        var result = await users.HasPasswordAsync(account)
            ? await users.ChangePasswordAsync(account, CurrentPassword ?? "", NewPassword ?? "")
            : await users.AddPasswordAsync(account, NewPassword ?? "");
        Message = result.Succeeded ? text["PasswordSaved"].Value : null;
        return result.Succeeded ? null : string.Join(" ", result.Errors.Select(e => PasswordErrors.Describe(e, text)));
    }, renewStamp: false);

    /// <summary>Runs a change for the signed-in account; on success renews the session cookie so this session stays signed in.</summary>
    private async Task<IActionResult> ChangeAsync(Func<Account, Task<string?>> change, bool renewStamp = true)
    {
        var account = await users.GetUserAsync(User);
        if (account is null)
        {
            return Challenge();
        }

        Error = await change(account);
        if (Error is null)
        {
            if (renewStamp)
            {
                await users.UpdateSecurityStampAsync(account);
            }

            await signIn.RefreshSignInAsync(account);
        }

        await LoadAsync(account);
        return Page();
    }

    private async Task<Account?> LoadAsync(Account? account = null)
    {
        account ??= await users.GetUserAsync(User);
        if (account is null)
        {
            return null;
        }

        Email = account.Email;
        Passkeys = await users.GetPasskeysAsync(account);
        TwoFactorEnabled = await users.GetTwoFactorEnabledAsync(account);
        HasPassword = await users.HasPasswordAsync(account);
        if (!TwoFactorEnabled && await users.GetAuthenticatorKeyAsync(account) is { Length: > 0 } key)
        {
            AuthenticatorKey = string.Join(' ', key.Chunk(4).Select(c => new string(c))).ToLowerInvariant();
            AuthenticatorUri = string.Create(CultureInfo.InvariantCulture,
                $"otpauth://totp/SecureMinutes:{Uri.EscapeDataString(account.Email)}?secret={key}&issuer=SecureMinutes&digits=6");
        }

        return account;
    }
}

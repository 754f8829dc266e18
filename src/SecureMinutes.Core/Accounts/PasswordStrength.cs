using Microsoft.AspNetCore.Identity;

namespace SecureMinutes.Accounts;

/// <summary>
/// Refuses passwords that are long enough but guessable (NIST SP 800-63B §5.1.1.2: check against common and
/// context-specific values rather than demand symbol soup): the most common passwords, one character repeated,
/// and anything built on the account's own address or the product's name. Length itself is Identity's
/// <see cref="PasswordOptions.RequiredLength"/> (12).
/// </summary>
public sealed class PasswordStrength : IPasswordValidator<Account>
{
    private static readonly string[] Common =
    [
        "123456789012", "password1234", "motdepasse12", "azertyuiop12", "qwertyuiop12", "111111111111", "000000000000",
        "iloveyou1234", "aaaaaaaaaaaa", "abcdefghijkl", "administrator", "secureminutes", "changeme1234", "letmein12345",
        "bienvenue123", "welcome12345", "passwordpassword", "motdepassemotdepasse", "azertyazerty", "qwertyqwerty",
        "123456123456", "0123456789ab", "soleil123456", "liberte12345", "collectif123",
    ];

    public Task<IdentityResult> ValidateAsync(UserManager<Account> manager, Account user, string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return Task.FromResult(IdentityResult.Success);
        }

        var lowered = password.ToLowerInvariant();
        var local = user.Email.Split('@')[0].ToLowerInvariant();
        if (password.Distinct().Count() <= 3)
        {
            return Fail("PasswordRepetitive", "the password repeats the same few characters: choose a sentence or several unrelated words");
        }

        if (Common.Any(c => lowered.Contains(c, StringComparison.Ordinal)))
        {
            return Fail("PasswordCommon", "the password is one of the most common passwords: choose a sentence or several unrelated words");
        }

        if (local.Length >= 4 && lowered.Contains(local, StringComparison.Ordinal))
        {
            return Fail("PasswordContainsEmail", "the password contains the account's address: choose something unrelated to it");
        }

        return Task.FromResult(IdentityResult.Success);
    }

    private static Task<IdentityResult> Fail(string code, string description) =>
        Task.FromResult(IdentityResult.Failed(new IdentityError { Code = code, Description = description }));
}

using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using SecureMinutes.Web.Resources;

namespace SecureMinutes.Web.Pages;

/// <summary>Identity's password verdicts in the page's language (Identity itself speaks English only).</summary>
public static class PasswordErrors
{
    public static string Describe(IdentityError error, IStringLocalizer<Text> text) => error.Code switch
    {
        nameof(IdentityErrorDescriber.PasswordTooShort) => text["PasswordTooShort"],
        "PasswordRepetitive" or "PasswordCommon" => text["PasswordGuessable"],
        "PasswordContainsEmail" => text["PasswordContainsEmail"],
        nameof(IdentityErrorDescriber.PasswordMismatch) => text["WrongCurrentPassword"],
        _ => error.Description,
    };
}

using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using SecureMinutes.Joining;
using SecureMinutes.Keys;
using SecureMinutes.Lists;
using SecureMinutes.Web.Resources;
using SecureMinutes.Web.Security;

namespace SecureMinutes.Web.Pages;

/// <summary>
/// The join page an invite link opens (phone-first, no script needed): the person gives their address and public key
/// (pasted, a file, or Thunderbird's "attach my public key" mail); the key is judged as <c>member add</c> judges it and
/// shown (fingerprint, expiry, problems); an acceptable key gets a challenge mail encrypted to it. The answer after
/// sending is the same whether or not the address is already a member.
/// </summary>
[EnableRateLimiting(JoinRateLimit.Policy)]
public sealed class JoinModel(JoinRequests joining, JoinKeyFinder finder, TimeProvider time, IStringLocalizer<Text> text) : PageModel
{
    [BindProperty(SupportsGet = true)] public string Token { get; set; } = "";

    [BindProperty] public string? Email { get; set; }

    [BindProperty] public string? KeyText { get; set; }

    [BindProperty] public IFormFile? KeyFile { get; set; }

    /// <summary>"Find my key" may also ask keys.openpgp.org (the person's own choice, unticked by default).</summary>
    [BindProperty] public bool AskKeyserver { get; set; }

    /// <summary>What "find my key" found, after that button.</summary>
    public FoundJoinKey? Found { get; private set; }

    public MailingList? List { get; private set; }

    public IReadOnlyList<KeyInspection>? Inspections { get; private set; }

    public string? Refusal { get; private set; }

    /// <summary><see cref="Refusal"/> as a code, worded by the page in its reader's language.</summary>
    public KeyProblem? RefusalCode { get; private set; }

    public string? Error { get; private set; }

    public bool Sent { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => List = (await joining.FindOpenInviteAsync(Token, cancellationToken))?.List;

    /// <summary>
    /// "Find my key": the key published for the address (its domain's WKD; keys.openpgp.org only if ticked) goes into the
    /// form and is shown, for the person to check and send like a pasted key.
    /// </summary>
    public async Task<IActionResult> OnPostFindAsync(CancellationToken cancellationToken)
    {
        List = (await joining.FindOpenInviteAsync(Token, cancellationToken))?.List;
        if (List is null)
        {
            return Page();
        }

        if (!IsAddress(Email))
        {
            Error = text["JoinEmailInvalid"];
            return Page();
        }

        try
        {
            Found = await finder.FindAsync(Token, Email ?? "", AskKeyserver, cancellationToken);
            if (Found.ArmoredKey is { } key)
            {
                KeyText = key;
                Inspections = KeyFileReader.Read(System.Text.Encoding.ASCII.GetBytes(key), "found").Select(found => KeyInspection.Of(found, time.GetUtcNow())).ToList();
            }
        }
        catch (UserFacingException ex)
        {
            Error = text.Say(ex.KeyProblem, ex.Message);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        List = (await joining.FindOpenInviteAsync(Token, cancellationToken))?.List;
        if (List is null)
        {
            return Page();
        }

        if (!IsAddress(Email))
        {
            Error = text["JoinEmailInvalid"];
            return Page();
        }

        try
        {
            var (data, name) = await KeyUpload.ReadAsync(KeyText, KeyFile, text, cancellationToken);
            var email = EmailAddress.Parse(Email, text["Email"]);
            Inspections = KeyFileReader.Read(data, name).Select(found => KeyInspection.Of(found, time.GetUtcNow())).ToList();
            var language = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "fr" ? ListLanguage.French : ListLanguage.English;
            var judged = await joining.RequestAsync(Token, email, data, name, language, cancellationToken);
            Refusal = judged.Refusal;
            RefusalCode = judged.RefusalCode;
            Sent = judged.Accepted is not null;
            Email = email;
        }
        catch (JoinLimitException)
        {
            Error = text["JoinTooMany"];
        }
        catch (UserFacingException ex)
        {
            Error = text.Say(ex.KeyProblem, ex.Message);
        }

        return Page();
    }

    /// <summary>Whether <paramref name="email"/> is an address at all: told in the page's language, not Core's English sentence.</summary>
    private static bool IsAddress(string? email)
    {
        try
        {
            EmailAddress.Parse(email);
            return true;
        }
        catch (UserFacingException)
        {
            return false;
        }
    }
}

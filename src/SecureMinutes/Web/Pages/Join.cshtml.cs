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
public sealed class JoinModel(JoinRequests joining, TimeProvider time, IStringLocalizer<Text> text) : PageModel
{
    [BindProperty(SupportsGet = true)] public string Token { get; set; } = "";

    [BindProperty] public string? Email { get; set; }

    [BindProperty] public string? KeyText { get; set; }

    [BindProperty] public IFormFile? KeyFile { get; set; }

    public MailingList? List { get; private set; }

    public IReadOnlyList<KeyInspection>? Inspections { get; private set; }

    public string? Refusal { get; private set; }

    public string? Error { get; private set; }

    public bool Sent { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => List = (await joining.FindOpenInviteAsync(Token, cancellationToken))?.List;

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        List = (await joining.FindOpenInviteAsync(Token, cancellationToken))?.List;
        if (List is null)
        {
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
            Sent = judged.Accepted is not null;
            Email = email;
        }
        catch (JoinLimitException)
        {
            Error = text["JoinTooMany"];
        }
        catch (UserFacingException ex)
        {
            Error = ex.Message;
        }

        return Page();
    }
}

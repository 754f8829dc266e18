using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using SecureMinutes.Lists;
using SecureMinutes.SelfService;
using SecureMinutes.Web.Resources;
using SecureMinutes.Web.Security;

namespace SecureMinutes.Web.Pages;

/// <summary>
/// The page a member's personal link opens (the footer of every mail they receive; phone-first, no script needed):
/// update my key (judged as <c>member add --replace</c> judges it, then confirmed by mail) or leave the list (one tap).
/// Reading the page changes nothing: a mail scanner that fetches links ahead uses up nothing. The link carries no address,
/// and the page shows none.
/// </summary>
[EnableRateLimiting(JoinRateLimit.Policy)]
public sealed class MemberLinkModel(MemberLinks links, KeyUpdates updates, Leaving leaving, IStringLocalizer<Text> text) : PageModel
{
    [BindProperty(SupportsGet = true)] public string Token { get; set; } = "";

    [BindProperty] public string? KeyText { get; set; }

    [BindProperty] public IFormFile? KeyFile { get; set; }

    public MailingList? List { get; private set; }

    public Member? Member { get; private set; }

    public KeyUpdateOutcome? Update { get; private set; }

    public MailingList? Left { get; private set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await FindAsync(cancellationToken);

    public async Task<IActionResult> OnPostUpdateAsync(CancellationToken cancellationToken)
    {
        if (!await FindAsync(cancellationToken))
        {
            return Page();
        }

        try
        {
            var (data, name) = await KeyUpload.ReadAsync(KeyText, KeyFile, text, cancellationToken);
            Update = await updates.RequestAsync(Token, data, name, cancellationToken);
        }
        catch (UserFacingException ex)
        {
            Error = text.Say(ex.KeyProblem, ex.Message);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostLeaveAsync(CancellationToken cancellationToken)
    {
        Left = await leaving.LeaveAsync(Token, cancellationToken);
        if (Left is null)
        {
            await FindAsync(cancellationToken);
        }

        return Page();
    }

    private async Task<bool> FindAsync(CancellationToken cancellationToken)
    {
        (Member, List) = await links.FindAsync(Token, cancellationToken) is var (member, list) ? (member, list) : ((Member?)null, (MailingList?)null);
        return List is not null;
    }
}

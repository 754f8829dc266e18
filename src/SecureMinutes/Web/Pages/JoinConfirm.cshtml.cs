using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using SecureMinutes.Joining;
using SecureMinutes.Web.Security;

namespace SecureMinutes.Web.Pages;

/// <summary>
/// The link inside the challenge mail. Opening it shows one button; the tap (a POST, so a mail client or scanner that
/// fetches links ahead does not confirm anything) makes the person a member, or puts them before a list admin.
/// </summary>
[EnableRateLimiting(JoinRateLimit.Policy)]
public sealed class JoinConfirmModel(JoinRequests joining) : PageModel
{
    [BindProperty(SupportsGet = true)] public string Token { get; set; } = "";

    public JoinOutcome? Outcome { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Outcome = await joining.ConfirmAsync(Token, cancellationToken);
        return Page();
    }
}

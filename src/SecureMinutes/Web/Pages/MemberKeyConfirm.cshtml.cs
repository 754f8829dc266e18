using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using SecureMinutes.SelfService;
using SecureMinutes.Web.Security;

namespace SecureMinutes.Web.Pages;

/// <summary>
/// The link inside a key update's mails (the one encrypted to the new key, and the one encrypted to the old key).
/// Opening it shows one button; the tap (a POST: a scanner fetching links ahead confirms nothing) records that
/// confirmation, and the key changes once both sides agreed (or waits for an admin when the old key is unusable).
/// </summary>
[EnableRateLimiting(JoinRateLimit.Policy)]
public sealed class MemberKeyConfirmModel(KeyUpdates updates) : PageModel
{
    [BindProperty(SupportsGet = true)] public string Token { get; set; } = "";

    public KeyUpdateOutcome? Outcome { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Outcome = await updates.ConfirmAsync(Token, cancellationToken);
        return Page();
    }
}

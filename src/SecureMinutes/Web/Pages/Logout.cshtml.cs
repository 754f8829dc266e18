using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SecureMinutes.Accounts;

namespace SecureMinutes.Web.Pages;

/// <summary>Signing out is a POST (with its antiforgery token): a link or an image elsewhere cannot sign anyone out.</summary>
public sealed class LogoutModel(SignInManager<Account> signIn) : PageModel
{
    public IActionResult OnGet() => RedirectToPage("/Index");

    public async Task<IActionResult> OnPostAsync()
    {
        await signIn.SignOutAsync();
        return RedirectToPage("/Login");
    }
}

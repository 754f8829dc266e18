using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SecureMinutes.Accounts;
using SecureMinutes.Web.Security;

namespace SecureMinutes.Web.Pages.Lists;

/// <summary>
/// A page about one list (<c>/lists/{list}/…</c>). <see cref="ListAccessFilter"/> has already refused anyone without
/// the role the page declares; the page reads the list it was granted from <see cref="Grant"/>, never by name again.
/// </summary>
public abstract class ListPage : PageModel
{
    public ListGrant Grant => ListAccessFilter.Grant(HttpContext);

    protected long AccountId => ListAccessFilter.AccountId(User) ?? throw new InvalidOperationException("Not signed in.");

    /// <summary>Who did it, for the audit log and delivery details: the account's address.</summary>
    protected string Actor => User.Identity?.Name ?? "web";

    /// <summary>What the last action did, shown above the page.</summary>
    public string? Message { get; protected set; }

    /// <summary>Why the last action was refused (one line, in the user's words), shown above the page.</summary>
    public string? Error { get; protected set; }

    /// <summary>
    /// Runs a form's action; a refusal (<see cref="UserFacingException"/>, or what <see cref="DescribeRefusal"/> recognises)
    /// becomes <see cref="Error"/>. The page's data is then read again with <paramref name="reload"/>, and the page shown.
    /// </summary>
    protected async Task<IActionResult> ActAsync(Func<Task> action, Func<Task> reload)
    {
        try
        {
            await action();
        }
        catch (Exception ex) when (DescribeRefusal(ex) is { } refusal)
        {
            Error = refusal;
        }

        await reload();
        return Page();
    }

    /// <summary>The one line an exception means for the user, or null when it is not a refusal (a bug: it propagates).</summary>
    protected virtual string? DescribeRefusal(Exception exception) => exception is UserFacingException refused ? refused.Message : null;
}

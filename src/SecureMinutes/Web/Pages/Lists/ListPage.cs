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
}

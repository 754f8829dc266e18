using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using SecureMinutes.Accounts;

namespace SecureMinutes.Web.Security;

/// <summary>
/// Runs before every page handler of the app (registered globally, so no page can forget it): a page whose route
/// names a list (<c>{list}</c>) runs only for an account holding the role the page declares
/// (<see cref="ListRoleAttribute"/>, default: any role) on that list. Anyone else gets 404, exactly as for a list that
/// does not exist. The page reads the list it was granted with <see cref="Grant"/>; nothing else looks lists up by name.
/// </summary>
public sealed class ListAccessFilter(ListAccess access) : IAsyncPageFilter
{
    private const string ItemKey = "secureminutes.list-grant";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (context.RouteData.Values.TryGetValue("list", out var value) && value is string listName)
        {
            var user = context.HttpContext.User;
            var required = context.HandlerInstance.GetType().GetCustomAttributes(typeof(ListRoleAttribute), true)
                .OfType<ListRoleAttribute>().FirstOrDefault()?.Required ?? ListRole.NoteTaker;
            var grant = AccountId(user) is { } accountId
                ? await access.FindAsync(accountId, IsInstallationAdmin(user), listName, context.HttpContext.RequestAborted)
                : null;
            if (grant is null || !grant.Role.Allows(required))
            {
                context.Result = new NotFoundResult();
                return;
            }

            context.HttpContext.Items[ItemKey] = grant;
        }

        await next();
    }

    /// <summary>The list the current page was granted (only on pages whose route has <c>{list}</c>).</summary>
    public static ListGrant Grant(HttpContext context) =>
        context.Items[ItemKey] as ListGrant ?? throw new InvalidOperationException("This page has no {list} in its route.");

    /// <summary>Replaces the granted list with a fresher copy of the same list (after the page changed its settings).</summary>
    public static void Refresh(HttpContext context, ListGrant grant)
    {
        if (Grant(context).List.Id != grant.List.Id)
        {
            throw new InvalidOperationException("A page may refresh its own list only.");
        }

        context.Items[ItemKey] = grant;
    }

    /// <summary>The signed-in account's id, from Identity's name-identifier claim.</summary>
    public static long? AccountId(ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? id : null;

    public static bool IsInstallationAdmin(ClaimsPrincipal user) => user.HasClaim(AccountClaims.InstallationAdmin, "true");
}

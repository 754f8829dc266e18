namespace SecureMinutes.Web.Security;

/// <summary>
/// Headers on every answer: a Content-Security-Policy that allows only our own scripts, styles and images (no inline
/// script, no other origin: a request to a third party would tell it who reads which list, and when), no framing,
/// no Referer leaving the site, no MIME sniffing. Pages that show minutes or keys also get <c>Cache-Control: no-store</c>
/// (<see cref="NoStore"/>); every page does, in fact, since all of them show what a list holds.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>The policy for our pages. <c>form-action 'self'</c>: a form can post only back to us.</summary>
    public const string Policy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        + "font-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    /// <summary>Hangfire's dashboard styles elements inline and draws charts from data: everything still from us only.</summary>
    public const string DashboardPolicy = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        + "connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/jobs") ? DashboardPolicy : Policy;
            headers["Referrer-Policy"] = "no-referrer";
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Cross-Origin-Resource-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), interest-cohort=()";
            if (!context.Request.Path.StartsWithSegments("/assets"))
            {
                NoStore(context.Response);
            }

            return Task.CompletedTask;
        });
        await next(context);
    });

    /// <summary>Neither the browser nor any proxy keeps a copy: the back button after signing out shows nothing.</summary>
    public static void NoStore(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store, max-age=0";
        response.Headers.Pragma = "no-cache";
    }
}

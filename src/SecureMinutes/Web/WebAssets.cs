using Microsoft.Extensions.FileProviders;

namespace SecureMinutes.Web;

/// <summary>
/// Our stylesheet, script and icons, embedded in the program and served under <c>/assets</c>: nothing is fetched
/// from another origin, and there is no web root to find or copy when the program is installed.
/// </summary>
public static class WebAssets
{
    public static IApplicationBuilder UseWebAssets(this IApplicationBuilder app) => app.UseStaticFiles(new StaticFileOptions
    {
        RequestPath = "/assets",
        FileProvider = new EmbeddedFileProvider(typeof(WebAssets).Assembly, "SecureMinutes.Web.wwwroot"),
        OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "public, max-age=3600",
    });
}

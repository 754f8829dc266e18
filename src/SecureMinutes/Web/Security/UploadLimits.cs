using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Localization;
using SecureMinutes.Keys;
using SecureMinutes.Minutes;
using SecureMinutes.Web.Resources;

namespace SecureMinutes.Web.Security;

/// <summary>
/// How much a request may carry, decided from its path before a byte of the body is read: the send page takes the
/// minutes and attachments limits (plus form overhead), key pages a key file, everything else a small form. Kestrel
/// counts bytes as they stream in and stops at the limit (<see cref="IHttpMaxRequestBodySizeFeature"/>); a declared
/// Content-Length over it is refused at once. Either way the person gets one clear sentence, never a stack trace.
/// </summary>
public static class UploadLimits
{
    private const long SmallForm = 256 * 1024;
    private const long FormOverhead = 64 * 1024;

    public static long For(PathString path, IntakeLimits intake)
    {
        var segments = path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        return segments is ["lists", _, "send", ..] ? intake.MaxTextBytes + intake.MaxAttachmentBytes + FormOverhead
            : segments is ["lists", _, "members", ..] ? KeyFileReader.MaxFileBytes + FormOverhead
            : SmallForm;
    }

    public static IApplicationBuilder UseUploadLimits(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var limit = For(context.Request.Path, context.RequestServices.GetRequiredService<IntakeLimits>());
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        if (context.Request.ContentLength > limit)
        {
            await RefuseAsync(context, limit);
            return;
        }

        try
        {
            await next(context);
        }
        catch (Exception ex) when (!context.Response.HasStarted && IsTooLarge(ex))
        {
            await RefuseAsync(context, limit);
        }
    });

    private static bool IsTooLarge(Exception ex) =>
        ex is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } || ex is InvalidDataException { Message: var m } && m.Contains("limit", StringComparison.OrdinalIgnoreCase)
        || ex.InnerException is { } inner && IsTooLarge(inner);

    private static async Task RefuseAsync(HttpContext context, long limit)
    {
        var text = context.RequestServices.GetRequiredService<IStringLocalizer<Text>>();
        context.Response.Clear();
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        context.Response.ContentType = "text/html; charset=utf-8";
        var message = WebUtility.HtmlEncode(text["TooLarge", IntakeLimits.Describe(limit)]);
        var back = WebUtility.HtmlEncode(text["GoBack"]);
        await context.Response.WriteAsync(string.Create(CultureInfo.InvariantCulture,
            $"<!DOCTYPE html><html lang=\"{CultureInfo.CurrentUICulture.TwoLetterISOLanguageName}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>413</title><link rel=\"stylesheet\" href=\"/assets/site.css\"></head><body><main><h1>{message}</h1><p><a href=\"/\">{back}</a></p></main></body></html>"));
    }
}

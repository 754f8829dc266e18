using System.Globalization;
using Hangfire;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using SecureMinutes.Accounts;
using SecureMinutes.Secrets;
using SecureMinutes.Web.Security;

namespace SecureMinutes.Web;

/// <summary>
/// The web app's own registrations and pipeline, beside the one composition (<see cref="ServiceCollectionExtensions.AddSecureMinutes"/>):
/// Identity sign-in with cookies, Razor Pages with per-list access, localization, data protection sealed by the vault,
/// rate-limited sign-in, strict headers, and Hangfire's dashboard for installation admins. <c>serve</c> and the HTTP
/// tests both build the app from these two methods, so what is tested is what runs.
/// </summary>
public static class WebApp
{
    public static readonly CultureInfo[] Cultures = [new("fr"), new("en")];

    /// <summary>The only pages open without signing in.</summary>
    private static readonly string[] AnonymousPages = ["/Login", "/LoginTotp", "/Invite", "/Culture", "/Status", "/Join", "/JoinConfirm", "/MemberLink", "/MemberKeyConfirm"];

    public static IServiceCollection AddSecureMinutesWeb(this IServiceCollection services, SecureMinutesOptions options, WebSettings settings)
    {
        services.AddSecureMinutes(options);
        services.AddHttpContextAccessor();
        // French text as characters, not &#xE9; entities: smaller pages, same safety (only HTML's own characters are escaped).
        services.AddWebEncoders(encoders => encoders.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddIdentityCore<Account>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<AccountClaims>();
        services.Configure<IdentityPasskeyOptions>(passkeys =>
        {
            // A passkey belongs to the site people reach (the public address), and answers only a page of that
            // exact origin, never a frame (Identity's own check wants https; an onion service or localhost is http).
            if (options.PublicUrl is { } url)
            {
                passkeys.ServerDomain = url.Host;
            }

            passkeys.ValidateOrigin = context => ValueTask.FromResult(!context.CrossOrigin && string.Equals(context.Origin,
                options.PublicUrl is { } publicUrl ? publicUrl.GetLeftPart(UriPartial.Authority) : $"{context.HttpContext.Request.Scheme}://{context.HttpContext.Request.Host}",
                StringComparison.Ordinal));
        });
        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.Cookie.Name = "sm-session";
            cookie.LoginPath = "/login";
            cookie.LogoutPath = "/logout";
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            cookie.SlidingExpiration = true;
            cookie.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });
        // Every cookie we set (session, two-factor step, passkey ceremony): script cannot read it, no other site sends it,
        // and it is Secure whenever the request came over TLS (directly or from a trusted proxy).
        services.PostConfigureAll<CookieAuthenticationOptions>(cookie =>
        {
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.Configure<SecurityStampValidatorOptions>(stamp => stamp.ValidationInterval = TimeSpan.FromMinutes(5));
        services.AddAuthorizationBuilder()
            .AddPolicy(AccountClaims.InstallationAdminPolicy, policy => policy.RequireClaim(AccountClaims.InstallationAdmin, "true"))
            .AddPolicy(MetricsEndpoint.Policy, MetricsEndpoint.Configure);
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "sm-antiforgery";
            antiforgery.Cookie.HttpOnly = true;
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            antiforgery.HeaderName = "X-CSRF-TOKEN";
        });

        var keys = Directory.CreateDirectory(Path.Combine(options.DataDirectory, "web-keys"));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keys.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        services.AddDataProtection()
            .SetApplicationName("SecureMinutes")
            .PersistKeysToFileSystem(keys);
        services.AddOptions<KeyManagementOptions>().Configure<Vault>((key, vault) => key.XmlEncryptor = new VaultXmlEncryptor(vault));

        services.AddLocalization();
        services.Configure<RequestLocalizationOptions>(localization =>
        {
            localization.DefaultRequestCulture = new RequestCulture("fr");
            localization.SupportedCultures = Cultures;
            localization.SupportedUICultures = Cultures;
            // The visible switch (a cookie) wins over the browser's language; nothing is read from the query string.
            localization.RequestCultureProviders = [new CookieRequestCultureProvider(), new AcceptLanguageHeaderRequestCultureProvider()];
        });

        services.AddSignInRateLimit(settings.SignInAttemptsPerMinute);
        services.AddJoinRateLimit(settings.JoinPostsPerMinute);
        services.AddRazorPages(pages =>
            {
                pages.RootDirectory = "/Web/Pages";
                pages.Conventions.AuthorizeFolder("/");
                foreach (var open in AnonymousPages)
                {
                    pages.Conventions.AllowAnonymousToPage(open);
                }
            })
            .AddMvcOptions(mvc => mvc.Filters.Add<ListAccessFilter>())
            .ConfigureApplicationPartManager(parts =>
            {
                // The pages are compiled into this assembly; a host whose entry assembly is another (tests) still finds them.
                var assembly = typeof(WebApp).Assembly;
                if (!parts.ApplicationParts.OfType<AssemblyPart>().Any(part => part.Assembly == assembly))
                {
                    foreach (var part in ApplicationPartFactory.GetApplicationPartFactory(assembly).GetApplicationParts(assembly))
                    {
                        parts.ApplicationParts.Add(part);
                    }
                }
            });
        services.AddScoped<ListAccessFilter>();
        // Hangfire's dashboard refuses to map unless this marker service exists (what AddHangfire registers); nothing is
        // configured on it; the route table is the dashboard's own pages. The dashboard gets this provider's storage explicitly, never JobStorage.Current.
        services.AddSingleton<IGlobalConfiguration>(GlobalConfiguration.Configuration);
        services.AddSingleton(_ => Hangfire.Dashboard.DashboardRoutes.Routes);
        return services;
    }

    public static void UseSecureMinutesWeb(this IApplicationBuilder app, WebSettings settings)
    {
        if (settings.TrustedProxies.Count > 0)
        {
            var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in settings.TrustedProxies)
            {
                forwarded.KnownIPNetworks.Add(proxy);
            }

            app.UseForwardedHeaders(forwarded);
        }

        app.UseSecurityHeaders();
        app.UseStatusCodePagesWithReExecute("/status/{0}");
        app.UseRequestLocalization();
        app.UseWebAssets();
        app.UseUploadLimits();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();

        app.UseEndpoints(endpoints =>
        {
            endpoints.MapHealthCheck();
            endpoints.MapInstallationMetrics();
            endpoints.MapRazorPages();
            endpoints.MapHangfireDashboardWithAuthorizationPolicy(AccountClaims.InstallationAdminPolicy, "/jobs",
                new DashboardOptions { AppPath = "/", DisplayStorageConnectionString = false, DashboardTitle = "SecureMinutes" },
                endpoints.ServiceProvider.GetRequiredService<JobStorage>());
        });
    }
}

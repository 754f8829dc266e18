using Microsoft.Playwright;

namespace SecureMinutes.WebTests.EndToEnd;

/// <summary>Debian's Chromium driven by Playwright (its own browser download is not reachable), headless, as ../shared/tools/README.md says.</summary>
public static class Browser
{
    public const string Chromium = "/usr/bin/chromium";

    public static readonly string[] Flags =
        ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true, Args = Flags });
        return (playwright, browser);
    }

    /// <summary>A fresh profile (no cookies) the size of a phone (390×844) or a laptop (1280×800), speaking <paramref name="locale"/>.</summary>
    public static Task<IBrowserContext> ContextAsync(IBrowser browser, string baseUrl, int width, string locale) => browser.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = baseUrl,
        ViewportSize = new ViewportSize { Width = width, Height = width < 600 ? 844 : 800 },
        Locale = locale,
        IsMobile = width < 600,
        HasTouch = width < 600,
        DeviceScaleFactor = 1,
    });
}

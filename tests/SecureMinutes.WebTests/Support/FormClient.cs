using System.Net;
using System.Text.RegularExpressions;

namespace SecureMinutes.WebTests.Support;

/// <summary>
/// An HTTP client that behaves like a browser with forms: before each POST it reads the page's antiforgery token
/// (as the hidden field a browser would send), unless a test wants to post without it.
/// </summary>
public sealed partial class FormClient(HttpClient http) : IDisposable
{
    public HttpClient Http { get; } = http;

    public Task<HttpResponseMessage> GetAsync(string path) => Http.GetAsync(new Uri(path, UriKind.Relative));

    public async Task<string> GetPageAsync(string path)
    {
        var response = await GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode}");
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Reads the token from <paramref name="formPage"/> (default: the page posted to), then posts the form with it.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string path, Dictionary<string, string> fields, string? formPage = null, bool withToken = true)
    {
        var content = new Dictionary<string, string>(fields);
        if (withToken)
        {
            content["__RequestVerificationToken"] = await TokenAsync(formPage ?? path.Split('?')[0]);
        }

        return await Http.PostAsync(new Uri(path, UriKind.Relative), new FormUrlEncodedContent(content));
    }

    public async Task<HttpResponseMessage> PostMultipartAsync(string path, MultipartFormDataContent content, string? formPage = null)
    {
        content.Add(new StringContent(await TokenAsync(formPage ?? path.Split('?')[0])), "__RequestVerificationToken");
        return await Http.PostAsync(new Uri(path, UriKind.Relative), content);
    }

    public async Task<string> TokenAsync(string page)
    {
        var html = await GetPageAsync(page);
        var match = TokenField().Match(html);
        Assert.True(match.Success, $"no antiforgery token on {page}");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    public void Dispose() => Http.Dispose();
}

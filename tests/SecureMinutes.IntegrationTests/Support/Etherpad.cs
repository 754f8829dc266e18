using System.Net.Http.Json;
using System.Text.Json;

namespace SecureMinutes.IntegrationTests.Support;

/// <summary>
/// The shared real Etherpad (<c>../shared/tools/etherpad/etherpad.sh</c>): started once per test run
/// (idempotent; the first start installs it from npm, ~30 s), pads created through its HTTP API with
/// unique names so tests never share one.
/// </summary>
public static class Etherpad
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private static string? _url;
    private static string? _apiKey;

    public static string Url => _url ?? throw new InvalidOperationException("Etherpad.StartAsync first");

    public static string ApiKey => _apiKey ?? throw new InvalidOperationException("Etherpad.StartAsync first");

    public static async Task StartAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_url is not null)
            {
                return;
            }

            var result = await ProcessRunner.RunAsync("bash", [Path.Combine(RepoPaths.Tools, "etherpad", "etherpad.sh"), "start"], timeout: TimeSpan.FromMinutes(5));
            Assert.True(result.ExitCode == 0, "etherpad.sh start failed (node and npm are needed)\n" + result);
            var values = result.Stdout.Split('\n').Where(l => l.Contains('=', StringComparison.Ordinal))
                .ToDictionary(l => l[..l.IndexOf('=', StringComparison.Ordinal)], l => l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim());
            _apiKey = values["ETHERPAD_APIKEY"];
            _url = values["ETHERPAD_URL"];
        }
        finally
        {
            Gate.Release();
        }
    }

    public static string NewPadName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    /// <summary>Creates a pad holding exactly <paramref name="text"/> (Etherpad then adds a final newline).</summary>
    public static async Task CreatePadAsync(string padId, string text)
    {
        await CallAsync("createPad", new() { ["padID"] = padId });
        await SetTextAsync(padId, text);
    }

    public static Task SetTextAsync(string padId, string text) => CallAsync("setText", new() { ["padID"] = padId, ["text"] = text });

    public static Task DeletePadAsync(string padId) => CallAsync("deletePad", new() { ["padID"] = padId });

    /// <summary>The pad's text as Etherpad itself gives it: what every member must receive.</summary>
    public static async Task<string> GetTextAsync(string padId, int? revision = null)
    {
        var parameters = new Dictionary<string, string> { ["padID"] = padId };
        if (revision is { } rev)
        {
            parameters["rev"] = rev.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var text = (await CallAsync("getText", parameters)).GetProperty("text");
        return (text.ValueKind == JsonValueKind.Object ? text.GetProperty("text") : text).GetString()!;
    }

    public static async Task<int> RevisionsAsync(string padId) =>
        (await CallAsync("getRevisionsCount", new() { ["padID"] = padId })).GetProperty("revisions").GetInt32();

    public static async Task<string> ReadOnlyIdAsync(string padId) =>
        (await CallAsync("getReadOnlyID", new() { ["padID"] = padId })).GetProperty("readOnlyID").GetString()!;

    /// <summary>POSTs (large text does not fit in a query string) and checks Etherpad's "code" (errors come as HTTP 200).</summary>
    private static async Task<JsonElement> CallAsync(string function, Dictionary<string, string> parameters)
    {
        parameters["apikey"] = ApiKey;
        using var response = await Http.PostAsync($"{Url}/api/1.2.13/{function}", new FormUrlEncodedContent(parameters));
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(answer.GetProperty("code").GetInt32() == 0, $"Etherpad {function}: {answer}");
        return answer.GetProperty("data");
    }
}

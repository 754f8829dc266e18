using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using SecureMinutes.Accounts;
using SecureMinutes.Distribution;
using SecureMinutes.Storage;
using SecureMinutes.WebTests.Support;

namespace SecureMinutes.WebTests.Http;

/// <summary>
/// Sending minutes over HTTP against real SQLite: preview first, one submission however often it is confirmed, the
/// delivery page and its live figures, retry and cancel, upload limits, and lists a note-taker may not see.
/// </summary>
public sealed partial class SendTests(SendTests.Fixture fixture) : IClassFixture<SendTests.Fixture>
{
    public sealed class Fixture : IAsyncLifetime
    {
        public WebAppFactory App { get; } = new();

        public async Task InitializeAsync()
        {
            await App.ListAsync("alpha");
            await App.ListAsync("beta");
            await App.AccountAsync("notes-alpha@example.test", list: "alpha", role: ListRole.NoteTaker);
        }

        public Task DisposeAsync()
        {
            App.Dispose();
            return Task.CompletedTask;
        }
    }

    private WebAppFactory App => fixture.App;

    [Fact]
    public async Task Minutes_ArePreviewedThenSentOnce_EvenWhenConfirmedTwice()
    {
        using var client = await App.SignedInAsync("notes-alpha@example.test");
        var draftPage = await ComposeAsync(client, "# AG du 12\n\n- **Vote** : oui", when: "now");
        var preview = await client.GetPageAsync(draftPage);
        Assert.Contains("3 membres le recevront", preview, StringComparison.Ordinal);
        Assert.Contains("<strong>Vote</strong>", preview, StringComparison.Ordinal);
        Assert.Contains("AG du 12", preview, StringComparison.Ordinal);

        var token = await client.TokenAsync(draftPage);
        var first = client.Http.PostAsync(new Uri(draftPage, UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        var second = client.Http.PostAsync(new Uri(draftPage, UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        var answers = await Task.WhenAll(first, second);
        var targets = answers.Select(a => a.Headers.Location?.OriginalString).Distinct().ToList();
        Assert.Single(targets);
        Assert.Matches("^/lists/alpha/deliveries/sub-", targets[0]);
        var submissionId = targets[0]!.Split('/')[^1];

        var later = await client.PostFormAsync(draftPage, [], formPage: "/");
        Assert.Equal(targets[0], later.Headers.Location?.OriginalString);
        var list = await App.Services.GetRequiredService<ListStore>().GetAsync("alpha");
        Assert.Single(await App.Services.GetRequiredService<SubmissionStore>().LatestAsync(list.Id, SubmissionKind.Minutes, 10), s => s.Id == submissionId);

        var delivery = await client.GetPageAsync(targets[0]!);
        Assert.Contains("AG du 12", delivery, StringComparison.Ordinal);
        Assert.Contains("camille@members.example.test", delivery, StringComparison.Ordinal);
        var progress = JsonDocument.Parse(await client.GetPageAsync(targets[0] + "?handler=Progress")).RootElement;
        Assert.Equal(3, progress.GetProperty("total").GetInt32());
        Assert.Equal(3, progress.GetProperty("copies").GetArrayLength());
    }

    [Fact]
    public async Task Preview_NamesWhoWillBeSkippedAndWhy_AndConfirmingMakesExactlyThoseCopies()
    {
        // Its own list: it requires verified keys and only camille's is verified.
        var gamma = await App.ListAsync("gamma");
        await App.AccountAsync("notes-gamma@example.test", list: "gamma", role: ListRole.NoteTaker);
        var camille = await App.Services.GetRequiredService<MemberStore>().FindAsync(gamma.Id, "camille@members.example.test");
        await App.Services.GetRequiredService<SecureMinutes.Lists.MemberVerification>().VerifyAsync("gamma", camille!.Email, camille.Fingerprint.Hex, "test");
        await App.Services.GetRequiredService<ListStore>().SetRequireVerifiedAsync(gamma.Id, true,
            new SecureMinutes.Keyring.AuditEntry(gamma.Id, DateTimeOffset.UtcNow, "test", SecureMinutes.Keyring.AuditActions.RequireVerified));
        using var client = await App.SignedInAsync("notes-gamma@example.test");

        var draftPage = await ComposeAsync(client, "Compte-rendu pour les clés vérifiées", when: "now", list: "gamma");
        var preview = WebUtility.HtmlDecode(await client.GetPageAsync(draftPage));
        Assert.Contains("1 membres le recevront", preview, StringComparison.Ordinal);
        Assert.Contains("2 ne le recevront pas (jamais d'envoi en clair)", preview, StringComparison.Ordinal);
        Assert.Contains("dominique@members.example.test: <span class=\"muted\">not sent: the list requires verified keys", preview, StringComparison.Ordinal);
        Assert.Contains("sacha@members.example.test: <span class=\"muted\">not sent: the list requires verified keys", preview, StringComparison.Ordinal);
        Assert.DoesNotContain("camille@members.example.test:", preview, StringComparison.Ordinal);

        var sent = await client.PostFormAsync(draftPage, []);
        var copies = await App.Services.GetRequiredService<DeliveryStore>().ListAsync(sent.Headers.Location!.OriginalString.Split('/')[^1]);
        Assert.Equal(["camille@members.example.test", "dominique@members.example.test", "sacha@members.example.test"], copies.Select(c => c.Email));
        Assert.Equal([DeliveryState.Queued, DeliveryState.SkippedNoKey, DeliveryState.SkippedNoKey], copies.Select(c => c.State));
    }

    [Fact]
    public async Task ScheduledSend_CanBeCancelledBeforeItsTime_AndFailedCopiesRetried()
    {
        using var client = await App.SignedInAsync("notes-alpha@example.test");
        var draftPage = await ComposeAsync(client, "Compte-rendu programmé", when: "later", sendAt: DateTime.Now.AddDays(2).ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture));
        var sent = await client.PostFormAsync(draftPage, []);
        var deliveryPage = sent.Headers.Location!.OriginalString;
        Assert.Contains("Annuler cet envoi", await client.GetPageAsync(deliveryPage), StringComparison.Ordinal);

        var cancelled = await client.PostFormAsync(deliveryPage + "?handler=Cancel", [], formPage: deliveryPage);
        var page = await cancelled.Content.ReadAsStringAsync();
        Assert.Contains("Cet envoi a été annulé", page, StringComparison.Ordinal);
        var id = deliveryPage.Split('/')[^1];
        var copies = await App.Services.GetRequiredService<DeliveryStore>().ListAsync(id);
        Assert.All(copies, c => Assert.Equal(DeliveryState.Cancelled, c.State));

        var now = await ComposeAsync(client, "Compte-rendu à réessayer", when: "now");
        var nowDelivery = (await client.PostFormAsync(now, [])).Headers.Location!.OriginalString;
        var nowId = nowDelivery.Split('/')[^1];
        var store = App.Services.GetRequiredService<DeliveryStore>();
        var first = (await store.ListAsync(nowId))[0];
        await store.MarkAsync(nowId, first.MemberId, DeliveryState.FailedPermanent, "550 mailbox full", DateTimeOffset.UtcNow);
        var retried = await (await client.PostFormAsync(nowDelivery + "?handler=Retry", [], formPage: nowDelivery)).Content.ReadAsStringAsync();
        Assert.Contains("1 exemplaires remis en file d'attente", WebUtility.HtmlDecode(retried), StringComparison.Ordinal);
        Assert.Equal(DeliveryState.Queued, (await store.ListAsync(nowId)).Single(c => c.MemberId == first.MemberId).State);
    }

    [Fact]
    public async Task NoteTaker_GetsNotFound_ForAnotherListAndItsDeliveries_ExactlyAsForNoList()
    {
        using var client = await App.SignedInAsync("notes-alpha@example.test");
        var missing = await client.GetAsync("/lists/does-not-exist/send");
        var other = await client.GetAsync("/lists/beta/send");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(WithoutTokens(await missing.Content.ReadAsStringAsync()), WithoutTokens(await other.Content.ReadAsStringAsync()));
        Assert.DoesNotContain("beta", await client.GetPageAsync("/"), StringComparison.Ordinal);

        await App.AccountAsync("notes-beta@example.test", list: "beta");
        using var beta = await App.SignedInAsync("notes-beta@example.test");
        var betaDraft = await ComposeAsync(beta, "Minutes of beta", when: "now", list: "beta");
        var betaDelivery = (await beta.PostFormAsync(betaDraft, [])).Headers.Location!.OriginalString;
        var betaId = betaDelivery.Split('/')[^1];

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(betaDelivery)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/lists/alpha/deliveries/{betaId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/lists/alpha/deliveries/{betaId}?handler=Progress")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(betaDraft.Replace("/beta/", "/alpha/", StringComparison.Ordinal))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostFormAsync($"/lists/beta/send", new() { ["Text"] = "x" }, formPage: "/")).StatusCode);
    }

    [Fact]
    public async Task OversizeUpload_IsRefusedWithAClearMessage_BeforeAnythingIsStored()
    {
        using var client = await App.SignedInAsync("notes-alpha@example.test");
        using var huge = new MultipartFormDataContent
        {
            { new StringContent("Minutes"), "Text" },
            { new ByteArrayContent(new byte[3 * 1024 * 1024]), "Attachments", "scan.pdf" },
        };
        var refused = await client.PostMultipartAsync("/lists/alpha/send", huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.Contains("Trop volumineux", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var over = new MultipartFormDataContent
        {
            { new StringContent("Minutes"), "Text" },
            { new ByteArrayContent(new byte[300 * 1024]), "Attachments", "photo.jpg" },
        };
        var overLimit = await client.PostMultipartAsync("/lists/alpha/send", over);
        Assert.Equal(HttpStatusCode.OK, overLimit.StatusCode);
        Assert.Contains("photo.jpg est trop volumineux", await overLimit.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LivePreview_RendersMarkdownSafely()
    {
        using var client = await App.SignedInAsync("notes-alpha@example.test");
        var response = await client.PostFormAsync("/lists/alpha/send?handler=Render",
            new() { ["Text"] = "**ok** <script>alert(1)</script> [x](javascript:alert(1)) ![t](https://tracker.example/p.png)", ["Format"] = "markdown" },
            formPage: "/lists/alpha/send");
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<strong>ok</strong>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.DoesNotContain("javascript:", html, StringComparison.Ordinal);
        Assert.DoesNotContain("tracker.example", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LivePreview_OfMinutesTooLargeToRender_SaysWhyInOneLine_InsteadOfFailing()
    {
        using var client = await App.SignedInAsync("notes-alpha@example.test");
        var widened = "| a | b |\n|-|-|\n" + string.Concat(Enumerable.Repeat("| 1 | 2 |\n", 300)) + "|" + string.Concat(Enumerable.Repeat(" x |", 40)) + "\n";

        var response = await client.PostFormAsync("/lists/alpha/send?handler=Render",
            new() { ["Text"] = widened, ["Format"] = "markdown" }, formPage: "/lists/alpha/send");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("more than 5,000 cells", html, StringComparison.Ordinal);
        Assert.Contains("role=\"alert\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<table", html, StringComparison.Ordinal);
    }

    /// <summary>Posts the compose form (multipart, as a browser does) and returns the preview page it leads to.</summary>
    private static async Task<string> ComposeAsync(FormClient client, string text, string when, string? sendAt = null, string list = "alpha")
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(text), "Text" },
            { new StringContent("markdown"), "Format" },
            { new StringContent(when), "When" },
            { new StringContent(sendAt ?? ""), "SendAtLocal" },
        };
        var response = await client.PostMultipartAsync($"/lists/{list}/send", form);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"compose: {(int)response.StatusCode} {ErrorOf(await response.Content.ReadAsStringAsync())}");
        return response.Headers.Location!.OriginalString;
    }

    private static string WithoutTokens(string html) => Token().Replace(html, "");

    [GeneratedRegex("value=\"CfDJ8[^\"]+\"")]
    private static partial Regex Token();

    private static string ErrorOf(string html) => ErrorLine().Match(html).Value;

    [GeneratedRegex("<p class=\"error\"[^<]*</p>")]
    private static partial Regex ErrorLine();
}

using System.Net;
using SecureMinutes.Accounts;
using SecureMinutes.WebTests.Support;

namespace SecureMinutes.WebTests.Http;

/// <summary><c>/metrics</c> over real SQLite: installation admins read it; a note-taker or list admin does not.</summary>
public sealed class MetricsAccessTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    [Fact]
    public async Task Metrics_AreShownToInstallationAdmins_AndToNoListRole()
    {
        await app.ListAsync("gamma");
        await app.AccountAsync("root@example.test", installationAdmin: true);
        await app.AccountAsync("listadmin@example.test", list: "gamma", role: ListRole.Admin);

        using var admin = await app.SignedInAsync("root@example.test");
        var shown = await admin.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        var text = await shown.Content.ReadAsStringAsync();
        Assert.Contains("secureminutes_keys_expired{list=\"gamma\"} 0", text, StringComparison.Ordinal);
        Assert.DoesNotContain("@members.example.test", text, StringComparison.Ordinal);

        using var listAdmin = await app.SignedInAsync("listadmin@example.test");
        Assert.NotEqual(HttpStatusCode.OK, (await listAdmin.GetAsync("/metrics")).StatusCode);
    }
}

using System.Net;
using System.Text.RegularExpressions;
using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using SecureMinutes.Accounts;
using SecureMinutes.Distribution;
using SecureMinutes.IntegrationTests.Support;
using SecureMinutes.Joining;
using SecureMinutes.Lists;
using SecureMinutes.Mail;
using SecureMinutes.Storage;
using SecureMinutes.Web;
using SecureMinutes.WebTests.Support;

namespace SecureMinutes.WebTests.Http;

/// <summary>
/// Joining by invite over HTTP and real SQLite: the key judged as <c>member add</c> judges it, a challenge encrypted to
/// it (delivered through the real delivery path to an outbox, then checked by the gpg/rnp/sqop peer checker), membership
/// only once its link is tapped, approval, expiry, the limits, and the same answer for members and strangers.
/// </summary>
public sealed partial class JoinTests(JoinTests.Fixture fixture) : IClassFixture<JoinTests.Fixture>
{
    private const string Sacha = "sacha@members.example.test";
    private const string SachaFingerprint = "49CF E4C7 F39F 5922 1D64 A02B A6A2 3CF5 1187 C6DC";

    public sealed class Fixture : IAsyncLifetime, IDisposable
    {
        private readonly TempDir _dir = new("sm-join-");

        public WebAppFactory App { get; } = new();

        public string Outbox(string list) => _dir.Combine("outbox-" + list);

        public async Task InitializeAsync() => await App.AccountAsync("admin-join@example.test");

        /// <summary>A list of camille and dominique (sacha is not a member), writing its mail to an outbox folder.</summary>
        public async Task<MailingList> ListAsync(string name)
        {
            var list = await App.Services.GetRequiredService<ListService>().CreateAsync(name, $"{name}@lists.example.test", $"List {name}");
            await App.Services.GetRequiredService<ProviderSetup>().SetOutboxAsync(name, Outbox(name));
            foreach (var member in new[] { "camille", "dominique" })
            {
                await App.Services.GetRequiredService<Membership>().AddAsync(name, $"{member}@members.example.test",
                    await File.ReadAllBytesAsync(RepoPaths.DemoKey($"{member}.pub.asc")), $"{member}.pub.asc", new MemberOptions(Actor: "test"));
            }

            await App.Services.GetRequiredService<AccountAdministration>().GrantAsync("admin-join@example.test", name, ListRole.Admin);
            return list;
        }

        public Task DisposeAsync()
        {
            Dispose();
            return Task.CompletedTask;
        }

        public void Dispose()
        {
            App.Dispose();
            _dir.Dispose();
        }
    }

    private WebAppFactory App => fixture.App;

    [Fact]
    public async Task AcceptableKey_GetsAChallengeEncryptedToIt_AndOnlyTappingItsLinkMakesAMember()
    {
        var list = await fixture.ListAsync("join-ok");
        var invite = await InviteAsync(list);
        using var client = App.Client();

        var answer = await AskAsync(client, invite, Sacha, "sacha.pub.asc");
        Assert.Contains(SachaFingerprint, answer, StringComparison.Ordinal);
        Assert.Contains("Done. If sacha@members.example.test can join this list", answer, StringComparison.Ordinal);
        Assert.False(await IsMemberAsync(list, Sacha));

        // The challenge goes through the minutes' own path: one PGP/MIME copy, encrypted to the key given only, signed by the list.
        var mail = await DeliverChallengeAsync(list, Sacha);
        var listKey = Path.Combine(fixture.Outbox(list.Name), "..", "join-ok-list.pub.asc");
        await File.WriteAllTextAsync(listKey, ListService.ArmoredPublicKey(list));
        await PeerChecker.AssertPassesAsync(mail, RepoPaths.DemoKey("sacha.sec.asc"), RepoPaths.DemoKey("sacha.pub.asc"), listKey, "/join/confirm/", "Confirm joining List join-ok");

        var link = await ChallengeLinkAsync(list, Sacha);
        Assert.StartsWith("https://minutes.example.test/join/confirm/", link, StringComparison.Ordinal);
        Assert.DoesNotContain("sacha", link, StringComparison.OrdinalIgnoreCase);
        var path = new Uri(link).AbsolutePath;
        Assert.Contains("Confirm", await client.GetPageAsync(path), StringComparison.Ordinal);
        Assert.False(await IsMemberAsync(list, Sacha)); // opening the page (a link scanner) does nothing

        var joined = await PostAsync(client, path, new());
        Assert.Contains("you are now a member of List join-ok", joined, StringComparison.Ordinal);
        Assert.True(await IsMemberAsync(list, Sacha));
        var audit = await App.Services.GetRequiredService<AuditStore>().ListAsync(list.Id, Sacha);
        Assert.Contains(audit, e => e.Action == JoinAuditActions.JoinChallenged);
        Assert.Contains(audit, e => e.Action == "member-added" && e.Actor.StartsWith(JoinRequests.SelfActor, StringComparison.Ordinal));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM join_requests WHERE list_id = @Id", list));
        Assert.Equal(1, (await App.Services.GetRequiredService<JoinInviteStore>().ListAsync(list.Id))[0].Uses);

        // The link works once.
        Assert.Contains("This link does not work", await PostAsync(client, path, new()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnAListRequiringVerifiedKeys_TheChallengeStillGoes_ButTheNewMemberIsStoredUnverified()
    {
        var list = await fixture.ListAsync("join-verified");
        await App.Services.GetRequiredService<ListStore>().SetRequireVerifiedAsync(list.Id, true,
            new Keyring.AuditEntry(list.Id, DateTimeOffset.UtcNow, "test", Keyring.AuditActions.RequireVerified));
        list = await App.Services.GetRequiredService<ListService>().GetAsync(list.Name);
        var invite = await InviteAsync(list);
        using var client = App.Client();
        await AskAsync(client, invite, Sacha, "sacha.pub.asc");
        await DeliverChallengeAsync(list, Sacha);
        await PostAsync(client, new Uri(await ChallengeLinkAsync(list, Sacha)).AbsolutePath, new());
        var member = await App.Services.GetRequiredService<MemberStore>().FindAsync(list.Id, Sacha);
        Assert.NotNull(member);
        Assert.False(member.IsVerified);
    }

    [Fact]
    public async Task UnusableKey_IsRefusedInPlainWords_AndNoChallengeIsSent()
    {
        var list = await fixture.ListAsync("join-bad");
        var invite = await InviteAsync(list);
        using var client = App.Client();
        var answer = await PostAsync(client, $"/join/{invite}", new()
        {
            ["Email"] = "expired-subkey@example.org", ["KeyText"] = await File.ReadAllTextAsync(RepoPaths.FixtureKey("expired-subkey.pub.asc")),
        }, english: true);
        Assert.Contains("Refused", answer, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Your key expired on", answer, StringComparison.Ordinal); // its subkey's expiry, said with what to do
        Assert.Contains("Change Expiration Date", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("Done. If", answer, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM join_requests WHERE list_id = @Id", list));
    }

    [Fact]
    public async Task ABadAddress_IsToldInThePagesLanguage_AndNothingIsAsked()
    {
        var list = await fixture.ListAsync("join-bad-address");
        var invite = await InviteAsync(list);
        var key = await File.ReadAllTextAsync(RepoPaths.DemoKey("sacha.pub.asc"));
        using var client = App.Client();

        var french = await PostAsync(client, $"/join/{invite}", new() { ["Email"] = "sacha at example", ["KeyText"] = key }, english: false);
        var english = await PostAsync(client, $"/join/{invite}", new() { ["Email"] = "sacha at example", ["KeyText"] = key });

        Assert.Contains("pas une adresse e-mail", french, StringComparison.Ordinal);
        Assert.DoesNotContain("is not a valid e-mail", french, StringComparison.Ordinal);
        Assert.Contains("This is not an e-mail address", english, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM join_requests WHERE list_id = @Id", list));
    }

    [Fact]
    public async Task TheAnswer_IsTheSame_ForAMemberAndAStranger()
    {
        // The same address and key, asking to join a list where they are a member and one where they are not.
        var stranger = await fixture.ListAsync("join-enum-a");
        var member = await fixture.ListAsync("join-enum-b");
        await App.Services.GetRequiredService<Membership>().AddAsync(member.Name, Sacha, await File.ReadAllBytesAsync(RepoPaths.DemoKey("sacha.pub.asc")),
            "sacha.pub.asc", new MemberOptions(Actor: "test"));
        using var client = App.Client();
        var asStranger = MainOf(await AskAsync(client, await InviteAsync(stranger), Sacha, "sacha.pub.asc")).Replace(stranger.DisplayName, "LIST", StringComparison.Ordinal);
        var asMember = MainOf(await AskAsync(client, await InviteAsync(member), Sacha, "sacha.pub.asc")).Replace(member.DisplayName, "LIST", StringComparison.Ordinal);
        Assert.Equal(asStranger, asMember);

        // Both got a challenge; the member learns they are one only after proving mailbox and key, and nothing changes.
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM join_requests WHERE list_id = @Id AND submission_id IS NOT NULL", member));
        var already = await PostAsync(client, new Uri(await ChallengeLinkAsync(member, Sacha)).AbsolutePath, new());
        Assert.Contains("already a member of List join-enum-b: nothing changed", already, StringComparison.Ordinal);
        Assert.Contains(await App.Services.GetRequiredService<AuditStore>().ListAsync(member.Id, Sacha), e => e.Action == JoinAuditActions.JoinAlreadyMember);
    }

    [Fact]
    public async Task Challenges_AreLimitedPerAddress_MembersAndStrangersAlike()
    {
        var list = await fixture.ListAsync("join-limit");
        var invite = await InviteAsync(list);
        using var client = App.Client();
        foreach (var email in new[] { "camille@members.example.test", Sacha })
        {
            var key = email == Sacha ? "sacha.pub.asc" : "camille.pub.asc";
            for (var i = 0; i < JoinLimits.Default.PerAddress; i++)
            {
                Assert.Contains("Done. If", await AskAsync(client, invite, email, key), StringComparison.Ordinal);
            }

            Assert.Contains("Too many confirmation mails were asked for lately", await AskAsync(client, invite, email, key), StringComparison.Ordinal);
        }

        Assert.Equal(2 * JoinLimits.Default.PerAddress, await CountAsync("SELECT COUNT(*) FROM join_requests WHERE list_id = @Id", list));
    }

    [Fact]
    public async Task UnconfirmedRequests_ExpireAfter48Hours_LeavingOnlyAnAuditLine()
    {
        var list = await fixture.ListAsync("join-expiry");
        var invite = await InviteAsync(list);
        using var client = App.Client();
        await AskAsync(client, invite, Sacha, "sacha.pub.asc");
        var link = await ChallengeLinkAsync(list, Sacha);
        var lifetime = await ScalarAsync("SELECT expires_at - created_at FROM join_requests WHERE list_id = @Id", list);
        Assert.Equal(TimeSpan.FromHours(48), TimeSpan.FromMilliseconds(Convert.ToInt64(lifetime, System.Globalization.CultureInfo.InvariantCulture)));

        await ExecuteAsync("UPDATE join_requests SET expires_at = expires_at - 48 * 3600 * 1000 WHERE list_id = @Id", list);
        Assert.Contains("This link does not work", await PostAsync(client, new Uri(link).AbsolutePath, new()), StringComparison.Ordinal);
        Assert.False(await IsMemberAsync(list, Sacha));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM join_requests WHERE list_id = @Id", list));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM deliveries d JOIN submissions s ON s.id = d.submission_id WHERE s.list_id = @Id", list));
        Assert.Contains(await App.Services.GetRequiredService<AuditStore>().ListAsync(list.Id, Sacha), e => e.Action == JoinAuditActions.JoinExpired);
    }

    [Fact]
    public async Task ExpiredOrRevokedInvites_AcceptNothing()
    {
        var list = await fixture.ListAsync("join-closed");
        var revoked = await InviteAsync(list);
        var invites = App.Services.GetRequiredService<JoinInvites>();
        await invites.RevokeAsync(list.Name, (await invites.ListAsync(list.Name)).Invites[0].Id, "test");
        var expired = await InviteAsync(list);
        await ExecuteAsync("UPDATE join_invites SET expires_at = 0 WHERE list_id = @Id AND revoked_at IS NULL", list);
        using var client = App.Client();
        foreach (var token in new[] { revoked, expired, "AAAAAAAAAAAAAAAAAAAAAA" })
        {
            var page = WebUtility.HtmlDecode(await client.GetPageAsync($"/join/{token}"));
            Assert.Contains("Ce lien d'invitation ne fonctionne pas", page, StringComparison.Ordinal);
            Assert.DoesNotContain("<form method=\"post\" enctype", page, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task WithApproval_AProvenRequestWaitsForAnAdmin_WhoSeesTheFingerprint_AndLetsThemIn()
    {
        var list = await fixture.ListAsync("join-approve");
        var created = await App.Services.GetRequiredService<JoinInvites>().CreateAsync(list.Name, TimeSpan.FromDays(2), 300, needsApproval: true, "test");
        var invite = created.Link.AbsolutePath["/join/".Length..];
        using var client = App.Client();
        await AskAsync(client, invite, Sacha, "sacha.pub.asc");
        var waiting = await PostAsync(client, new Uri(await ChallengeLinkAsync(list, Sacha)).AbsolutePath, new());
        Assert.Contains("A list admin of List join-approve will now let you in", waiting, StringComparison.Ordinal);
        Assert.False(await IsMemberAsync(list, Sacha));

        using var admin = await App.SignedInAsync("admin-join@example.test");
        var page = WebUtility.HtmlDecode(await admin.GetPageAsync("/lists/join-approve/invites"));
        Assert.Contains(Sacha, page, StringComparison.Ordinal);
        Assert.Contains(SachaFingerprint, page, StringComparison.Ordinal);
        var id = RequestId().Match(page).Groups[1].Value;
        var approved = WebUtility.HtmlDecode(await (await admin.PostFormAsync("/lists/join-approve/invites?handler=Approve", new() { ["Id"] = id },
            formPage: "/lists/join-approve/invites")).Content.ReadAsStringAsync());
        Assert.Contains($"{Sacha} est maintenant membre", approved, StringComparison.Ordinal);
        Assert.True(await IsMemberAsync(list, Sacha));
        Assert.Contains(await App.Services.GetRequiredService<AuditStore>().ListAsync(list.Id, Sacha), e => e.Action == "member-added" && e.Actor == "admin-join@example.test");
    }

    [Fact]
    public async Task WithApproval_ARefusedRequestIsDeleted_AndNeverBecomesAMember()
    {
        var list = await fixture.ListAsync("join-refuse");
        var created = await App.Services.GetRequiredService<JoinInvites>().CreateAsync(list.Name, TimeSpan.FromDays(2), 300, needsApproval: true, "test");
        using var client = App.Client();
        await AskAsync(client, created.Link.AbsolutePath["/join/".Length..], Sacha, "sacha.pub.asc");
        await PostAsync(client, new Uri(await ChallengeLinkAsync(list, Sacha)).AbsolutePath, new());
        using var admin = await App.SignedInAsync("admin-join@example.test");
        var id = RequestId().Match(await admin.GetPageAsync("/lists/join-refuse/invites")).Groups[1].Value;
        await admin.PostFormAsync("/lists/join-refuse/invites?handler=Refuse", new() { ["Id"] = id }, formPage: "/lists/join-refuse/invites");
        Assert.False(await IsMemberAsync(list, Sacha));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM join_requests WHERE list_id = @Id", list));
        Assert.Contains(await App.Services.GetRequiredService<AuditStore>().ListAsync(list.Id, Sacha), e => e.Action == JoinAuditActions.JoinRefused);
    }

    [Fact]
    public async Task AnInviteForOne_LetsOnePersonIn()
    {
        var list = await fixture.ListAsync("join-once");
        var created = await App.Services.GetRequiredService<JoinInvites>().CreateAsync(list.Name, TimeSpan.FromDays(2), 1, needsApproval: false, "test");
        using var client = App.Client();
        var token = created.Link.AbsolutePath["/join/".Length..];
        await AskAsync(client, token, Sacha, "sacha.pub.asc");
        await PostAsync(client, new Uri(await ChallengeLinkAsync(list, Sacha)).AbsolutePath, new());
        Assert.True(await IsMemberAsync(list, Sacha));
        Assert.Contains("This invite link does not work", await (await client.GetAsync($"/join/{token}")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminInvitesPage_MakesAnInvite_ShowsItsLinkAndQrCode_AndRevokesIt()
    {
        await fixture.ListAsync("join-page");
        using var admin = await App.SignedInAsync("admin-join@example.test");
        var made = WebUtility.HtmlDecode(await (await admin.PostFormAsync("/lists/join-page/invites?handler=Create",
            new() { ["Expires"] = "12h", ["Uses"] = "40" }, formPage: "/lists/join-page/invites")).Content.ReadAsStringAsync());
        var link = InviteLink().Match(made).Groups[1].Value;
        Assert.Matches("^https://minutes.example.test/join/[A-Za-z0-9_-]{22}$", link);
        Assert.Contains("0 sur 40 utilisées", made, StringComparison.Ordinal);
        var qr = QrSource().Match(made).Groups[1].Value;
        var image = await admin.GetAsync(WebUtility.HtmlDecode(qr));
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], (await image.Content.ReadAsByteArrayAsync())[..4]);

        // Nobody else's invites: a stranger's id answers "not found".
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/lists/join-page/invites?handler=Qr&id=999999")).StatusCode);

        var id = Regex.Match(qr, "id=(\\d+)").Groups[1].Value;
        await admin.PostFormAsync("/lists/join-page/invites?handler=Revoke", new() { ["Id"] = id }, formPage: "/lists/join-page/invites");
        using var client = App.Client();
        Assert.Contains("Ce lien d'invitation ne fonctionne pas", WebUtility.HtmlDecode(await client.GetPageAsync(new Uri(link).AbsolutePath)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThunderbirdsAttachMyPublicKeyMail_CanBeUploaded()
    {
        var list = await fixture.ListAsync("join-eml");
        var invite = await InviteAsync(list);
        var mail = new MimeMessage();
        mail.From.Add(MailboxAddress.Parse(Sacha));
        mail.To.Add(MailboxAddress.Parse("admin@example.test"));
        mail.Subject = "my key";
        var body = new BodyBuilder { TextBody = "Here is my key." };
        body.Attachments.Add("OpenPGP_0xA6A23CF51187C6DC.asc", await File.ReadAllBytesAsync(RepoPaths.DemoKey("sacha.pub.asc")), new ContentType("application", "pgp-keys"));
        mail.Body = body.ToMessageBody();
        using var eml = new MemoryStream();
        await mail.WriteToAsync(eml);

        using var client = App.Client();
        client.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(Sacha), "Email" },
            { new ByteArrayContent(eml.ToArray()), "KeyFile", "my key.eml" },
        };
        var answer = WebUtility.HtmlDecode(await (await client.PostMultipartAsync($"/join/{invite}", form)).Content.ReadAsStringAsync());
        Assert.Contains(SachaFingerprint, answer, StringComparison.Ordinal);
        Assert.Contains("Done. If", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JoinPosts_AreLimitedPerClientAddress()
    {
        using var app = new WebAppFactory(new WebSettings { SignInAttemptsPerMinute = 10_000, JoinPostsPerMinute = 2 });
        await app.Services.GetRequiredService<ListService>().CreateAsync("join-client", "join-client@lists.example.test", "List join-client");
        var created = await app.Services.GetRequiredService<JoinInvites>().CreateAsync("join-client", TimeSpan.FromDays(2), 300, needsApproval: false, "test");
        using var client = app.Client();
        var path = created.Link.AbsolutePath;
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PostFormAsync(path, new() { ["Email"] = $"n{i}@example.org", ["KeyText"] = "not a key" })).StatusCode);
        }

        var limited = await client.PostFormAsync(path, new() { ["Email"] = "n3@example.org", ["KeyText"] = "not a key" });
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(path)).StatusCode); // reading the page is not counted
    }

    [Fact]
    public async Task JoinPosts_NeedTheAntiforgeryToken()
    {
        var list = await fixture.ListAsync("join-csrf");
        var invite = await InviteAsync(list);
        using var client = App.Client();
        var response = await client.PostFormAsync($"/join/{invite}", new() { ["Email"] = Sacha, ["KeyText"] = "x" }, withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM join_requests WHERE list_id = @Id", list));
    }

    private async Task<string> InviteAsync(MailingList list)
    {
        var created = await App.Services.GetRequiredService<JoinInvites>().CreateAsync(list.Name, TimeSpan.FromDays(2), 300, needsApproval: false, "test");
        return created.Link.AbsolutePath["/join/".Length..];
    }

    private static async Task<string> AskAsync(FormClient client, string invite, string email, string demoKey) =>
        await PostAsync(client, $"/join/{invite}", new() { ["Email"] = email, ["KeyText"] = await File.ReadAllTextAsync(RepoPaths.DemoKey(demoKey)) }, english: true);

    private static async Task<string> PostAsync(FormClient client, string path, Dictionary<string, string> fields, bool english = true)
    {
        client.Http.DefaultRequestHeaders.AcceptLanguage.Clear();
        client.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd(english ? "en" : "fr");
        var response = await client.PostFormAsync(path, fields);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    /// <summary>The confirmation link, read from the challenge's sealed content (the mail itself is checked once, by the peer checker).</summary>
    private async Task<string> ChallengeLinkAsync(MailingList list, string email)
    {
        var submission = await SubmissionOfAsync(list, email);
        var payload = await App.Services.GetRequiredService<DistributionService>().OpenPayloadAsync(submission);
        var text = string.Join("\n", payload.BodyParts.OfType<TextPart>().Select(p => p.Text));
        return ConfirmLink().Match(text).Value;
    }

    /// <summary>Runs the real delivery of the challenge (no Hangfire server here) and returns the .eml the outbox provider wrote.</summary>
    private async Task<string> DeliverChallengeAsync(MailingList list, string email)
    {
        var submission = await App.Services.GetRequiredService<SubmissionStore>().GetAsync(await SubmissionOfAsync(list, email));
        var result = await App.Services.GetRequiredService<DeliveryRunner>().RunAsync(submission, list);
        Assert.Equal(1, result.Delivered);
        return Assert.Single(Directory.GetFiles(fixture.Outbox(list.Name), "*.eml"));
    }

    // Addresses are stored sealed: a request is found by its address's blind index, as JoinRequestStore finds it.
    private async Task<string> SubmissionOfAsync(MailingList list, string email) =>
        await ScalarAsync("SELECT submission_id FROM join_requests WHERE list_id = @Id AND email_index = @Email ORDER BY id DESC LIMIT 1", list,
                App.Services.GetRequiredService<SecureMinutes.Secrets.DirectorySealing>().Index(list.Id, email)) as string
            ?? throw new InvalidOperationException($"no challenge for {email}");

    private async Task<bool> IsMemberAsync(MailingList list, string email) =>
        await App.Services.GetRequiredService<MemberStore>().FindAsync(list.Id, email) is not null;

    private async Task<int> CountAsync(string sql, MailingList list) =>
        Convert.ToInt32(await ScalarAsync(sql, list), System.Globalization.CultureInfo.InvariantCulture);

    private async Task ExecuteAsync(string sql, MailingList list)
    {
        await using var connection = await App.Services.GetRequiredService<Database>().OpenAsync();
        await using var command = Command(connection, sql, list, null);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<object?> ScalarAsync(string sql, MailingList list, string? email = null)
    {
        await using var connection = await App.Services.GetRequiredService<Database>().OpenAsync();
        await using var command = Command(connection, sql, list, email);
        return await command.ExecuteScalarAsync();
    }

    private static DbCommand Command(DbConnection connection, string sql, MailingList list, string? email)
    {
        var command = connection.CreateCommand();
#pragma warning disable CA2100 // test SQL written here, values as parameters
        command.CommandText = sql;
#pragma warning restore CA2100
        foreach (var (name, value) in new (string, object?)[] { ("@Id", list.Id), ("@Email", email) })
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    /// <summary>The page's main content (the layout around it carries per-request tokens).</summary>
    private static string MainOf(string page) => page[page.IndexOf("<main", StringComparison.Ordinal)..page.IndexOf("</main>", StringComparison.Ordinal)];

    [GeneratedRegex("https://minutes\\.example\\.test/join/confirm/[A-Za-z0-9_-]+")]
    private static partial Regex ConfirmLink();

    [GeneratedRegex("name=\"Id\" value=\"(\\d+)\"")]
    private static partial Regex RequestId();

    [GeneratedRegex("<code class=\"invite-link\">([^<]+)</code>")]
    private static partial Regex InviteLink();

    [GeneratedRegex("<img class=\"qr\" src=\"([^\"]+)\"")]
    private static partial Regex QrSource();
}

using System.Globalization;
using System.Text.RegularExpressions;
using SecureMinutes.IntegrationTests.Support;

namespace SecureMinutes.WebTests.EndToEnd;

/// <summary>
/// A member keeps their key current, or leaves, from a phone (Chromium at 390 px) with the personal link at the foot of
/// the minutes they received (decrypted by gpg with their secret key): a new key is proven by the challenge encrypted to
/// it and agreed by the confirmation encrypted to the old key, both read by gpg; leaving takes one tap. Each test has its
/// own list on the class's one <c>serve</c>, so the join test's member counts stay its own.
/// </summary>
public sealed partial class JoinEndToEndTests
{
    [Fact]
    public async Task Member_OnA390pxPhone_UpdatesTheirKey_FromThePersonalLinkInTheMinutes()
    {
        var personal = await PersonalLinkAsync("ag-keys", "camille", Camille);
        using var gpg = new Gpg();
        var (newPublic, newSecret) = await gpg.GenerateAsync($"Camille <{Camille}>", "future-default", fixture.Work, "camille-new");
        var newFingerprint = SecureMinutes.Keys.Fingerprint.Of(SecureMinutes.Keys.KeyFileReader.Read(await File.ReadAllBytesAsync(newPublic), "new")[0].Certificate.GetPublicKey());

        await using var phoneContext = await fixture.ContextAsync(390, "en-US");
        var phone = await phoneContext.NewPageAsync();
        await phone.GotoAsync(personal);
        Assert.Contains("407A 231E 4B85 8BAD 002B CAF5 0AFA 0412 F354 730D", await phone.InnerTextAsync("main"), StringComparison.Ordinal);
        await phone.FillAsync("#member-key", await File.ReadAllTextAsync(newPublic));
        await EndToEndFixture.ScreenshotAsync(phone, "member-update-filled-390");
        var before = fixture.Sink.MessageFiles().ToHashSet();
        await phone.ClickAsync("text=Send the confirmation");
        await phone.WaitForSelectorAsync("#member-outcome:has-text('open the link in the mail encrypted to your new key, and the one')");

        // Two mails at the address on file: the challenge encrypted to the new key, the confirmation to the old one.
        var mails = await NewMailsToAsync(Camille, before, 2);
        var toNewKey = await FirstDecryptedAsync(mails, newSecret);
        var toOldKey = await FirstDecryptedAsync(mails, RepoPaths.DemoKey("camille.sec.asc"));
        Assert.NotEqual(toNewKey.Mail, toOldKey.Mail);

        await phone.GotoAsync(KeyLink().Match(toNewKey.Text).Value);
        await phone.ClickAsync("button[type=submit]:has-text('Confirm')");
        await phone.WaitForSelectorAsync("#key-outcome:has-text('Now open the link in the other mail')");
        await phone.GotoAsync(KeyLink().Match(toOldKey.Text).Value);
        await phone.ClickAsync("button[type=submit]:has-text('Confirm')");
        await phone.WaitForSelectorAsync("#key-outcome:has-text('encrypted to your new key from now on')");
        await EndToEndFixture.ScreenshotAsync(phone, "member-update-confirmed-390");

        var members = (await fixture.Cli.SucceedAsync("member", "list", "ag-keys")).Stdout;
        Assert.True(members.Contains(newFingerprint.Hex, StringComparison.Ordinal) || members.Contains(newFingerprint.Grouped, StringComparison.Ordinal), members);
    }

    [Fact]
    public async Task Member_OnA390pxPhone_LeavesInOneTap_FromThePersonalLinkInTheMinutes()
    {
        const string sacha = "sacha@members.example.test";
        var personal = await PersonalLinkAsync("ag-leave", "sacha", sacha);
        await using var phoneContext = await fixture.ContextAsync(390, "en-US");
        var phone = await phoneContext.NewPageAsync();
        await phone.GotoAsync(personal);
        await phone.ClickAsync("button.danger:has-text('Leave')");
        await phone.WaitForSelectorAsync("#member-outcome:has-text('You have left')");
        await EndToEndFixture.ScreenshotAsync(phone, "member-left-390");
        Assert.DoesNotContain("sacha", (await fixture.Cli.SucceedAsync("member", "list", "ag-leave")).Stdout, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A list of its own with one member, minutes sent to it through serve, and the personal link read from the member's copy by gpg.</summary>
    private async Task<string> PersonalLinkAsync(string list, string demoMember, string email)
    {
        await fixture.Cli.SucceedAsync("list", "create", list, "--address", $"{list}@lists.example.test", "--name", list.ToUpperInvariant());
        await fixture.Cli.SucceedAsync("provider", "set", list, "--host", "127.0.0.1", "--port", fixture.Sink.Port.ToString(CultureInfo.InvariantCulture), "--security", "none");
        await fixture.Cli.SucceedAsync("member", "add", list, email, "--key", RepoPaths.DemoKey($"{demoMember}.pub.asc"));
        var minutes = Path.Combine(fixture.Work, list + ".md");
        await File.WriteAllTextAsync(minutes, "- the assembly **met**\n");
        var before = fixture.Sink.MessageFiles().ToHashSet();
        await fixture.Cli.SucceedAsync("submit", list, "--file", minutes, "--subject", "AG of 10 January", "--wait");
        var copy = await DecryptWithGpgAsync(await NewMailToAsync(email, before), RepoPaths.DemoKey($"{demoMember}.sec.asc"));
        var link = PersonalLink().Match(copy).Value;
        Assert.StartsWith(fixture.Serve.Address.AbsoluteUri + "member/", link, StringComparison.Ordinal);
        return link;
    }

    private async Task<IReadOnlyList<string>> NewMailsToAsync(string member, HashSet<string> before, int count)
    {
        var found = new List<string>();
        while (found.Count < count)
        {
            var next = await NewMailToAsync(member, before);
            found.Add(next);
            before.Add(next);
        }

        return found;
    }

    private static async Task<(string Mail, string Text)> FirstDecryptedAsync(IEnumerable<string> mails, string secretKey)
    {
        foreach (var mail in mails)
        {
            if (await TryDecryptWithGpgAsync(mail, secretKey) is { } text)
            {
                return (mail, text);
            }
        }

        throw new Xunit.Sdk.XunitException($"no mail decrypts with {secretKey}");
    }

    [GeneratedRegex("https?://[^\\s\"<>]+/member/[A-Za-z0-9_-]{16,}")]
    private static partial Regex PersonalLink();

    [GeneratedRegex("https?://[^\\s\"<>]+/member/key/[A-Za-z0-9_-]+")]
    private static partial Regex KeyLink();
}

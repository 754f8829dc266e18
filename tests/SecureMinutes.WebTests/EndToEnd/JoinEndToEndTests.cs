using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MimeKit;
using MimeKit.Cryptography;
using SecureMinutes.IntegrationTests.Support;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;

namespace SecureMinutes.WebTests.EndToEnd;

/// <summary>
/// A member with nothing but their key and a phone joins at the AG: the admin makes an invite (CLI) and shows its QR code
/// (web); the phone (Chromium at 390 px) opens the link decoded from that image (ZXing), pastes the key; the challenge
/// reaches the SMTP sink, gpg decrypts it with the member's secret key, the link inside is tapped; the member then
/// receives the next minutes, checked by the gpg/rnp/sqop peer checker and OpenPGP.js.
/// </summary>
public sealed partial class JoinEndToEndTests(EndToEndFixture fixture) : IClassFixture<EndToEndFixture>
{
    private const string Camille = "camille@members.example.test";

    [Fact]
    public async Task NewMember_OnA390pxPhone_JoinsFromTheQrCode_ProvesTheirKey_AndReceivesTheNextMinutes()
    {
        var link = (await fixture.Cli.SucceedAsync("invite", "create", "ag", "--expires", "2d", "--uses", "300")).Stdout.Trim();
        Assert.Matches($"^{Regex.Escape(fixture.Serve.Address.AbsoluteUri)}join/[A-Za-z0-9_-]{{22}}$", link);

        await using var adminContext = await fixture.ContextAsync(390, "en-US");
        var admin = await adminContext.NewPageAsync();
        await EndToEndFixture.SignInAsync(admin);
        await admin.GotoAsync("/lists/ag/invites");
        var qr = admin.Locator("img.qr").First;
        await qr.WaitForAsync();
        await admin.WaitForFunctionAsync("() => document.querySelector('img.qr').complete && document.querySelector('img.qr').naturalWidth > 0");
        await EndToEndFixture.ScreenshotAsync(admin, "invites-390");
        Assert.Equal(link, await DecodeQrAsync(admin));

        await using var phoneContext = await fixture.ContextAsync(390, "en-US");
        var phone = await phoneContext.NewPageAsync();
        await phone.GotoAsync(link);
        await phone.FillAsync("#join-email", Camille);
        await phone.FillAsync("#join-key", await File.ReadAllTextAsync(RepoPaths.DemoKey("camille.pub.asc")));
        await EndToEndFixture.ScreenshotAsync(phone, "join-filled-390");
        var before = fixture.Sink.MessageFiles().ToHashSet();
        await phone.ClickAsync("text=Send me the confirmation mail");
        await phone.WaitForSelectorAsync("#join-sent");
        Assert.Contains("407A 231E 4B85 8BAD 002B CAF5 0AFA 0412 F354 730D", await phone.InnerTextAsync("main"), StringComparison.Ordinal);
        await EndToEndFixture.ScreenshotAsync(phone, "join-sent-390");

        var challenge = await NewMailToAsync(Camille, before);
        await PeerChecker.AssertPassesAsync(challenge, RepoPaths.DemoKey("camille.sec.asc"), RepoPaths.DemoKey("camille.pub.asc"), fixture.ListKeyPath,
            "/join/confirm/", "Confirm joining AG du collectif");
        var confirmation = ConfirmLink().Match(await DecryptWithGpgAsync(challenge, RepoPaths.DemoKey("camille.sec.asc"))).Value;
        Assert.StartsWith(fixture.Serve.Address.AbsoluteUri + "join/confirm/", confirmation, StringComparison.Ordinal);

        await phone.GotoAsync(confirmation);
        await phone.ClickAsync("button[type=submit]:has-text('Confirm')");
        await phone.WaitForSelectorAsync("#join-outcome:has-text('you are now a member of AG du collectif')");
        await EndToEndFixture.ScreenshotAsync(phone, "join-confirmed-390");

        before = fixture.Sink.MessageFiles().ToHashSet();
        await admin.GotoAsync("/lists/ag/send");
        await admin.FillAsync("#subject", "AG of 9 January");
        await admin.FillAsync("#text", "- **Welcome** to our new members\n");
        await admin.ClickAsync("button.big");
        await admin.WaitForSelectorAsync("text=3 members will receive it");
        await admin.ClickAsync("button.big");
        await admin.WaitForSelectorAsync("[data-live]:has-text('Done: all 3 copies delivered.')", new() { Timeout = 90_000 });
        await PeerChecker.AssertPassesAsync(await NewMailToAsync(Camille, before), RepoPaths.DemoKey("camille.sec.asc"), RepoPaths.DemoKey("camille.pub.asc"),
            fixture.ListKeyPath, "Welcome", "AG of 9 January");
    }

    /// <summary>The QR code as the browser shows it: its pixels read from a canvas, decoded by ZXing.Net.</summary>
    private static async Task<string> DecodeQrAsync(IPage page)
    {
        // The image may still be loading when the page is shown: a canvas of a 0x0 image decodes to nothing.
        await page.WaitForFunctionAsync("() => { const img = document.querySelector('img.qr'); return img !== null && img.complete && img.naturalWidth > 0; }");
        var image = await page.EvaluateAsync<JsonElement>("""
            () => {
              const img = document.querySelector('img.qr');
              const canvas = document.createElement('canvas');
              canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
              const context = canvas.getContext('2d');
              context.drawImage(img, 0, 0);
              const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
              let binary = '';
              for (let i = 0; i < data.length; i++) binary += String.fromCharCode(data[i]);
              return { width: canvas.width, height: canvas.height, rgba: btoa(binary) };
            }
            """);
        var pixels = Convert.FromBase64String(image.GetProperty("rgba").GetString()!);
        var source = new RGBLuminanceSource(pixels, image.GetProperty("width").GetInt32(), image.GetProperty("height").GetInt32(), RGBLuminanceSource.BitmapFormat.RGBA32);
        var result = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)));
        Assert.NotNull(result);
        return result.Text;
    }

    /// <summary>What the member's own gpg reads in the PGP/MIME mail (RFC 3156 §4: the second part is the encrypted data), as text.</summary>
    private static async Task<string> DecryptWithGpgAsync(string emlPath, string secretKey) =>
        await TryDecryptWithGpgAsync(emlPath, secretKey) ?? throw new Xunit.Sdk.XunitException($"gpg could not decrypt {emlPath} with {secretKey}");

    /// <summary>As <see cref="DecryptWithGpgAsync"/>, or null when gpg cannot decrypt it with that key (it was encrypted to another).</summary>
    private static async Task<string?> TryDecryptWithGpgAsync(string emlPath, string secretKey)
    {
        using var home = new TempDir("sm-join-gpg-");
        var gpg = new[] { "--homedir", home.Path, "--batch", "--no-tty", "--pinentry-mode", "loopback", "--passphrase", "" };
        var imported = await ProcessRunner.RunAsync("gpg", [.. gpg, "--import", secretKey]);
        Assert.True(imported.ExitCode == 0, imported.ToString());
        var message = await MimeMessage.LoadAsync(emlPath);
        var encrypted = Assert.IsType<MultipartEncrypted>(message.Body);
        var armored = Path.Combine(home.Path, "challenge.asc");
        await using (var file = File.Create(armored))
        {
            await ((MimePart)encrypted[1]).Content!.DecodeToAsync(file);
        }

        var decrypted = Path.Combine(home.Path, "challenge.mime");
        var result = await ProcessRunner.RunAsync("gpg", [.. gpg, "--output", decrypted, "--decrypt", armored]);
        if (result.ExitCode != 0)
        {
            return null;
        }

        var inner = await MimeEntity.LoadAsync(decrypted);
        return string.Join("\n", TextsOf(inner));
    }

    private static IEnumerable<string> TextsOf(MimeEntity entity) => entity switch
    {
        TextPart text => [text.Text],
        Multipart multipart => multipart.SelectMany(TextsOf),
        _ => [],
    };

    private async Task<string> NewMailToAsync(string member, HashSet<string> before)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var found = fixture.Sink.MessageFiles().Where(f => !before.Contains(f))
                .FirstOrDefault(f => File.ReadLines(f).TakeWhile(l => l.Length > 0).Any(l => l.StartsWith("X-Sink-Rcpt-To:", StringComparison.OrdinalIgnoreCase) && l.Contains(member, StringComparison.OrdinalIgnoreCase)));
            if (found is not null)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no new mail to {member} at the SMTP sink");
            await Task.Delay(250);
        }
    }

    [GeneratedRegex("https?://[^\\s]+/join/confirm/[A-Za-z0-9_-]+")]
    private static partial Regex ConfirmLink();
}

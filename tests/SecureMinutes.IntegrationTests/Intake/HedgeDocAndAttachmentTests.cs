using SecureMinutes.IntegrationTests.Support;

namespace SecureMinutes.IntegrationTests.Intake;

/// <summary>
/// Markdown minutes (a HedgeDoc note, a .md file) arrive as text plus safe HTML, attachments after them,
/// all inside the encryption; gpg, RNP (Thunderbird) and Sequoia each open them and find the text.
/// </summary>
public sealed class HedgeDocAndAttachmentTests
{
    [Fact]
    public async Task SubmitHedgeDocNote_WithAttachments_SendsMarkdownAndSafeHtml_ThatGpgRnpAndSqopOpen()
    {
        await using var list = await IntakeList.CreateAsync("hedge");
        using var hedgedoc = new TinyHttpServer();
        var token = Guid.NewGuid().ToString("N")[..10];
        var markdown = $"""
            # Compte-rendu de l'AG {token}

            **Décision** : le local ouvre le samedi ✊. Voir [le site](https://collectif.example/ag).

            <script>alert('vol')</script>
            ![suivi](https://tracker.example/pixel.png) [piège](javascript:alert(1))

            | Vote | Voix |
            |------|------|
            | Pour | 42   |

            """;
        hedgedoc.SetNote("aB3dE5fG7hI9kL1mN2oP3q", markdown);
        var pdf = list.Work.Combine("Ordre du jour.pdf");
        var odt = list.Work.Combine("résultats-votes.odt");
        var pdfBytes = RandomBytes(200_000);
        var odtBytes = RandomBytes(3_000);
        await File.WriteAllBytesAsync(pdf, pdfBytes);
        await File.WriteAllBytesAsync(odt, odtBytes);

        var submit = await list.Cli.RunAsync("submit", list.Name, "--pad", $"{hedgedoc.Url}/aB3dE5fG7hI9kL1mN2oP3q", "--attach", pdf, "--attach", odt, "--wait");

        Assert.True(submit.ExitCode == 0, submit.ToString());
        var mails = list.NewMailsByRecipient(0);
        Assert.Equal(3, mails.Count);
        foreach (var (email, _) in list.Members)
        {
            await PeerChecker.AssertPassesAsync(mails[email], list.SecretKeyOf(email), list.PublicKeyOf(email), list.ListKeyPath,
                $"**Décision** : le local ouvre le samedi ✊.", $"Compte-rendu de l'AG {token}");
            var inner = await OpenedMail.DecryptAsync(mails[email], list.SecretKeyOf(email));
            Assert.Equal(markdown, OpenedMail.PlainText(inner));
            var html = OpenedMail.Html(inner)?.Text ?? throw new Xunit.Sdk.XunitException("no text/html part");
            Assert.Contains("<strong>Décision</strong>", html, StringComparison.Ordinal);
            Assert.Contains("<td>42</td>", html, StringComparison.Ordinal);
            Assert.Contains("href=\"https://collectif.example/ag\"", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("tracker.example", html, StringComparison.Ordinal);
            Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
            var attachments = OpenedMail.Attachments(inner);
            Assert.Equal(["Ordre du jour.pdf", "résultats-votes.odt"], attachments.Select(a => a.FileName));
            Assert.Equal("application/pdf", attachments[0].ContentType.MimeType);
            Assert.Equal(pdfBytes, OpenedMail.Content(attachments[0]));
            Assert.Equal(odtBytes, OpenedMail.Content(attachments[1]));
        }

        Assert.Empty(DataDirScan.FilesContaining(list.Cli.DataDir, token));
        Assert.Empty(DataDirScan.FilesContaining(list.Cli.DataDir, "le local ouvre le samedi"));
    }

    [Fact]
    public async Task SubmitFile_ConvertsADeclaredLatin1File_AndRefusesAttachmentsOverTheLimit()
    {
        await using var list = await IntakeList.CreateAsync("latin");
        var minutes = list.Work.Combine("cr.txt");
        await File.WriteAllBytesAsync(minutes, System.Text.Encoding.Latin1.GetBytes("Assemblée générale : Noël élu trésorier.\r\n"));
        var big = list.Work.Combine("scan.pdf");
        await File.WriteAllBytesAsync(big, RandomBytes(300 * 1024));
        list.Cli.Environment["SECUREMINUTES_ATTACHMENTS_LIMIT"] = "256K";

        var tooBig = await list.Cli.RunAsync("submit", list.Name, "--file", minutes, "--encoding", "latin1", "--attach", big);
        Assert.Equal(1, tooBig.ExitCode);
        Assert.Contains("over the 256 KiB limit for attachments", Assert.Single(tooBig.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);

        await list.Cli.SucceedAsync("submit", list.Name, "--file", minutes, "--encoding", "latin1", "--subject", "CR", "--wait");

        await list.AssertEachMemberReceivedAsync(0, "Assemblée générale : Noël élu trésorier.\n", "CR", peerCheck: false);
    }

    private static byte[] RandomBytes(int count) => System.Security.Cryptography.RandomNumberGenerator.GetBytes(count);
}

using MimeKit;
using SecureMinutes.Mail;
using SecureMinutes.Minutes;
using SecureMinutes.Minutes.Votes;

namespace SecureMinutes.Tests.Minutes.Votes;

/// <summary>
/// What members receive: minutes with votes open with a summary (a table in the HTML part, built through Markdown,
/// never raw HTML); minutes without votes go out exactly as given.
/// </summary>
public sealed class MinutesSummaryTests
{
    private const string PadText = """
        # AG du samedi 12 décembre 2026
        Présent·es : 84
        Règle de décision : majorité simple des votes exprimés

        ## 1. Budget 2027
        Discussion : <script>alert(1)</script> *pas d'italique*
        Vote : pour 52 / contre 12 / abstention 6

        ## 2. Local | salle B
        Vote : consensus

        ## Tâches
        - Camille : réserver la salle, avant le 15 janvier

        """;

    [Fact]
    public void AddTo_ReturnsTheSameDocument_AndFromMinutesTheSameBytes_WhenTheMinutesHoldNoVote()
    {
        var minutes = new MinutesDocument("CR", "Procès-verbal ✊\n1. Comptes — voté à l'unanimité\nPrésents : Hélène\n");

        Assert.Same(minutes, MinutesSummary.AddTo(minutes));
        Assert.Equal(Bytes(MinutesPayload.FromDocument(minutes)), Bytes(MinutesPayload.FromMinutes(minutes)));
    }

    [Fact]
    public void Check_FindsNothingToReport_InMinutesWithoutVotes_EvenWithARuleItCannotRead()
    {
        Assert.Empty(MinutesSummary.Check("Règle de décision : à voir en début de séance\nPrésent·es : 12\n"));
        Assert.Single(MinutesSummary.Check("Règle de décision : à voir\n## A\nVote : pour 3 / contre 1 / abstention 0\n"));
    }

    [Fact]
    public void FromMinutes_PutsTheSummaryBeforeThePadText_InThePlainPart()
    {
        var payload = MinutesPayload.FromMinutes(new MinutesDocument("AG", PadText));

        var alternative = Assert.IsType<MultipartAlternative>(Assert.Single(payload.BodyParts));
        var plain = Normalised(Assert.IsType<TextPart>(alternative[0]));
        var summary = MinutesSummary.AddTo(new MinutesDocument("AG", PadText)).Summary!;
        Assert.Equal(summary + PadText, plain);
        Assert.StartsWith("**Décisions et votes** · 84 présent·es · règle : majorité simple des votes exprimés\n\n| Décision ", plain, StringComparison.Ordinal);
        Assert.Contains("| 1. Budget 2027      |        52 |     12 |          6 | adoptée  |", plain, StringComparison.Ordinal);
        Assert.Contains("| 2. Local \\| salle B | consensus |        |            | adoptée  |", plain, StringComparison.Ordinal);
        Assert.Contains("**Tâches**\n\n- Camille : réserver la salle, avant le 15 janvier\n", plain, StringComparison.Ordinal);
        Assert.EndsWith("\n\n---\n\n" + PadText, plain, StringComparison.Ordinal);
    }

    [Fact]
    public void FromMinutes_RendersTheSummaryAsAnHtmlTable_AndThePadTextLineForLine_NeverAsMarkupOrMarkdown()
    {
        var payload = MinutesPayload.FromMinutes(new MinutesDocument("AG", PadText));

        var html = Assert.IsType<TextPart>(((MultipartAlternative)payload.BodyParts[0])[1]).Text;
        Assert.Contains("<table>", html, StringComparison.Ordinal);
        Assert.Contains("<td>1. Budget 2027</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td style=\"text-align: right\">52</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>2. Local | salle B</td>", html, StringComparison.Ordinal);
        Assert.Contains("<hr>", html, StringComparison.Ordinal);
        Assert.Contains("<p># AG du samedi 12 décembre 2026<br>\nPrésent·es : 84<br>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; *pas d'italique*", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<em>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void FromMinutes_RendersMarkdownMinutesWithTheirSummary_AsOneMarkdownDocument()
    {
        var payload = MinutesPayload.FromMinutes(new MinutesDocument("AG", PadText) { Format = MinutesFormat.Markdown });

        var alternative = (MultipartAlternative)payload.BodyParts[0];
        var html = ((TextPart)alternative[1]).Text;
        Assert.Contains("<table>", html, StringComparison.Ordinal);
        Assert.Contains("<h1>AG du samedi 12 décembre 2026</h1>", html, StringComparison.Ordinal);
        Assert.Contains("<em>pas d'italique</em>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Summary_ListsWhatDoesNotAddUp_AndLeavesTheOutcomeToCheck()
    {
        var summary = SummaryWriter.ToMarkdown(VoteParser.Parse("Présent·es : 50\n## Statuts\nVote : pour 40 / contre ___ / abstention 20"));

        Assert.Contains("| Statuts  |   40 |      ? |         20 | à vérifier |", summary, StringComparison.Ordinal);
        Assert.Contains("**À vérifier**\n\n- vote « Statuts » : il manque le nombre de voix contre", summary, StringComparison.Ordinal);
        Assert.Contains("- vote « Statuts » : 60 voix (40 pour, 0 contre, 20 abstention) pour 50 présent·es", summary, StringComparison.Ordinal);
        Assert.Contains("(aucune règle indiquée)", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Summary_SpeaksEnglish_ForEnglishMinutes_AndMarksAVotesOwnRule()
    {
        var summary = SummaryWriter.ToMarkdown(VoteParser.Parse("Decision rule: simple majority\n## Statutes\nVote (2/3): for 10, against 6, abstain 0"));

        Assert.StartsWith("**Decisions and votes** · rule: simple majority of votes cast\n", summary, StringComparison.Ordinal);
        Assert.Contains("| Decision | For | Against | Abstain | Result           |\n", summary, StringComparison.Ordinal);
        Assert.Contains("| Statutes |  10 |       6 |       0 | not passed (2/3) |\n", summary, StringComparison.Ordinal);
    }

    private static byte[] Bytes(MinutesPayload payload)
    {
        using var bytes = new MemoryStream();
        foreach (var part in payload.BodyParts)
        {
            part.WriteTo(bytes);
        }

        return bytes.ToArray();
    }

    private static string Normalised(TextPart part) => part.Text.Replace("\r\n", "\n", StringComparison.Ordinal);
}

using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using MimeKit;
using SecureMinutes.Joining;
using SecureMinutes.Keyring;
using SecureMinutes.Keys;
using SecureMinutes.Lists;
using SecureMinutes.MailIn;
using SecureMinutes.Minutes;
using SecureMinutes.Notices;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Notices;

/// <summary>
/// Every mail the service writes itself (to members and to admins) speaks its list's language only, its words come
/// from the resources, and the two resource files say the same things with the same placeholders.
/// </summary>
public sealed partial class NoticeLanguageTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 12, 21, 30, 0, TimeSpan.Zero);
    private static readonly Fingerprint MemberKey = new(new string('B', 40));

    private static MailingList List(ListLanguage language) =>
        new(1, "ag", "ag@lists.example.test", "AG du collectif", new Fingerprint(new string('A', 40)), [], Now) { Language = language };

    private static Member Camille => new(7, 1, "camille@example.test", MemberKey, [], Now.AddDays(5), false, Now);

    // Values that come from elsewhere (a key's problem, a server's reply) are opaque codes here: only the notice's own words are judged.
    private static IEnumerable<MinutesDocument> EveryNotice(MailingList list)
    {
        var refresh = new MemberRefresh(Camille, [], Assessment("P-1"), Assessment("P-2"), ["C-1"], [], [new Fingerprint(new string('C', 40))]);
        var request = new JoinRequest(3, 1, 2, "sacha@example.test", MemberKey, [], null, JoinRequestState.Challenged, null, Now, Now.AddHours(48), null);
        yield return ExpiryWarningText.ToMember(list, Camille, Now.AddDays(5), 5);
        yield return ExpiryWarningText.ToAdmins(list, [(Camille, Now.AddDays(5), 5)], [(Camille, "P-3")]);
        yield return RefreshNoticeText.ToAdmins(list, [refresh], [refresh], [refresh]);
        yield return ListKeyText.Revoked(list, "R-1");
        yield return MailInNoticeText.Refused(list, "R-2");
        yield return MailInNoticeText.FetchFailing(list, "R-3");
        yield return JoinChallengeText.Of(list, request, new Uri("https://minutes.example.test/join/confirm/t0k3n"), TimeSpan.FromHours(48), null);
        foreach (var reason in Enum.GetValues<SecureMinutes.SelfService.KeylessReason>())
        {
            var (subject, text) = SecureMinutes.SelfService.KeylessNoticeText.For(new SecureMinutes.SelfService.KeylessNotice(list,
                new MailboxAddress(null, Camille.Email), Now, MemberKey, reason, Now.AddDays(-3), new Uri("https://minutes.example.test/member/t0k3n"), Now.AddDays(180)));
            yield return new MinutesDocument(subject, text);
        }

        yield return new MinutesDocument("-", SecureMinutes.SelfService.KeylessNoticeText.For(new SecureMinutes.SelfService.KeylessNotice(list,
            new MailboxAddress(null, Camille.Email), Now, MemberKey, SecureMinutes.SelfService.KeylessReason.Expired, null, null, null)).Text);
        var announcement = ListKeyAnnouncement.Create(list, new Fingerprint(new string('D', 40)), [0x99], null);
        yield return new MinutesDocument(announcement.Subject, ((TextPart)announcement.BodyParts[0]).Text);
    }

    private static KeyAssessment Assessment(string problem) => new(null!, MemberKey, [], [], KeyStatus.Expired, problem, null);

    [Fact]
    public void EveryNotice_IsFrenchOnly_ForAFrenchList()
    {
        foreach (var notice in EveryNotice(List(ListLanguage.French)))
        {
            Assert.DoesNotContain(" / ", notice.Subject, StringComparison.Ordinal);
            Assert.DoesNotMatch(EnglishWords(), WordsOf(notice));
            Assert.DoesNotMatch(EnglishWords(), notice.Subject);
        }
    }

    [Fact]
    public void EveryNotice_IsEnglishOnly_ForAnEnglishList()
    {
        foreach (var notice in EveryNotice(List(ListLanguage.English)))
        {
            Assert.DoesNotContain(" / ", notice.Subject, StringComparison.Ordinal);
            Assert.DoesNotMatch(FrenchWords(), WordsOf(notice));
            Assert.DoesNotMatch(FrenchWords(), notice.Subject);
        }
    }

    [Fact]
    public void ExpiryWarning_WritesDatesTheWayEachLanguageDoes_AndNamesTheKey()
    {
        var french = ExpiryWarningText.ToMember(List(ListLanguage.French), Camille, Now.AddDays(5), 5);
        Assert.Equal("Votre clé expire dans 5 jour(s)", french.Subject);
        Assert.Contains("expire le 17/12/2026 (dans 5 jour(s))", french.Text, StringComparison.Ordinal);
        Assert.Contains(MemberKey.Grouped, french.Text, StringComparison.Ordinal);

        var english = ExpiryWarningText.ToMember(List(ListLanguage.English), Camille, Now.AddDays(5), 5);
        Assert.Equal("Your key expires in 5 day(s)", english.Subject);
        Assert.Contains("expires on 2026-12-17 (in 5 day(s))", english.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void JoinChallenge_FollowsTheJoinPagesLanguage_OverTheLists()
    {
        var request = new JoinRequest(3, 1, 2, "sacha@example.test", MemberKey, [], null, JoinRequestState.Challenged, null, Now, Now.AddHours(48), null);
        var link = new Uri("https://minutes.example.test/join/confirm/t0k3n");
        var english = JoinChallengeText.Of(List(ListLanguage.French), request, link, TimeSpan.FromHours(48), ListLanguage.English);
        Assert.Equal("Confirm joining AG du collectif", english.Subject);
        Assert.Contains("within 48 hours:\n" + link, english.Text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void TheTwoResourceFiles_HaveTheSameKeys_AndTheSamePlaceholders()
    {
        var english = Resources("NoticeResources.resx");
        var french = Resources("NoticeResources.fr.resx");
        Assert.Equal(english.Keys.Order(StringComparer.Ordinal), french.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, text) in english)
        {
            Assert.True(Placeholders(text).SetEquals(Placeholders(french[key])), $"'{key}' uses different placeholders in French and English");
        }
    }

    // The notice's text without the commands it quotes (secureminutes …, gpg …): those are the same in every language.
    private static string WordsOf(MinutesDocument notice) => string.Join('\n', notice.Text.Split('\n')
        .Where(line => !line.Contains("secureminutes ", StringComparison.Ordinal) && !line.Contains("gpg ", StringComparison.Ordinal)));

    private static Dictionary<string, string> Resources(string file)
    {
        var path = Path.Combine(TestPaths.RepoRoot, "src", "SecureMinutes.Core", "Notices", file);
        return XDocument.Load(path).Root!.Elements("data").ToDictionary(d => (string)d.Attribute("name")!, d => (string)d.Element("value")!);
    }

    private static HashSet<string> Placeholders(string text) =>
        [.. PlaceholderPattern().Matches(text).Select(m => m.Groups[1].Value.ToString(CultureInfo.InvariantCulture))];

    [GeneratedRegex(@"\{(\d+)[:}]")]
    private static partial Regex PlaceholderPattern();

    // Words each language's notices use and the other's never do (not counting commands' options such as --key).
    [GeneratedRegex(@"(?<![-\w])(Hello|Your|key|list|expires|Nothing|Keys|members|Import|Digest)\b")]
    private static partial Regex EnglishWords();

    [GeneratedRegex(@"\b(Bonjour|Votre|clé|liste|Rien|Clés|membres|Importez|Résumé|n'a)\b")]
    private static partial Regex FrenchWords();
}

using SecureMinutes.Distribution;
using SecureMinutes.Keys;
using SecureMinutes.Lists;
using SecureMinutes.Notices;

namespace SecureMinutes.Tests.Notices;

/// <summary>Admin notices speak the list's language only, with words from the resources and dates the way each language writes them.</summary>
public sealed class AdminNoticeTextTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 12, 21, 30, 0, TimeSpan.Zero);

    private static MailingList List(ListLanguage language) =>
        new(1, "ag", "ag@lists.example.test", "AG", new Fingerprint(new string('A', 40)), [], Now) { Language = language };

    [Fact]
    public void Notices_AreFrenchOnly_ForAFrenchList()
    {
        var paused = AdminNoticeText.Paused(List(ListLanguage.French), "535 authentication failed");
        Assert.Equal("[ag] envois suspendus", paused.Subject);
        Assert.Contains("Les envois de la liste ag sont suspendus : 535 authentication failed", paused.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Sending from list", paused.Text, StringComparison.Ordinal);
        Assert.Contains("secureminutes list resume ag", paused.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Notices_AreEnglishOnly_ForAnEnglishList_WithDatesWrittenTheEnglishWay()
    {
        var quota = AdminNoticeText.PausedForQuota(List(ListLanguage.English), "550 5.4.5 quota", Now.AddHours(24));
        Assert.Equal("[ag] provider quota reached", quota.Subject);
        Assert.Contains("resumes by itself at 2026-12-13 21:30 UTC", quota.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("fournisseur", quota.Text, StringComparison.Ordinal);

        var french = AdminNoticeText.PausedForQuota(List(ListLanguage.French), "550 5.4.5 quota", Now.AddHours(24));
        Assert.Contains("reprend seul le 13/12/2026 à 21:30 UTC", french.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ListLanguage.French)]
    [InlineData(ListLanguage.English)]
    public void EveryAdminNotice_HasItsWords_InBothLanguages(ListLanguage language)
    {
        var list = List(language);
        var submission = new Submission("sub-1", 1, "<m@x>", Now, Now);
        Delivery Copy(string detail) => new("sub-1", 1, "camille@example.test", null, DeliveryState.SkippedNoKey, 0, detail, Now, null);
        var notices = new[]
        {
            AdminNoticeText.UndeliveredCopies(list, submission, 3, [Copy("not sent: the list requires verified keys and no admin has verified it")]),
            AdminNoticeText.PausedForQuota(list, "quota", Now),
            AdminNoticeText.Paused(list, "refused login"),
            AdminNoticeText.CaptureFailed(list, "sub-2", Now, "unknown pad"),
        };
        Assert.All(notices, n => Assert.False(string.IsNullOrWhiteSpace(n.Text)));
        Assert.All(notices, n => Assert.DoesNotContain(" / ", n.Subject, StringComparison.Ordinal));
    }
}

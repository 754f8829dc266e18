using System.Globalization;
using System.Text;
using SecureMinutes.Minutes;

namespace SecureMinutes.Tests.Minutes;

public class MinutesSubjectTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 14, 18, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Choose_KeepsTheGivenSubject()
    {
        Assert.Equal("AG du 14 mars — compte rendu", MinutesSubject.Choose("AG du 14 mars — compte rendu", "# Autre titre", Now));
    }

    [Fact]
    public void Choose_PutsAGivenSubjectOnOneLine()
    {
        // A newline in a subject would be a header injection on the way out.
        Assert.Equal("AG Bcc: everyone@example.org", MinutesSubject.Choose("AG\r\nBcc: everyone@example.org\n", "text", Now));
    }

    [Fact]
    public void Choose_CollapsesSpacesAndTabs_InAGivenSubject()
    {
        Assert.Equal("AG 2026 ordre du jour", MinutesSubject.Choose("  AG \t 2026   ordre\tdu jour  ", "text", Now));
    }

    [Fact]
    public void Choose_CapsALongSubject_WithAnEllipsis()
    {
        var subject = MinutesSubject.Choose(new string('x', 500), "text", Now);

        Assert.Equal(new string('x', MinutesSubject.MaxLength) + "…", subject);
    }

    [Fact]
    public void Choose_RefusesABlankGivenSubject()
    {
        Assert.Throws<UserFacingException>(() => MinutesSubject.Choose(" \n\t ", "# Heading", Now));
    }

    [Theory]
    [InlineData("# Assemblée générale 2026\n\ntexte", "Assemblée générale 2026")]
    [InlineData("\n\n  ## Ordre du jour  \ntexte", "Ordre du jour")]
    [InlineData("#Titre collé\n", "Titre collé")]
    public void Choose_DefaultsToTheFirstMarkdownHeading(string text, string expected)
    {
        Assert.Equal(expected, MinutesSubject.Choose(null, text, Now));
    }

    [Theory]
    [InlineData("Présents : Camille\n# Titre plus bas\n")]
    [InlineData("#\n\ntexte")]
    [InlineData("   ")]
    public void Choose_FallsBackToTheDate_WhenTheMinutesDoNotStartWithAHeading(string text)
    {
        Assert.Equal("Minutes of 2026-03-14", MinutesSubject.Choose(null, text, Now));
    }

    [Fact]
    public void Choose_NeverCutsAnEmojiInHalf_WhenCapping()
    {
        var subject = MinutesSubject.Choose(new string('x', MinutesSubject.MaxLength - 1) + "😀😀", "text", Now);

        Assert.Equal(new string('x', MinutesSubject.MaxLength - 1) + "…", subject);
        _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetBytes(subject); // no lone surrogate
    }

    [Fact]
    public void Choose_DatesTheFallbackInTheGregorianCalendar_WhateverTheCulture()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("th-TH");
        try
        {
            Assert.Equal("Minutes of 2026-03-14", MinutesSubject.Choose(null, "texte", Now));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }
}

using System.Globalization;
using Microsoft.Extensions.Localization;
using SecureMinutes.Keys;

namespace SecureMinutes.Web.Resources;

/// <summary>
/// A key refusal in the reader's language: <c>KeyProblem{Code}</c> from <c>Text.resx</c> / <c>Text.fr.resx</c>, with
/// {0} the date (long form of the page's culture: "17 décembre 2026", "December 17, 2026") and {1} the code's detail.
/// Each says in plain words what is wrong and what to do; the CLI keeps its English one-line message.
/// </summary>
public static class KeyProblemText
{
    /// <summary>The resource name of a code's text.</summary>
    public static string ResourceName(KeyProblemCode code) => "KeyProblem" + code;

    /// <summary>The refusal in the current UI culture.</summary>
    public static string Say(this IStringLocalizer<Text> text, KeyProblem problem)
    {
        var on = problem.On is { } date ? date.UtcDateTime.ToString("D", CultureInfo.CurrentCulture) : "";
        return text[ResourceName(problem.Code), on, problem.Detail ?? ""];
    }

    /// <summary>The refusal in the current UI culture when it has a code, else <paramref name="message"/> (a refusal that is not a key's: English).</summary>
    public static string Say(this IStringLocalizer<Text> text, KeyProblem? problem, string message) => problem is null ? message : text.Say(problem);

    /// <summary>A key's status as the join page shows it: usable until when, or (the refusal being said elsewhere) that it cannot receive mail.</summary>
    public static string StatusOf(this IStringLocalizer<Text> text, KeyAssessment key) =>
        !key.Status.CanReceive() ? text["KeyStatusUnusable"]
        : key.Expires is { } expires ? text["KeyStatusUsable", expires.UtcDateTime.ToString("D", CultureInfo.CurrentCulture)]
        : text["KeyStatusUsableNoExpiry"];
}

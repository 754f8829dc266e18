namespace SecureMinutes.Web.Resources;

/// <summary>
/// The web app's words: <c>Text.resx</c> (English) and <c>Text.fr.resx</c> (French), read through
/// <c>IStringLocalizer&lt;Text&gt;</c>. One resource set for every page, so a translator has one file per language.
/// </summary>
public sealed class Text
{
}

using SecureMinutes.Lists;
using SecureMinutes.Minutes;
using SecureMinutes.Notices;

namespace SecureMinutes.Joining;

/// <summary>
/// The challenge mail: encrypted to the key the person gave, so only its holder can read the confirmation link inside.
/// In the language of the join page they used (null: the list's language); words from <c>NoticeResources</c>.
/// </summary>
public static class JoinChallengeText
{
    public static MinutesDocument Of(MailingList list, JoinRequest request, Uri confirmation, TimeSpan lifetime, ListLanguage? language)
    {
        var hours = (int)Math.Round(lifetime.TotalHours);
        var notice = new NoticeText(language ?? list.Language);
        foreach (var section in notice.Sections)
        {
            section.Say("JoinChallenge", list.DisplayName, list.Address, request.Fingerprint.Grouped, hours, confirmation);
        }

        return notice.ToLocalizedDocument("JoinChallengeSubject", list.DisplayName);
    }
}

using SecureMinutes.Notices;

namespace SecureMinutes.SelfService;

/// <summary>
/// The words of the keyless notice (<see cref="KeylessNotice"/>), in the list's language, from the resources
/// <c>NoticeResources.resx</c>/<c>.fr.resx</c> (keys <c>Keyless*</c>): the missed minutes' list and date, the reason in
/// plain words, the member's personal link to update their key, and why the notice is not encrypted.
/// </summary>
public static class KeylessNoticeText
{
    /// <summary>The subject and plain text of <paramref name="notice"/>.</summary>
    public static (string Subject, string Text) For(KeylessNotice notice)
    {
        var list = notice.List;
        var text = new NoticeText(list.Language);
        foreach (var section in text.Sections)
        {
            section.Say("KeylessNotice", list.DisplayName, list.Address, notice.MissedOn.UtcDateTime);
            switch (notice.Reason)
            {
                case KeylessReason.Expired when notice.ExpiredOn is { } expired:
                    section.Say("KeylessExpiredOn", notice.Key.Grouped, expired.UtcDateTime);
                    break;
                case KeylessReason.Expired:
                    section.Say("KeylessExpired", notice.Key.Grouped);
                    break;
                case KeylessReason.Revoked:
                    section.Say("KeylessRevoked", notice.Key.Grouped);
                    break;
                default:
                    section.Say("KeylessUnusable", notice.Key.Grouped);
                    break;
            }

            section.Blank();
            if (notice.UpdateLink is { } link)
            {
                section.Say("KeylessUpdate", (notice.LinkExpires ?? notice.MissedOn).UtcDateTime).Say("MemberLinkLine", link);
            }
            else
            {
                section.Say("KeylessAskAdmins");
            }

            section.Blank().Say("KeylessCatchUp").Blank().Say("KeylessWhyUnencrypted");
        }

        var document = text.ToLocalizedDocument("KeylessNoticeSubject", list.DisplayName);
        return (document.Subject, document.Text);
    }
}

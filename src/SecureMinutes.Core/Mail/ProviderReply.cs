using System.Text.RegularExpressions;

namespace SecureMinutes.Mail;

/// <summary>What a refusal says about the sending account, as opposed to the one recipient or message.</summary>
public enum ReplyMeaning
{
    /// <summary>Nothing about the account: the reply concerns this recipient or message.</summary>
    Other,

    /// <summary>"Slow down": the account sends faster than the provider allows right now.</summary>
    RateLimited,

    /// <summary>The account's sending quota for a period (day, hour) is used up.</summary>
    QuotaExceeded,
}

/// <summary>
/// Reads provider refusals that are about the account rather than the recipient. SMTP has no code for either
/// (RFC 3463's X.7.1 also covers policy refusals of one recipient), so the reply text decides, and
/// conservatively: a reply is taken for the account only when it names a rate or a sending quota.
/// Otherwise it stays a recipient's failure, retried a bounded number of times, as before.
/// <para>Texts seen in the wild (the tests carry them):</para>
/// <list type="bullet">
/// <item>Postfix anvil: "450 4.7.1 Error: too much mail from 1.2.3.4", "450 4.7.1 Error: too many recipients from 1.2.3.4",
/// "421 4.7.0 host Error: too many connections from 1.2.3.4".</item>
/// <item>policyd-rate-limit (common with Postfix providers): "450 4.7.1 Rate limit reach, retry later".</item>
/// <item>Exim ratelimit ACLs: "451 4.7.1 Sending rate exceeded"; postfwd: "Number messages per hour exceeded".</item>
/// <item>Quotas: Gmail "550 5.4.5 Daily user sending quota exceeded.", Exchange Online "554 5.2.0
/// STOREDRV.Submission.Exception:SubmissionQuotaExceededException", "451 4.7.1 daily sending limit reached".</item>
/// </list>
/// A full <em>mailbox</em> (X.2.2, "mailbox full", "over quota" for a recipient) is the recipient's problem, never ours.
/// </summary>
public static partial class ProviderReply
{
    public static ReplyMeaning Classify(int code, string text)
    {
        if (code < 400 || code >= 600 || RecipientMailbox().IsMatch(text))
        {
            return ReplyMeaning.Other;
        }

        if (Quota().IsMatch(text))
        {
            return ReplyMeaning.QuotaExceeded;
        }

        // A rate refusal is temporary by nature; a 5xx naming a rate is read as a quota only if it says so above.
        // X.5.3 "too many recipients" is about one message's recipient count, not a rate.
        return code < 500 && Rate().IsMatch(text) && !TooManyRecipientsInMessage().IsMatch(text) ? ReplyMeaning.RateLimited : ReplyMeaning.Other;
    }

    /// <summary>
    /// When a used-up quota can be expected back. Providers rarely say; "daily" quotas are often a rolling 24
    /// hours, so that is the safe wait unless the reply names an hourly limit.
    /// </summary>
    public static TimeSpan QuotaWindow(string text) => Hourly().IsMatch(text) ? TimeSpan.FromHours(1) : TimeSpan.FromHours(24);

    [GeneratedRegex(@"\b[45]\.2\.2\b|mailbox (is )?full|mailbox.{0,40}(over|exceeded).{0,10}quota|quota.{0,40}mailbox|storage (space|quota)", RegexOptions.IgnoreCase)]
    private static partial Regex RecipientMailbox();

    [GeneratedRegex(@"(sending|send|submission|outgoing|outbound|daily|per day|hourly|per hour|24 ?h\w*)\W*(\w+\W+){0,3}?(quota|limit|cap)\w*\W+(\w+\W+){0,2}?(exceeded|reached|used|hit)"
        + @"|quota\w*\W*(\w+\W+){0,2}?exceeded|quotaexceeded|(daily|hourly) (sending |message |recipient )?(limit|quota)"
        + @"|(messages|recipients|mails?) per (day|hour) exceeded", RegexOptions.IgnoreCase)]
    private static partial Regex Quota();

    [GeneratedRegex(@"too (much|many) (mail|messages|recipients|connections|e-?mails)|rate[ -]?limit|sending rate|throttl|slow down|too fast", RegexOptions.IgnoreCase)]
    private static partial Regex Rate();

    [GeneratedRegex(@"\b[45]\.5\.3\b")]
    private static partial Regex TooManyRecipientsInMessage();

    [GeneratedRegex(@"hour|60 ?min", RegexOptions.IgnoreCase)]
    private static partial Regex Hourly();
}

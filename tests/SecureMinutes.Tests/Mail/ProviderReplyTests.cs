using SecureMinutes.Mail;

namespace SecureMinutes.Tests.Mail;

/// <summary>
/// Real reply texts, sorted into "the account must slow down", "the account's quota is spent" and "this
/// recipient's problem". Misreading a recipient's failure as the account's would retry it forever; misreading
/// a quota as a recipient's failure would fail every remaining member.
/// </summary>
public sealed class ProviderReplyTests
{
    [Theory]
    [InlineData(450, "4.7.1 Error: too much mail from 127.0.0.1")] // Postfix anvil, smtpd_client_message_rate_limit
    [InlineData(450, "4.7.1 Error: too many recipients from 198.51.100.7")] // Postfix anvil, smtpd_client_recipient_rate_limit
    [InlineData(421, "4.7.0 mail.example.test Error: too many connections from 127.0.0.1")] // Postfix anvil, connection rate
    [InlineData(450, "4.7.1 <ag@lists.example.test>: Sender address rejected: Rate limit reach, retry later")] // policyd-rate-limit
    [InlineData(451, "4.7.1 Sending rate exceeded, please slow down")] // Exim ratelimit ACL
    [InlineData(421, "4.7.28 Our system has detected an unusual rate of mail, throttled")]
    public void Classify_ReadsRateLimitReplies_AsTheAccountsSlowDown(int code, string text) =>
        Assert.Equal(ReplyMeaning.RateLimited, ProviderReply.Classify(code, text));

    [Theory]
    [InlineData(550, "5.4.5 Daily user sending quota exceeded. https://support.google.com/mail/?p=UserSendingQuota")] // Gmail
    [InlineData(554, "5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Failed to process message")] // Exchange Online
    [InlineData(451, "4.7.1 daily sending limit reached, try again tomorrow")]
    [InlineData(450, "4.7.1 Number messages per hour exceeded")] // postfwd
    [InlineData(452, "4.3.1 Outgoing quota exceeded for this account")]
    public void Classify_ReadsSendingQuotaReplies_AsTheAccountsQuota(int code, string text) =>
        Assert.Equal(ReplyMeaning.QuotaExceeded, ProviderReply.Classify(code, text));

    [Theory]
    [InlineData(451, "4.3.0 <x@example.org>: injected temporary failure")] // the test sink's 451
    [InlineData(550, "5.1.1 <nobody@members.example.test>: Recipient address rejected: User unknown in virtual mailbox table")]
    [InlineData(452, "4.2.2 <bob@example.org>: Mailbox full")] // a full mailbox is the recipient's problem
    [InlineData(552, "5.2.2 <bob@example.org>: Quota exceeded (mailbox for user is full)")]
    [InlineData(452, "4.5.3 Error: too many recipients")] // recipients per message, not a rate
    [InlineData(554, "5.7.1 <x@gmail.com>: Relay access denied")]
    [InlineData(553, "5.7.1 <ag@lists.example.test>: Sender address rejected: not owned by user bob@members.example.test")]
    [InlineData(250, "2.0.0 Ok: queued as 4QXq1V1ClHz9swf")]
    public void Classify_LeavesOtherReplies_ToTheRecipientOrMessage(int code, string text) =>
        Assert.Equal(ReplyMeaning.Other, ProviderReply.Classify(code, text));

    [Fact]
    public void QuotaWindow_IsAnHour_OnlyWhenTheReplyNamesOne()
    {
        Assert.Equal(TimeSpan.FromHours(1), ProviderReply.QuotaWindow("4.7.1 Number messages per hour exceeded"));
        Assert.Equal(TimeSpan.FromHours(24), ProviderReply.QuotaWindow("5.4.5 Daily user sending quota exceeded."));
        Assert.Equal(TimeSpan.FromHours(24), ProviderReply.QuotaWindow("4.3.1 Outgoing quota exceeded for this account"));
    }
}

using System.Net;
using Microsoft.AspNetCore.Mvc;
using SecureMinutes.Distribution;
using SecureMinutes.Minutes;

namespace SecureMinutes.Web.Pages.Lists;

/// <summary>
/// The preview before sending: how many members will receive the minutes, who is skipped and why, the subject,
/// time and attachments, and the minutes as members will read them. One tap confirms; a second tap (or a reload of
/// the POST) lands on the same delivery, because the draft's submission id was fixed when it was saved.
/// </summary>
public sealed class ConfirmModel(MinutesDrafts drafts) : ListPage
{
    public MinutesDraft? Draft { get; private set; }

    public DraftAudience? Audience { get; private set; }

    /// <summary>Safe HTML: Markdig with raw HTML off and links and images neutralised (the mail's renderer), or the text escaped.</summary>
    public string RenderedMinutes { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string draft, CancellationToken cancellationToken)
    {
        var (opened, sent) = await drafts.OpenAsync(draft, AccountId, Grant.List, cancellationToken);
        if (sent is not null)
        {
            return DeliveryPage(sent.Id);
        }

        if (opened is null)
        {
            return NotFound();
        }

        Draft = opened;
        RenderedMinutes = opened.Document.Format == MinutesFormat.Markdown
            ? MarkdownRenderer.ToHtml(opened.Document.Text)
            : $"<pre>{WebUtility.HtmlEncode(opened.Document.Text)}</pre>";
        try
        {
            Audience = await drafts.AudienceAsync(Grant.List.Name, opened.SendAt, cancellationToken);
        }
        catch (UserFacingException ex)
        {
            Error = ex.Message;
            Audience = new DraftAudience(0, []);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string draft, CancellationToken cancellationToken)
    {
        var (opened, sent) = await drafts.OpenAsync(draft, AccountId, Grant.List, cancellationToken);
        if (sent is not null)
        {
            return DeliveryPage(sent.Id);
        }

        if (opened is null)
        {
            return NotFound();
        }

        try
        {
            var submission = await drafts.ConfirmAsync(opened, Grant.List.Name, cancellationToken);
            return DeliveryPage(submission.Id);
        }
        catch (UserFacingException ex)
        {
            await OnGetAsync(draft, cancellationToken);
            Error = ex.Message;
            return Page();
        }
    }

    private RedirectResult DeliveryPage(string submissionId) =>
        Redirect($"/lists/{Uri.EscapeDataString(Grant.List.Name)}/deliveries/{Uri.EscapeDataString(submissionId)}");
}

using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using SecureMinutes.Distribution;
using SecureMinutes.Minutes;
using SecureMinutes.Minutes.Pads;
using SecureMinutes.Web.Resources;

namespace SecureMinutes.Web.Pages.Lists;

/// <summary>
/// Compose minutes: pasted text or Markdown (previewed live with the mail's own renderer), a file, or a pad read now;
/// a subject, attachments, now or at a time. Submitting stores a sealed draft and shows the preview; nothing is sent
/// before the note-taker confirms there.
/// </summary>
public sealed class SendModel(MinutesDrafts drafts, PadReader pads, IntakeLimits limits, IStringLocalizer<Text> text) : ListPage
{
    [BindProperty] public string? Subject { get; set; }

    [BindProperty] public string? Text { get; set; }

    [BindProperty] public string? Format { get; set; }

    [BindProperty] public string? PadUrl { get; set; }

    [BindProperty] public IFormFile? MinutesFile { get; set; }

    [BindProperty] public List<IFormFile> Attachments { get; set; } = [];

    [BindProperty] public string? When { get; set; }

    [BindProperty] public string? SendAtLocal { get; set; }

    [BindProperty] public int? UtcOffsetMinutes { get; set; }

    public bool MinutesFileGiven => MinutesFile is { Length: > 0 };

    public string AttachmentLimit => IntakeLimits.Describe(limits.MaxAttachmentBytes);

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        try
        {
            var document = await ComposeAsync(cancellationToken);
            var draft = await drafts.SaveAsync(AccountId, Grant.List.Name, document, SendAt(), cancellationToken);
            return Redirect($"/lists/{Uri.EscapeDataString(Grant.List.Name)}/send/{draft.Id}");
        }
        catch (UserFacingException ex)
        {
            Error = ex.Message;
            return Page();
        }
    }

    /// <summary>
    /// The live preview: the same safe HTML the mail's HTML part carries, or the text as members' clients show it. Markdown
    /// the renderer refuses (nested too deep, tables too large) shows its one-line refusal, as sending it would.
    /// </summary>
    public IActionResult OnPostRender()
    {
        string html;
        try
        {
            html = string.IsNullOrWhiteSpace(Text) ? "" : Format == "text" ? $"<pre>{WebUtility.HtmlEncode(Text)}</pre>" : MarkdownRenderer.ToHtml(Text);
        }
        catch (UserFacingException refused)
        {
            html = $"<p class=\"error\" role=\"alert\">{WebUtility.HtmlEncode(refused.Message)}</p>";
        }

        return Content(html, "text/html; charset=utf-8");
    }

    private async Task<MinutesDocument> ComposeAsync(CancellationToken cancellationToken)
    {
        var sources = (string.IsNullOrWhiteSpace(Text) ? 0 : 1) + (MinutesFileGiven ? 1 : 0) + (string.IsNullOrWhiteSpace(PadUrl) ? 0 : 1);
        if (sources != 1)
        {
            throw new UserFacingException(sources == 0 ? text["NoMinutesGiven"] : text["OneSourceOnly"]);
        }

        string body;
        MinutesFormat sourceFormat;
        if (!string.IsNullOrWhiteSpace(Text))
        {
            // Pasted text obeys the same limit as a minutes file (SECUREMINUTES_MINUTES_LIMIT).
            if (System.Text.Encoding.UTF8.GetByteCount(Text) > limits.MaxTextBytes)
            {
                throw new UserFacingException(text["FileTooLarge", text["TheMinutes"], IntakeLimits.Describe(limits.MaxTextBytes)]);
            }

            body = SecureMinutes.Minutes.MinutesFile.Normalise(Text, text["TheMinutes"]);
            sourceFormat = MinutesFormat.Markdown;
        }
        else if (MinutesFile is { } file)
        {
            body = SecureMinutes.Minutes.MinutesFile.Decode(await ReadAsync(file, limits.MaxTextBytes, cancellationToken), file.FileName);
            sourceFormat = MinutesFormats.ForFile(file.FileName);
        }
        else
        {
            // Read now, so the preview shows what will be sent (at a later time too: what was confirmed is what goes out).
            var padText = await pads.ReadAsync(Grant.List.Id, PadRequest.Create(PadUrl!.Trim(), null, null), cancellationToken);
            (body, sourceFormat) = (padText.Text, padText.Format);
        }

        var attachments = new List<MinutesAttachment>();
        foreach (var attachment in Attachments.Where(a => a.Length > 0))
        {
            attachments.Add(new MinutesAttachment(Path.GetFileName(attachment.FileName), string.IsNullOrEmpty(attachment.ContentType) ? "application/octet-stream" : attachment.ContentType,
                await ReadAsync(attachment, limits.MaxAttachmentBytes, cancellationToken)));
        }

        AttachmentFiles.CheckTotal(attachments, limits.MaxAttachmentBytes, text["TheAttachments"]);
        // The format choice is for pasted text; a file says by its extension, a pad by its kind (as with submit --file/--pad).
        var format = !string.IsNullOrWhiteSpace(Text) ? MinutesFormats.Choose(Format, MinutesFormat.Markdown) : sourceFormat;
        return new MinutesDocument(MinutesSubject.Choose(string.IsNullOrWhiteSpace(Subject) ? null : Subject, body, DateTimeOffset.UtcNow), body)
        {
            Format = format,
            Attachments = attachments,
        };
    }

    /// <summary>"Later" at the typed local time, in the browser's time zone when the script sent it, else the server's.</summary>
    private DateTimeOffset? SendAt()
    {
        if (When != "later")
        {
            return null;
        }

        if (!DateTime.TryParse(SendAtLocal, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            throw new UserFacingException(text["SendAtMissing"]);
        }

        var offset = UtcOffsetMinutes is { } minutes and >= -14 * 60 and <= 14 * 60 ? TimeSpan.FromMinutes(minutes) : TimeZoneInfo.Local.GetUtcOffset(local);
        return new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), offset);
    }

    private async Task<byte[]> ReadAsync(IFormFile file, long max, CancellationToken cancellationToken)
    {
        if (file.Length > max)
        {
            throw new UserFacingException(text["FileTooLarge", file.FileName, IntakeLimits.Describe(max)]);
        }

        using var buffer = new MemoryStream((int)file.Length);
        await file.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}

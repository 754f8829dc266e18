using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using SecureMinutes.Lists;
using SecureMinutes.Minutes;
using SecureMinutes.Secrets;

namespace SecureMinutes.Distribution;

/// <summary>
/// How a submission asks not to be a duplicate (<see cref="DistributionService.SubmitAsync(string, MinutesDocument, SubmitOptions, CancellationToken)"/>).
/// </summary>
public sealed record SubmitOptions
{
    /// <summary>When to send; null: now.</summary>
    public DateTimeOffset? SendAt { get; init; }

    /// <summary>Send even if the same minutes went to the same list within the window (<c>submit --again</c>).</summary>
    public bool Again { get; init; }

    /// <summary>
    /// A token the caller made once per intent (a web form's hidden field): submitting again with the same token
    /// returns the submission the first one made instead of making another, whatever the content.
    /// </summary>
    public string? IdempotencyToken { get; init; }
}

/// <summary>The same minutes went to the same list a moment ago; <see cref="Existing"/> is that submission.</summary>
public sealed class DuplicateSubmissionException(Submission existing, string message) : UserFacingException(message)
{
    public Submission Existing { get; } = existing;
}

/// <summary>
/// Recognises a second submission of the same minutes (subject, text, format, attachments) to the same list
/// within <see cref="DeliveryOptions.DuplicateWindow"/>: a double tap, or a command run twice. Contents are
/// compared by a keyed hash under a key derived from the vault (<see cref="SecretBox.Mac"/>), per list, so the
/// database never holds anything that would confirm a guessed text.
/// </summary>
public sealed class SubmissionDuplicates(Vault vault)
{
    /// <summary>The keyed hash of <paramref name="minutes"/> as sent to <paramref name="list"/>.</summary>
    public string ContentMac(MailingList list, MinutesDocument minutes)
    {
        using var buffer = new MemoryStream();
        Field(buffer, minutes.Format.ToString());
        Field(buffer, minutes.Subject);
        Field(buffer, minutes.Text);
        foreach (var attachment in minutes.Attachments)
        {
            Field(buffer, attachment.FileName);
            Field(buffer, attachment.MediaType);
            Field(buffer, attachment.Content);
        }

        return vault.Box.Mac(buffer.ToArray(), string.Create(CultureInfo.InvariantCulture, $"submission-content:{list.Id}"));
    }

    /// <summary>The keyed hash of a caller's idempotency token for <paramref name="list"/>.</summary>
    public string RequestMac(MailingList list, string token) =>
        vault.Box.Mac(Encoding.UTF8.GetBytes(token), string.Create(CultureInfo.InvariantCulture, $"submission-request:{list.Id}"));

    /// <summary>The refusal for a duplicate of <paramref name="existing"/>, said for the command line.</summary>
    public static DuplicateSubmissionException Refusal(MailingList list, Submission existing, DateTimeOffset now)
    {
        var ago = now - existing.CreatedAt;
        var when = ago < TimeSpan.FromMinutes(2)
            ? string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, (int)ago.TotalSeconds)} s ago")
            : string.Create(CultureInfo.InvariantCulture, $"at {existing.CreatedAt.ToLocalTime():yyyy-MM-dd HH:mm}");
        return new DuplicateSubmissionException(existing,
            $"the same minutes were already submitted to {list.Name} {when} ({existing.Id}): nothing was stored; to send them a second time, run the command again with --again");
    }

    // Length-prefixed, so no two different documents serialise alike.
    private static void Field(Stream buffer, string text) => Field(buffer, Encoding.UTF8.GetBytes(text));

    private static void Field(Stream buffer, byte[] bytes)
    {
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(length, bytes.LongLength);
        buffer.Write(length);
        buffer.Write(bytes);
    }
}

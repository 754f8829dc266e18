using MimeKit;

namespace SecureMinutes.Minutes;

/// <summary>Reads <c>--attach</c> files, all of them within the configured total size.</summary>
public static class AttachmentFiles
{
    public static IReadOnlyList<MinutesAttachment> Read(IEnumerable<string> paths, long maxTotalBytes)
    {
        var attachments = new List<MinutesAttachment>();
        long total = 0;
        foreach (var path in paths)
        {
            var content = LocalFile.Read(path, maxTotalBytes, "attachments");
            total += content.Length;
            if (total > maxTotalBytes)
            {
                throw new UserFacingException($"the attachments add up to more than the {IntakeLimits.Describe(maxTotalBytes)} limit (at {Path.GetFileName(path)}); send fewer or smaller files");
            }

            attachments.Add(new MinutesAttachment(Path.GetFileName(path), MimeTypes.GetMimeType(path), content));
        }

        return attachments;
    }

    /// <summary>Attachments from another source (mail-in) obey the same total limit.</summary>
    public static void CheckTotal(IReadOnlyList<MinutesAttachment> attachments, long maxTotalBytes, string sourceName)
    {
        var total = attachments.Sum(a => (long)a.Content.Length);
        if (total > maxTotalBytes)
        {
            throw new UserFacingException($"{sourceName} has {IntakeLimits.Describe(total)} of attachments, over the {IntakeLimits.Describe(maxTotalBytes)} limit");
        }
    }
}

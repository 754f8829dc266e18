namespace SecureMinutes.Minutes;

/// <summary>
/// How much one set of minutes may carry, from whatever source (file, pad, mail-in). Defaults suit
/// ordinary mail providers (most refuse mails over 20-25 MB; base64 adds a third); set with
/// <c>SECUREMINUTES_MINUTES_LIMIT</c> and <c>SECUREMINUTES_ATTACHMENTS_LIMIT</c> (e.g. 512K, 10M).
/// </summary>
public sealed record IntakeLimits
{
    /// <summary>Minutes are text: 2 MiB is hundreds of pages.</summary>
    public long MaxTextBytes { get; init; } = MinutesFile.DefaultMaxBytes;

    /// <summary>All attachments of one submission together.</summary>
    public long MaxAttachmentBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>How long one pad download may take (through Tor it is slow).</summary>
    public TimeSpan PadTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>"10M", "512K", "2MiB" or a number of bytes, as people write sizes.</summary>
    public static long ParseSize(string text, string name)
    {
        var value = text.Trim().ToUpperInvariant().Replace("IB", "", StringComparison.Ordinal).Replace("B", "", StringComparison.Ordinal);
        var multiplier = value.Length > 0 ? value[^1] switch { 'K' => 1024L, 'M' => 1024L * 1024, 'G' => 1024L * 1024 * 1024, _ => 1L } : 1L;
        var number = multiplier == 1 ? value : value[..^1];
        return long.TryParse(number, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var amount) && amount > 0
            ? amount * multiplier
            : throw new UserFacingException($"{name}='{text}' is not a size (e.g. 512K, 10M)");
    }

    public static string Describe(long bytes) => bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0
        ? FormattableString.Invariant($"{bytes / (1024 * 1024)} MiB")
        : FormattableString.Invariant($"{bytes / 1024.0:0.#} KiB");
}

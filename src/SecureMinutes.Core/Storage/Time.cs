namespace SecureMinutes.Storage;

/// <summary>Times are stored as Unix milliseconds.</summary>
internal static class Time
{
    public static long ToDb(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static long? ToDb(DateTimeOffset? value) => value?.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromDb(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value);

    public static DateTimeOffset? FromDb(long? value) => value is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;
}

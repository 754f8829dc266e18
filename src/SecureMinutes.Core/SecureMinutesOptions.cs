using System.Globalization;
using SecureMinutes.Distribution;
using SecureMinutes.Jobs;
using SecureMinutes.Minutes;
using SecureMinutes.Keyring;
using SecureMinutes.Storage;

namespace SecureMinutes;

/// <summary>
/// Where a SecureMinutes instance keeps its state and how its background work is tuned. Built once per
/// process from the command line and <c>SECUREMINUTES_*</c> environment variables, and validated there.
/// </summary>
public sealed record SecureMinutesOptions
{
    public const string DataDirVariable = "SECUREMINUTES_DATA_DIR";
    public const string DatabaseVariable = "SECUREMINUTES_DB";
    public const string PublicUrlVariable = "SECUREMINUTES_PUBLIC_URL";

    /// <summary>SQLite databases, vault and (by default) the key file live here.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Where application data and Hangfire's jobs live: the embedded SQLite files, or one PostgreSQL database (<c>--db</c>).</summary>
    public required DatabaseTarget Database { get; init; }

    public DeliveryOptions Delivery { get; init; } = new();

    public JobOptions Jobs { get; init; } = new();

    public IntakeLimits Intake { get; init; } = new();
    public KeyringOptions Keyring { get; init; } = new();

    /// <summary>
    /// The address people reach the web app at (<c>SECUREMINUTES_PUBLIC_URL</c>, or <c>serve --public-url</c>):
    /// every link the service mails or prints is built from it (<see cref="Accounts.PublicLinks"/>). Null: not set.
    /// </summary>
    public Uri? PublicUrl { get; init; }

    public static SecureMinutesOptions Create(string? dataDir, string? databaseUrl, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var delivery = new DeliveryOptions();
        var jobs = new JobOptions();
        var intake = new IntakeLimits();
        var dataDirectory = ResolveDataDirectory(dataDir, environment);
        return new SecureMinutesOptions
        {
            DataDirectory = dataDirectory,
            Database = DatabaseTarget.Choose(dataDirectory, string.IsNullOrWhiteSpace(databaseUrl) ? NullIfEmpty(environment(DatabaseVariable)) : databaseUrl),
            Delivery = delivery with
            {
                BatchSize = Number(environment, "SECUREMINUTES_BATCH_SIZE", 1, 10_000) ?? delivery.BatchSize,
                ClaimLease = Duration(environment, "SECUREMINUTES_CLAIM_LEASE") ?? delivery.ClaimLease,
                RetryDelays = Durations(environment, "SECUREMINUTES_RETRY_DELAYS") ?? delivery.RetryDelays,
                ThrottleCooldown = Duration(environment, "SECUREMINUTES_THROTTLE_COOLDOWN") ?? delivery.ThrottleCooldown,
                DuplicateWindow = Duration(environment, "SECUREMINUTES_DUPLICATE_WINDOW") ?? delivery.DuplicateWindow,
            },
            Jobs = jobs with
            {
                InvisibilityTimeout = Duration(environment, "SECUREMINUTES_JOB_INVISIBILITY") ?? jobs.InvisibilityTimeout,
                QueuePollInterval = Duration(environment, "SECUREMINUTES_POLL_INTERVAL") ?? jobs.QueuePollInterval,
                SchedulePollingInterval = Duration(environment, "SECUREMINUTES_SCHEDULE_POLL_INTERVAL") ?? jobs.SchedulePollingInterval,
                WorkerCount = Number(environment, "SECUREMINUTES_WORKERS", 1, 100) ?? jobs.WorkerCount,
                IntakeSchedule = NullIfEmpty(environment("SECUREMINUTES_INTAKE_SCHEDULE")) ?? jobs.IntakeSchedule,
            },
            Intake = intake with
            {
                MaxTextBytes = Size(environment, "SECUREMINUTES_MINUTES_LIMIT") ?? intake.MaxTextBytes,
                MaxAttachmentBytes = Size(environment, "SECUREMINUTES_ATTACHMENTS_LIMIT") ?? intake.MaxAttachmentBytes,
                PadTimeout = Duration(environment, "SECUREMINUTES_PAD_TIMEOUT") ?? intake.PadTimeout,
            },
            Keyring = KeyringOptions.FromEnvironment(environment),
            PublicUrl = NullIfEmpty(environment(PublicUrlVariable)) is { } url ? ParsePublicUrl(url, PublicUrlVariable) : null,
        };
    }

    /// <summary><c>--data-dir</c>, else <c>SECUREMINUTES_DATA_DIR</c>, else the user's data directory.</summary>
    public static string ResolveDataDirectory(string? given, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (!string.IsNullOrWhiteSpace(given))
        {
            return Path.GetFullPath(given);
        }

        if (environment(DataDirVariable) is { Length: > 0 } fromEnvironment)
        {
            return Path.GetFullPath(fromEnvironment);
        }

        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "secureminutes");
    }

    /// <summary>Creates the data dir readable by its owner only (0700), or sets its files to 0600 (<see cref="Storage.PrivateFiles"/>).</summary>
    public void EnsureDataDirectory()
    {
        if (Directory.Exists(DataDirectory))
        {
            // A data dir from before issue 17 holds 0644 files; the web's key ring too (its own folder).
            Storage.PrivateFiles.TightenDirectory(DataDirectory);
            Storage.PrivateFiles.TightenDirectory(Path.Combine(DataDirectory, "web-keys"));
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(DataDirectory);
        }
        else
        {
            Directory.CreateDirectory(DataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>Reads "90s", "5m", "2h" or plain seconds.</summary>
    public static TimeSpan ParseDuration(string text, string name)
    {
        var value = text.Trim();
        var (number, unit) = value.Length > 0 && char.IsLetter(value[^1]) ? (value[..^1], value[^1]) : (value, 's');
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || amount < 0)
        {
            throw new UserFacingException($"{name}='{text}' is not a duration (e.g. 30s, 5m, 2h)");
        }

        return unit switch
        {
            's' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMinutes(amount),
            'h' => TimeSpan.FromHours(amount),
            _ => throw new UserFacingException($"{name}='{text}' is not a duration (e.g. 30s, 5m, 2h)"),
        };
    }

    /// <summary>An absolute http(s) address without query or fragment, e.g. https://minutes.example.org or http://abc….onion.</summary>
    /// <exception cref="UserFacingException">Anything else, named after <paramref name="name"/>.</exception>
    public static Uri ParsePublicUrl(string text, string name) =>
        Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url) && url.Scheme is "http" or "https" && url.Query.Length == 0 && url.Fragment.Length == 0
            ? url
            : throw new UserFacingException($"{name}='{text}' is not an http(s) address (e.g. https://minutes.example.org)");

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static long? Size(Func<string, string?> environment, string name) =>
        NullIfEmpty(environment(name)) is { } text ? IntakeLimits.ParseSize(text, name) : null;

    private static TimeSpan? Duration(Func<string, string?> environment, string name) =>
        NullIfEmpty(environment(name)) is { } text ? ParseDuration(text, name) : null;

    private static TimeSpan[]? Durations(Func<string, string?> environment, string name) =>
        NullIfEmpty(environment(name)) is { } text ? text.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(t => ParseDuration(t, name)).ToArray() : null;

    private static int? Number(Func<string, string?> environment, string name, int min, int max)
    {
        if (NullIfEmpty(environment(name)) is not { } text)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new UserFacingException($"{name}='{text}' must be a whole number from {min} to {max}");
    }
}

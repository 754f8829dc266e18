namespace SecureMinutes;

/// <summary>Where a SecureMinutes instance keeps its state.</summary>
public sealed record SecureMinutesOptions
{
    public const string DataDirVariable = "SECUREMINUTES_DATA_DIR";

    /// <summary>SQLite database, vault and (by default) the key file live here.</summary>
    public required string DataDirectory { get; init; }

    public string DatabasePath => Path.Combine(DataDirectory, "secureminutes.db");

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

    /// <summary>Creates the data dir readable by its owner only.</summary>
    public void EnsureDataDirectory()
    {
        if (Directory.Exists(DataDirectory))
        {
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
}

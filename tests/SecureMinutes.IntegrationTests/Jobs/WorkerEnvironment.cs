namespace SecureMinutes.IntegrationTests.Jobs;

/// <summary>Short waits for tests: retries in seconds, quick polling, crashed jobs visible again after seconds.</summary>
public static class WorkerEnvironment
{
    public static Dictionary<string, string?> For(string dataDir, int workers = 2, string? databaseUrl = null) => new()
    {
        ["SECUREMINUTES_DATA_DIR"] = dataDir,
        ["SECUREMINUTES_DB"] = databaseUrl,
        ["SECUREMINUTES_PASSPHRASE"] = null,
        ["SECUREMINUTES_WORKERS"] = workers.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["SECUREMINUTES_BATCH_SIZE"] = "20",
        ["SECUREMINUTES_RETRY_DELAYS"] = "1s,1s,2s",
        ["SECUREMINUTES_CLAIM_LEASE"] = "5s",
        ["SECUREMINUTES_JOB_INVISIBILITY"] = "10s",
        ["SECUREMINUTES_POLL_INTERVAL"] = "0.5s",
        ["SECUREMINUTES_SCHEDULE_POLL_INTERVAL"] = "1s",
        // The daily key refresh must never reach the real keyservers or members' domains from a test.
        ["SECUREMINUTES_VKS_URL"] = "off",
        ["SECUREMINUTES_HKP_URL"] = "off",
        ["SECUREMINUTES_WKD"] = "off",
    };
}

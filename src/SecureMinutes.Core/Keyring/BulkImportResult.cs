namespace SecureMinutes.Keyring;

/// <summary>What a bulk import did (or would do, with <see cref="DryRun"/>), and how long it took.</summary>
public sealed record BulkImportResult(string ListName, IReadOnlyList<ImportRow> Rows, TimeSpan Elapsed, bool DryRun)
{
    public int Refused => Rows.Count(r => r.IsRefused);

    public int Accepted => Rows.Count - Refused;
}

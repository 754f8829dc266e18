using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecureMinutes.Backups;

/// <summary>
/// The first entry of a backup archive (<c>manifest.json</c>): what it holds and where it came from, checked
/// before anything is restored.
/// </summary>
/// <param name="Format">The archive layout; this program restores format 1.</param>
/// <param name="Database">"sqlite" (the files <c>secureminutes.db</c> and <c>jobs.db</c>) or "postgresql" (<c>database.pgdump</c>, pg_dump's custom format).</param>
/// <param name="CreatedAt">When the backup was taken (UTC).</param>
/// <param name="Program">The program version that wrote it.</param>
/// <param name="Files">The data dir files in the archive, besides the manifest.</param>
public sealed record BackupManifest(int Format, string Database, DateTimeOffset CreatedAt, string Program, IReadOnlyList<string> Files)
{
    public const int CurrentFormat = 1;
    public const string EntryName = "manifest.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public byte[] Serialize() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <exception cref="UserFacingException">Not a manifest this program understands.</exception>
    public static BackupManifest Deserialize(byte[] data)
    {
        BackupManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<BackupManifest>(data, Json);
        }
        catch (JsonException)
        {
            manifest = null;
        }

        if (manifest is null || manifest.Files is null || manifest.Database is not ("sqlite" or "postgresql"))
        {
            throw new UserFacingException("the backup's manifest is unreadable: this is not a SecureMinutes backup, or it is damaged");
        }

        return manifest.Format == CurrentFormat
            ? manifest
            : throw new UserFacingException($"the backup has format {manifest.Format}; this program restores format {CurrentFormat} (use the release that wrote it)");
    }
}

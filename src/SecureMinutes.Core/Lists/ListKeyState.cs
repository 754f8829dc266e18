using System.Globalization;

namespace SecureMinutes.Lists;

/// <summary>The pause a revoked list key puts on sending, recognised again when a rotation lifts it.</summary>
public static class ListKeyState
{
    private const string RevokedPrefix = "the list key was revoked";

    public static string RevokedPauseReason(MailingList list) => list.KeyRevokedAt is { } at
        ? string.Create(CultureInfo.InvariantCulture, $"{RevokedPrefix} on {at:yyyy-MM-dd}: run secureminutes list key rotate {list.Name}, which resumes sending")
        : $"{RevokedPrefix}: run secureminutes list key rotate {list.Name}, which resumes sending";

    public static bool IsRevokedPause(string? reason) => reason?.StartsWith(RevokedPrefix, StringComparison.Ordinal) == true;
}

namespace SecureMinutes.Storage;

/// <summary>
/// A member's per-list settings (admin, digest, note-taker) as the one text sealed in <c>members.sealed_settings</c>
/// (issue 17: a seized database does not show who administers a list or takes its notes). The clear columns
/// <c>is_admin</c>, <c>wants_digest</c> and <c>is_note_taker</c> of older rows are read only until the sealing migration
/// has moved them, and stay 0 afterwards.
/// </summary>
/// <param name="IsAdmin">Receives the list's admin notices.</param>
/// <param name="WantsDigest">Receives the periodic digest.</param>
/// <param name="IsNoteTaker">May send minutes by mail.</param>
internal readonly record struct MemberSettings(bool IsAdmin, bool WantsDigest, bool IsNoteTaker)
{
    /// <summary>"admin=1;digest=0;note-taker=1": a fixed shape, so every member's sealed value has the same length.</summary>
    public string Encode() => $"admin={Bit(IsAdmin)};digest={Bit(WantsDigest)};note-taker={Bit(IsNoteTaker)}";

    /// <exception cref="FormatException">Not a value <see cref="Encode"/> wrote.</exception>
    public static MemberSettings Decode(string text)
    {
        var values = text.Split(';').Select(pair => pair.Split('=')).ToDictionary(p => p[0], p => p.Length == 2 && p[1] == "1", StringComparer.Ordinal);
        return values.TryGetValue("admin", out var admin) && values.TryGetValue("digest", out var digest) && values.TryGetValue("note-taker", out var noteTaker)
            ? new MemberSettings(admin, digest, noteTaker)
            : throw new FormatException("not a member's settings");
    }

    private static char Bit(bool value) => value ? '1' : '0';
}

namespace SecureMinutes.Doctor;

public enum CheckStatus
{
    Ok,

    /// <summary>Works, but something deserves an admin's attention (a member's unusable key, no admin).</summary>
    Warn,

    /// <summary>Mail will not go out (or not to everyone) until this is fixed.</summary>
    Fail,

    /// <summary>Not applicable (DNS through a proxy), or impossible because an earlier check failed.</summary>
    Skip,
}

/// <summary>One line of <c>doctor</c>: what was checked, what was found, and on failure the concrete fix.</summary>
public sealed record DoctorCheck(string Name, CheckStatus Status, string Detail, string? Fix = null)
{
    public static DoctorCheck Ok(string name, string detail) => new(name, CheckStatus.Ok, detail);

    public static DoctorCheck Warn(string name, string detail, string fix) => new(name, CheckStatus.Warn, detail, fix);

    public static DoctorCheck Fail(string name, string detail, string fix) => new(name, CheckStatus.Fail, detail, fix);

    public static DoctorCheck Skip(string name, string detail) => new(name, CheckStatus.Skip, detail);
}

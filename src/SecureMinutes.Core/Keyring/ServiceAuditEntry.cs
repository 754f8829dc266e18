namespace SecureMinutes.Keyring;

/// <summary>
/// An audit line that outlives its list (<see cref="Storage.ServiceAuditStore"/>): today, that a list was deleted. It names
/// the list (its name, and in <paramref name="Detail"/> its key's fingerprint), who acted and when; never a member or minutes.
/// </summary>
/// <param name="At">When it happened.</param>
/// <param name="Actor">Who acted: <c>--by NAME</c> or the user name at the CLI.</param>
/// <param name="Action">One of <see cref="AuditActions"/>.</param>
/// <param name="ListName">The list it was about (sealed at rest).</param>
/// <param name="Detail">What else an admin needs to read the line (sealed at rest).</param>
public sealed record ServiceAuditEntry(DateTimeOffset At, string Actor, string Action, string ListName, string? Detail = null);

using SecureMinutes.Lists;

namespace SecureMinutes.Keyring;

/// <summary>A refresh of a list's keyring: the route the requests took and one line per member.</summary>
public sealed record RefreshReport(MailingList List, string Route, IReadOnlyList<MemberRefresh> Members);

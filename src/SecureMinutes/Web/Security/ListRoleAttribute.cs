using SecureMinutes.Accounts;

namespace SecureMinutes.Web.Security;

/// <summary>
/// The role a page about a list needs (<see cref="ListAccessFilter"/>). Pages without it need only a role on the
/// list (note-taker or admin); pages managing members, keys and settings declare <see cref="ListRole.Admin"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class ListRoleAttribute(ListRole required) : Attribute
{
    public ListRole Required { get; } = required;
}

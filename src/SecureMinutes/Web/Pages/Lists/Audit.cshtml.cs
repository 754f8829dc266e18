using SecureMinutes.Accounts;
using SecureMinutes.Keyring;
using SecureMinutes.Storage;
using SecureMinutes.Web.Security;

namespace SecureMinutes.Web.Pages.Lists;

/// <summary>Every key change on the list (who, when, which member, which fingerprints), newest first: the same log as <c>audit</c>.</summary>
[ListRole(ListRole.Admin)]
public sealed class AuditModel(AuditStore audit) : ListPage
{
    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Entries = (await audit.ListAsync(Grant.List.Id, null, cancellationToken)).Reverse().ToList();
}

using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using QRCoder;
using SecureMinutes.Accounts;
using SecureMinutes.Joining;
using SecureMinutes.SelfService;
using SecureMinutes.Web.Resources;
using SecureMinutes.Web.Security;

namespace SecureMinutes.Web.Pages.Lists;

/// <summary>
/// A list admin's invites: make one (as <c>invite create</c>), show each link with its QR code (a PNG we draw with QRCoder
/// and serve ourselves: no third-party origin), revoke; and the proven requests waiting for approval, with their
/// fingerprints, to approve or refuse.
/// </summary>
[ListRole(ListRole.Admin)]
public sealed class InvitesModel(JoinInvites invites, JoinRequests joining, KeyUpdates keyUpdates, TimeProvider time, IStringLocalizer<Text> text) : ListPage
{
    [BindProperty] public string Expires { get; set; } = "2d";

    [BindProperty] public int Uses { get; set; } = JoinInvites.DefaultUses;

    [BindProperty] public bool Approve { get; set; }

    [BindProperty] public long Id { get; set; }

    public IReadOnlyList<(JoinInvite Invite, Uri Link)> Invites { get; private set; } = [];

    public IReadOnlyList<JoinRequest> Waiting { get; private set; } = [];

    /// <summary>Members' key changes waiting for an admin (new key proven, old key unusable: issue 11).</summary>
    public IReadOnlyList<(KeyUpdate Update, SecureMinutes.Lists.Member Member)> KeyChanges { get; private set; } = [];

    public DateTimeOffset Now => time.GetUtcNow();

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    /// <summary>The QR code of invite <paramref name="id"/>'s link, as a PNG.</summary>
    public async Task<IActionResult> OnGetQrAsync(long id, CancellationToken cancellationToken)
    {
        Uri link;
        try
        {
            link = await invites.LinkAsync(Grant.List.Id, id, cancellationToken);
        }
        catch (UserFacingException)
        {
            return NotFound();
        }

        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(link.ToString(), QRCodeGenerator.ECCLevel.M);
        return File(new PngByteQRCode(data).GetGraphic(8), "image/png");
    }

    public Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken) => ActAsync(async () =>
    {
        var created = await invites.CreateAsync(Grant.List.Name, InviteLifetime.Parse(Expires), Uses, Approve, Actor, cancellationToken);
        Message = text["InviteCreated", created.Invite.Id];
    }, () => LoadAsync(cancellationToken));

    public Task<IActionResult> OnPostRevokeAsync(CancellationToken cancellationToken) => ActAsync(async () =>
    {
        await invites.RevokeAsync(Grant.List.Name, Id, Actor, cancellationToken);
        Message = text["InviteRevoked", Id];
    }, () => LoadAsync(cancellationToken));

    public Task<IActionResult> OnPostApproveAsync(CancellationToken cancellationToken) => ActAsync(async () =>
    {
        var outcome = await joining.ApproveAsync(Grant.List.Id, Id, Actor, cancellationToken);
        Message = outcome switch
        {
            JoinOutcome.Joined joined => text["JoinApproved", joined.Member.Email],
            JoinOutcome.AlreadyMember => text["JoinApprovedAlreadyMember"],
            JoinOutcome.KeyRefused refused => text["KeyRefused"] + " " + refused.Reason,
            _ => text["JoinLinkInvalid"],
        };
    }, () => LoadAsync(cancellationToken));

    public Task<IActionResult> OnPostRefuseAsync(CancellationToken cancellationToken) => ActAsync(async () =>
    {
        await joining.RefuseAsync(Grant.List.Id, Id, Actor, cancellationToken);
        Message = text["JoinRefusedDone"];
    }, () => LoadAsync(cancellationToken));

    public Task<IActionResult> OnPostApproveKeyAsync(CancellationToken cancellationToken) => ActAsync(async () =>
    {
        var outcome = await keyUpdates.ApproveAsync(Grant.List.Id, Id, Actor, cancellationToken);
        Message = outcome is KeyUpdateOutcome.Refused refused ? text["KeyRefused"] + " " + refused.Reason : text["KeyChangeApproved"];
    }, () => LoadAsync(cancellationToken));

    public Task<IActionResult> OnPostRefuseKeyAsync(CancellationToken cancellationToken) => ActAsync(async () =>
    {
        await keyUpdates.RefuseAsync(Grant.List.Id, Id, Actor, cancellationToken);
        Message = text["JoinRefusedDone"];
    }, () => LoadAsync(cancellationToken));

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var (_, found) = await invites.ListAsync(Grant.List.Name, cancellationToken);
        var withLinks = new List<(JoinInvite, Uri)>(found.Count);
        foreach (var invite in found)
        {
            withLinks.Add((invite, await invites.LinkAsync(Grant.List.Id, invite.Id, cancellationToken)));
        }

        Invites = withLinks;
        Waiting = await joining.AwaitingApprovalAsync(Grant.List.Id, cancellationToken);
        KeyChanges = await keyUpdates.AwaitingAdminAsync(Grant.List.Id, cancellationToken);
    }
}

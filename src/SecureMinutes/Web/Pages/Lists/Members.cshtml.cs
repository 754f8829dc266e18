using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using SecureMinutes.Accounts;
using SecureMinutes.Keyring;
using SecureMinutes.Keys;
using SecureMinutes.Lists;
using SecureMinutes.Storage;
using SecureMinutes.Web.Resources;
using SecureMinutes.Web.Security;

namespace SecureMinutes.Web.Pages.Lists;

/// <summary>
/// A list admin's keyring page: the key health of every member; adding one by pasting or uploading their key (or a
/// Thunderbird "attach my public key" mail), shown in full (fingerprint in fours, user ids, expiry, which subkeys
/// mail is encrypted to and why not the others) before anything is stored; verifying a fingerprint read out by the
/// member; removing; a bulk import. The same Core checks as <c>member add</c>, <c>member verify</c>, <c>member import</c>.
/// </summary>
[ListRole(ListRole.Admin)]
public sealed class MembersModel(Membership membership, ListService lists, MemberVerification verification, BulkImport bulkImport,
    KeyringOptions keyring, TimeProvider time, IStringLocalizer<Text> text) : ListPage
{
    [BindProperty] public string? Email { get; set; }

    [BindProperty] public string? KeyText { get; set; }

    [BindProperty] public IFormFile? KeyFile { get; set; }

    /// <summary>The inspected key, carried (base64) from the check to the confirmation: public key material only.</summary>
    [BindProperty] public string? KeyData { get; set; }

    [BindProperty] public string? KeyName { get; set; }

    [BindProperty] public string? ExpectedFingerprint { get; set; }

    [BindProperty] public bool Replace { get; set; }

    [BindProperty] public bool DryRun { get; set; }

    public KeyringHealth? Health { get; private set; }

    public IReadOnlyList<KeyInspection>? Inspections { get; private set; }

    public string? Refusal { get; private set; }

    public BulkImportResult? Imported { get; private set; }

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public Task<IActionResult> OnPostInspectAsync(CancellationToken cancellationToken) => ActAsync(async () =>
    {
        var (data, name) = await KeyBytesAsync(cancellationToken);
        var email = EmailAddress.Parse(Email, text["MemberAddress"]);
        Inspections = KeyFileReader.Read(data, name).Select(found => KeyInspection.Of(found, time.GetUtcNow())).ToList();
        (KeyData, KeyName) = (Convert.ToBase64String(data), name);
        try
        {
            await membership.PreviewAsync(Grant.List.Name, email, data, name, new MemberOptions(Actor: Actor), cancellationToken);
        }
        catch (UserFacingException ex)
        {
            Refusal = ex.Message;
        }
    }, () => LoadAsync(cancellationToken));

    public Task<IActionResult> OnPostAddAsync(CancellationToken cancellationToken) => ActAsync(async () =>
    {
        var data = Convert.FromBase64String(KeyData ?? "");
        var expected = string.IsNullOrWhiteSpace(ExpectedFingerprint) ? (Fingerprint?)null : new Fingerprint(ExpectedFingerprint);
        var imported = await membership.AddAsync(Grant.List.Name, Email ?? "", data, KeyName ?? "key", new MemberOptions(Replace: Replace, ExpectedFingerprint: expected, Actor: Actor),
            cancellationToken);
        Message = text["MemberStored", imported.Member.Email, imported.Outcome.ToString()];
        Email = null;
    }, () => LoadAsync(cancellationToken));

    public Task<IActionResult> OnPostVerifyAsync(CancellationToken cancellationToken) => ActAsync(async () =>
    {
        var (member, changed) = await verification.VerifyAsync(Grant.List.Name, Email ?? "", ExpectedFingerprint ?? "", Actor, cancellationToken);
        Message = changed ? text["MemberVerified", member.Email] : text["AlreadyVerified", member.Email];
        Email = null;
    }, () => LoadAsync(cancellationToken));

    public Task<IActionResult> OnPostRemoveAsync(CancellationToken cancellationToken) => ActAsync(async () =>
    {
        await membership.RemoveAsync(Grant.List.Name, Email ?? "", Actor, cancellationToken);
        Message = text["MemberRemoved", Email ?? ""];
        Email = null;
    }, () => LoadAsync(cancellationToken));

    public Task<IActionResult> OnPostImportAsync(CancellationToken cancellationToken) => ActAsync(async () =>
    {
        var (data, name) = await KeyBytesAsync(cancellationToken);
        Imported = await bulkImport.ImportKeyringAsync(Grant.List.Name, data, name, new BulkImportOptions(Actor, DryRun: DryRun), cancellationToken);
        Message = DryRun ? text["ImportPreview", Imported.Accepted, Imported.Refused] : text["ImportDone", Imported.Accepted, Imported.Refused];
    }, () => LoadAsync(cancellationToken));

    /// <summary>A pasted or uploaded key that is not even base64/armor is said as damaged key data.</summary>
    protected override string? DescribeRefusal(Exception exception) => exception is FormatException ? text["KeyDataDamaged"] : base.DescribeRefusal(exception);

    private Task<(byte[] Data, string Name)> KeyBytesAsync(CancellationToken cancellationToken) => KeyUpload.ReadAsync(KeyText, KeyFile, text, cancellationToken);

    private async Task LoadAsync(CancellationToken cancellationToken) =>
        Health = KeyringHealth.Check(Grant.List, await lists.KeyStateAsync(Grant.List, cancellationToken), await membership.ListAsync(Grant.List, cancellationToken), time.GetUtcNow(),
            keyring.ExpiryWarningDays.Count > 0 ? keyring.ExpiryWarningDays.Max() : 30);
}

using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using SecureMinutes.Accounts;
using SecureMinutes.Doctor;
using SecureMinutes.Jobs;
using SecureMinutes.Keyring;
using SecureMinutes.Lists;
using SecureMinutes.Mail;
using SecureMinutes.Storage;
using SecureMinutes.Web.Resources;
using SecureMinutes.Web.Security;

namespace SecureMinutes.Web.Pages.Lists;

/// <summary>
/// A list admin's settings: the provider (a preset, the login, the name of the environment variable holding the
/// password, Tor) with a test that runs <c>doctor</c> step by step; rate, daily cap, redistribution, digest and
/// verified keys; the list key to download, and its rotation after a confirmation saying what members will receive.
/// </summary>
[ListRole(ListRole.Admin)]
public sealed class SettingsModel(ProviderSetup providerSetup, ProviderStore providers, IntakeStore intakes, MemberStore members, ListDoctor doctor,
    ListSettings settings, ListKeyRotation rotation, ListStore lists, IStringLocalizer<Text> text) : ListPage
{
    [BindProperty] public string? Preset { get; set; }

    [BindProperty] public string? Login { get; set; }

    [BindProperty] public string? PasswordVariable { get; set; }

    [BindProperty] public string? Host { get; set; }

    [BindProperty] public int? Port { get; set; }

    [BindProperty] public string? Security { get; set; }

    [BindProperty] public bool Tor { get; set; }

    [BindProperty] public int? Rate { get; set; }

    [BindProperty] public int? DailyCap { get; set; }

    [BindProperty] public int RedistributeLast { get; set; }

    [BindProperty] public string? Digest { get; set; }

    [BindProperty] public bool RequireVerified { get; set; }

    [BindProperty] public string? Language { get; set; }

    public ProviderSettings? Provider { get; private set; }

    public string? Intake { get; private set; }

    public int MemberCount { get; private set; }

    public IReadOnlyList<DoctorCheck>? Checks { get; private set; }

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    /// <summary>The list's public key, armored, to give to members.</summary>
    public IActionResult OnGetKey() => File(System.Text.Encoding.ASCII.GetBytes(ListService.ArmoredPublicKey(Grant.List)), "application/pgp-keys", $"{Grant.List.Name}.asc");

    public Task<IActionResult> OnPostProviderAsync(CancellationToken cancellationToken) => ActAsync(async () =>
    {
        var result = await providerSetup.SetSmtpAsync(Grant.List.Name, new SmtpProviderRequest(Blank(Preset), Blank(Host), Port, Blank(Security), Blank(Login),
            Blank(PasswordVariable), Tor: Tor), cancellationToken);
        Message = text["ProviderSaved", result.Settings.Describe()];
    }, () => LoadAsync(cancellationToken));

    public Task<IActionResult> OnPostDoctorAsync(CancellationToken cancellationToken) => ActAsync(async () =>
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        var checks = new List<DoctorCheck>();
        await foreach (var check in doctor.RunAsync(Grant.List.Name, null, timeout.Token))
        {
            checks.Add(check);
        }

        Checks = checks;
    }, () => LoadAsync(cancellationToken));

    public Task<IActionResult> OnPostSendingAsync(CancellationToken cancellationToken) => ActAsync(async () =>
    {
        var digest = Digest is null or "off" ? null : RecurringJobsSync.ParseDigestSchedule(Digest);
        await settings.UpdateAsync(Grant.List.Name, new ListSendingSettings(Rate, DailyCap, RedistributeLast, digest, RequireVerified)
        {
            Language = string.IsNullOrWhiteSpace(Language) ? null : ListLanguages.Parse(Language),
        }, Actor, cancellationToken);
        Message = text["SettingsSaved"];
    }, () => LoadAsync(cancellationToken));

    public Task<IActionResult> OnPostRotateAsync(CancellationToken cancellationToken) => ActAsync(async () =>
    {
        var rotated = await rotation.RotateAsync(Grant.List.Name, Actor, cancellationToken);
        Message = text["Rotated", rotated.List.KeyFingerprint.Grouped, rotated.Announcement.Deliveries.Count];
    }, () => LoadAsync(cancellationToken));

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        // The grant was read before a change on this request: show the list as it is now.
        ListAccessFilter.Refresh(HttpContext, Grant with { List = await lists.GetAsync(Grant.List.Id, cancellationToken) });
        Provider = await providers.FindAsync(Grant.List.Id, cancellationToken);
        Intake = (await intakes.FindAsync(Grant.List.Id, cancellationToken))?.Describe();
        // Counted from the sealed settings alone, not by opening every member with their certificate (issue 12).
        MemberCount = (await members.CountAsync(Grant.List.Id, cancellationToken)).Members;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

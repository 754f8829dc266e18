using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SecureMinutes.Backups;
using SecureMinutes.Accounts;
using SecureMinutes.Distribution;
using SecureMinutes.Doctor;
using SecureMinutes.Health;
using SecureMinutes.Joining;
using SecureMinutes.Jobs;
using SecureMinutes.Keyring;
using SecureMinutes.Keys;
using SecureMinutes.Lists;
using SecureMinutes.Mail;
using SecureMinutes.MailIn;
using SecureMinutes.Minutes;
using SecureMinutes.Minutes.Pads;
using SecureMinutes.Minutes.Preparation;
using SecureMinutes.Net;
using SecureMinutes.Notices;
using SecureMinutes.Retention;
using SecureMinutes.Secrets;
using SecureMinutes.SelfService;
using SecureMinutes.Storage;

namespace SecureMinutes;

public static class ServiceCollectionExtensions
{
    /// <summary>
    /// The one composition method: every host (the CLI, <c>serve</c>, <c>worker</c>, the web app, tests) calls it,
    /// and adds only what is its own (a console, a Hangfire server, HTTP). The database is chosen once
    /// (<see cref="SecureMinutesOptions.Database"/>); Hangfire's storage, filters and activator belong to this
    /// service provider, never to Hangfire's process-wide defaults, so two hosts in one process stay apart.
    /// A <see cref="TimeProvider"/> registered before this call replaces the system clock (tests).
    /// </summary>
    public static IServiceCollection AddSecureMinutes(this IServiceCollection services, SecureMinutesOptions options)
    {
        options.EnsureDataDirectory();
        services.AddSingleton(options);
        services.AddSingleton(options.Delivery);
        services.AddSingleton(options.Intake);
        services.AddSingleton(options.Keyring);
        services.AddSingleton(options.Jobs);
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();

        AddStorage(services, options);
        AddJobs(services, options);
        AddDomain(services);
        AddAccounts(services);
        return services;
    }

    private static void AddStorage(IServiceCollection services, SecureMinutesOptions options)
    {
        services.AddSingleton(_ => new Vault(options.DataDirectory));
        services.AddSingleton<DirectorySealing>();
        services.AddSingleton(provider => options.Database.OpenDatabase().UseSealing(provider.GetRequiredService<DirectorySealing>()));
        services.AddSingleton<ListStore>();
        services.AddSingleton<MemberStore>();
        services.AddSingleton<ProviderStore>();
        services.AddSingleton<SubmissionStore>();
        services.AddSingleton<DeliveryStore>();
        services.AddSingleton<BatchLeaseStore>();
        services.AddSingleton<PacingStore>();
        services.AddSingleton<PadCaptureStore>();
        services.AddSingleton<IntakeStore>();
        services.AddSingleton<IntakeMessageStore>();
        services.AddSingleton<AuditStore>();
        services.AddSingleton<ServiceAuditStore>();
        services.AddSingleton<KeyNoticeStore>();
        services.AddSingleton<KeylessNoticeStore>();
        services.AddSingleton<AccountRoleStore>();
        services.AddSingleton<InvitationStore>();
        services.AddSingleton<MinutesDraftStore>();
        services.AddSingleton<RetentionStore>();
    }

    /// <summary>
    /// Web app accounts: ASP.NET Core Identity's user manager (password hashing, lockout, TOTP, passkey storage)
    /// over our own store. The CLI's <c>user</c> commands and the web app share it; the web adds sign-in and cookies.
    /// </summary>
    private static void AddAccounts(IServiceCollection services)
    {
        services.AddScoped<AccountStore>();
        services.AddScoped<IUserStore<Account>>(provider => provider.GetRequiredService<AccountStore>());
        services.AddIdentityCore<Account>(identity =>
            {
                // The address is the user name; the database keeps it unique, whatever characters it holds.
                identity.User.AllowedUserNameCharacters = "";
                // Length over composition rules (NIST SP 800-63B); PasswordStrength refuses the guessable ones.
                identity.Password.RequiredLength = 12;
                identity.Password.RequireDigit = false;
                identity.Password.RequireLowercase = false;
                identity.Password.RequireUppercase = false;
                identity.Password.RequireNonAlphanumeric = false;
                identity.Password.RequiredUniqueChars = 1;
                identity.Lockout.MaxFailedAccessAttempts = 5;
                identity.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                identity.Lockout.AllowedForNewUsers = true;
            })
            .AddPasswordValidator<PasswordStrength>()
            .AddTokenProvider<AuthenticatorTokenProvider<Account>>(TokenOptions.DefaultAuthenticatorProvider);
        services.AddSingleton<PublicLinks>();
        services.AddSingleton<ListAccess>();
        services.AddScoped<AccountAdministration>();
    }

    /// <summary>Hangfire's client side (enqueue, schedule, recurring) on this provider's storage; servers come from <see cref="JobServerFactory"/>.</summary>
    private static void AddJobs(IServiceCollection services, SecureMinutesOptions options)
    {
        // Hangfire is configured when its storage is first needed (every client and server goes through it), not by
        // the commands that never touch a job: loading it cost each CLI command tens of milliseconds (issue 12).
        services.AddSingleton(_ =>
        {
            JobSerialization.EnsureConfigured();
            return options.Database.OpenJobStorage(options.Jobs);
        });
        services.AddSingleton(_ => JobFilters.Create(options.Delivery));
        services.AddSingleton<JobActivator>(provider => new AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>()));
        services.AddSingleton<IBackgroundJobClient>(provider => new DeferredJobClient(() =>
            new BackgroundJobClient(provider.GetRequiredService<JobStorage>(), provider.GetRequiredService<IJobFilterProvider>())));
        services.AddSingleton<IRecurringJobManager>(provider =>
            new RecurringJobManager(provider.GetRequiredService<JobStorage>(), provider.GetRequiredService<IJobFilterProvider>(), new DefaultTimeZoneResolver()));
        services.AddSingleton<JobServerFactory>();
        services.AddSingleton<DeadWorkerRecovery>();
        services.AddSingleton<RecurringJobsSync>();

        services.AddTransient<DistributeJob>();
        services.AddTransient<DeliverBatchJob>();
        services.AddTransient<RedistributionJob>();
        services.AddTransient<DigestJob>();
        services.AddTransient<SweepJob>();
        services.AddTransient<PadCaptureJob>();
        services.AddTransient<MailInJob>();
        services.AddTransient<ResumeListJob>();
        services.AddTransient<KeyRefreshJob>();
        services.AddTransient<KeyLifecycleJob>();
        services.AddTransient<SelfServiceSweepJob>();
        services.AddTransient<KeylessNoticeJob>();
        services.AddTransient<RetentionJob>();
    }

    private static void AddDomain(IServiceCollection services)
    {
        // Lists, members and their keys.
        services.AddSingleton<ListService>();
        services.AddSingleton<ListPause>();
        services.AddSingleton<ListSettings>();
        services.AddSingleton<Membership>();
        services.AddSingleton<MemberVerification>();
        services.AddSingleton<BulkImport>();
        services.AddSingleton<KeyRefresh>();
        services.AddSingleton<DailyKeyRefresh>();
        services.AddSingleton<KeyLifecycle>();
        services.AddSingleton<ListKeyRotation>();

        // Submissions and their delivery.
        services.AddSingleton<DistributionService>();
        services.AddSingleton<SubmissionDuplicates>();
        services.AddSingleton<SubmissionSealing>();
        services.AddSingleton<FanOut>();
        services.AddSingleton<BatchDelivery>();
        services.AddSingleton<DeliveryRunner>();
        services.AddSingleton<SendPacer>();
        services.AddSingleton<SubmissionCompletion>();
        services.AddSingleton<DeliveryControl>();
        services.AddSingleton<MinutesDrafts>();
        services.AddSingleton<Redistribution>();
        services.AddSingleton<Digests>();
        services.AddSingleton<Sweep>();
        services.AddSingleton<AdminNotices>();
        services.AddSingleton<MinutesMessageFactory>();
        // Members' keys ready to encrypt to, kept across submissions by a long-running worker (issue 12). Bounded well
        // below a large list: a submission uses each key once, so holding a 10,000-member list's keys (~1.4 KB each with
        // OpenSSL's, measured) made `submit --wait` peak 12 MB higher at 10,000 members than with 1,000 held, for no
        // saving in that process; a worker sending to a list larger than this pays the first-send cost again
        // (benchmark section 1, "cold": ~0.2 ms per member), a collective's list of a few hundred stays ready.
        services.AddSingleton(new RecipientKeyCache(capacity: 2_000));
        services.AddSingleton<PreparedMinutesCache>();

        // Joining by invite (issue 11).
        services.AddSingleton<JoinInviteStore>();
        services.AddSingleton<JoinRequestStore>();
        services.TryAddSingleton(JoinLimits.Default);
        services.AddSingleton<JoinInvites>();
        services.AddSingleton<JoinRequests>();
        services.AddSingleton<JoinKeyFinder>();

        // Keeping the key current (issue 11, second part): personal links, key updates, leaving.
        services.AddSingleton<MemberLinkStore>();
        services.AddSingleton<MemberLinks>();
        services.AddSingleton<KeyUpdateStore>();
        services.AddSingleton<KeyUpdates>();
        services.AddSingleton<AddressErasure>();
        services.AddSingleton<Leaving>();
        services.AddSingleton<SelfServiceSweep>();
        services.AddSingleton<KeylessNotices>();
        services.AddSingleton<KeylessNoticeSender>();

        // Where mail goes and comes from.
        services.AddSingleton<IMailTransportFactory, MailTransportFactory>();
        services.AddSingleton<ProviderSetup>();
        services.AddSingleton<ListDoctor>();
        services.AddSingleton<ListNetwork>();
        services.AddSingleton<IntakeSetup>();
        services.AddSingleton<MailInReader>();
        services.AddSingleton<KeyUpdateByMail>();
        services.AddSingleton<MailInProcessor>();
        services.AddSingleton<ScheduledFetch>();

        // Keeping an installation running.
        services.AddSingleton<InstallationHealth>();
        services.AddSingleton<InstallationMetrics>();
        services.AddSingleton<BackupWriter>();
        services.AddSingleton<BackupRestorer>();
        services.AddSingleton<Shredding>();
        services.AddSingleton<JobHistoryPurge>();
        services.AddSingleton<ListDeletion>();

        // Where minutes come from.
        services.AddSingleton<IPadSource, EtherpadSource>();
        services.AddSingleton<IPadSource, HedgeDocSource>();
        services.AddSingleton<PadReader>();
        services.AddSingleton<PadCaptures>();
        services.AddSingleton<EtherpadPads>();
        services.AddSingleton<AgPreparation>();
    }
}

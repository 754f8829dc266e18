using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SecureMinutes.Distribution;
using SecureMinutes.Lists;
using SecureMinutes.Doctor;
using SecureMinutes.Mail;
using SecureMinutes.MailIn;
using SecureMinutes.Minutes;
using SecureMinutes.Minutes.Pads;
using SecureMinutes.Minutes.Preparation;
using SecureMinutes.Net;
using SecureMinutes.Secrets;
using SecureMinutes.Storage;

namespace SecureMinutes;

public static class ServiceCollectionExtensions
{
    /// <summary>The one composition method every host (CLI, server, worker, tests) uses for the domain.</summary>
    public static IServiceCollection AddSecureMinutes(this IServiceCollection services, SecureMinutesOptions options)
    {
        options.EnsureDataDirectory();
        services.AddSingleton(options);
        services.AddSingleton(options.Delivery);
        services.AddSingleton(options.Intake);
        services.AddSingleton(options.Keyring);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => new Vault(options.DataDirectory));
        services.AddSingleton(_ => options.DatabaseUrl is null ? Database.Sqlite(options.DatabasePath) : Database.Postgres(options.DatabaseUrl));

        services.AddSingleton<ListStore>();
        services.AddSingleton<MemberStore>();
        services.AddSingleton<ProviderStore>();
        services.AddSingleton<SubmissionStore>();
        services.AddSingleton<DeliveryStore>();
        services.AddSingleton<PacingStore>();
        services.AddSingleton<PadCaptureStore>();
        services.AddSingleton<IntakeStore>();
        services.AddSingleton<IntakeMessageStore>();
        services.AddSingleton<AuditStore>();
        services.AddSingleton<KeyNoticeStore>();

        services.AddSingleton<ListService>();
        services.AddSingleton<Membership>();
        services.AddSingleton<MemberVerification>();
        services.AddSingleton<ProviderSetup>();
        services.AddSingleton<DistributionService>();
        services.AddSingleton<MinutesMessageFactory>();
        services.AddSingleton<SendPacer>();
        services.AddSingleton<DeliveryRunner>();

        services.AddSingleton<IPadSource, EtherpadSource>();
        services.AddSingleton<IPadSource, HedgeDocSource>();
        services.AddSingleton<PadReader>();
        services.AddSingleton<EtherpadPads>();
        services.AddSingleton<AgPreparation>();
        services.AddSingleton<IntakeSetup>();
        services.AddSingleton<MailInReader>();
        services.AddSingleton<ListNetwork>();
        services.AddSingleton<ListDoctor>();
        return services;
    }
}

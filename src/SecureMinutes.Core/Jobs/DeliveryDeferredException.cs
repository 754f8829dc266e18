namespace SecureMinutes.Jobs;

/// <summary>Some copies of a batch were deferred by the provider: Hangfire retries the batch later.</summary>
public sealed class DeliveryDeferredException(string message) : Exception(message);

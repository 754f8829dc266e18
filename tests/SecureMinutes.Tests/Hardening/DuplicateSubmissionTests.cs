using System.Security.Cryptography;
using System.Text;
using Dapper;
using SecureMinutes.Distribution;
using SecureMinutes.Minutes;
using SecureMinutes.Storage;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Hardening;

/// <summary>Kind 9: the same minutes to the same list twice in a row need --again; a web form's token is honoured once.</summary>
[Trait("Suite", "Hardening")]
public sealed class DuplicateSubmissionTests : IAsyncLifetime
{
    private static readonly MinutesDocument Minutes = new("Compte-rendu", "Décisions de l'AG du 12.");
    private DeliveryScenario _scenario = null!;

    private DistributionService Distribution => _scenario.Get<DistributionService>();

    public async Task InitializeAsync() => _scenario = await DeliveryScenario.CreateAsync();

    public async Task DisposeAsync() => await _scenario.DisposeAsync();

    [Fact]
    public async Task ASecondIdenticalSubmit_IsRefused_NamingTheFirst_AndStoresNothing()
    {
        var first = await Distribution.SubmitAsync("ag", Minutes, new SubmitOptions());

        var error = await Assert.ThrowsAsync<DuplicateSubmissionException>(() => Distribution.SubmitAsync("ag", Minutes, new SubmitOptions()));

        Assert.Equal(first.Submission.Id, error.Existing.Id);
        Assert.Contains("--again", error.Message, StringComparison.Ordinal);
        Assert.Single(await _scenario.Get<SubmissionStore>().LatestAsync(_scenario.List.Id, SubmissionKind.Minutes, 10));
    }

    [Fact]
    public async Task Again_SendsTheSameMinutesASecondTime()
    {
        await Distribution.SubmitAsync("ag", Minutes, new SubmitOptions());

        await Distribution.SubmitAsync("ag", Minutes, new SubmitOptions { Again = true });

        Assert.Equal(2, (await _scenario.Get<SubmissionStore>().LatestAsync(_scenario.List.Id, SubmissionKind.Minutes, 10)).Count);
    }

    [Fact]
    public async Task OtherMinutes_OrTheSameAfterTheWindow_GoThrough()
    {
        await Distribution.SubmitAsync("ag", Minutes, new SubmitOptions());
        await Distribution.SubmitAsync("ag", Minutes with { Text = Minutes.Text + " Corrigé." }, new SubmitOptions());
        _scenario.Clock.Advance(TimeSpan.FromHours(13));

        await Distribution.SubmitAsync("ag", Minutes, new SubmitOptions());

        Assert.Equal(3, (await _scenario.Get<SubmissionStore>().LatestAsync(_scenario.List.Id, SubmissionKind.Minutes, 10)).Count);
    }

    [Fact]
    public async Task TheSameIdempotencyToken_ReturnsTheFirstSubmission_WhateverTheContent()
    {
        var first = await Distribution.SubmitAsync("ag", Minutes, new SubmitOptions { IdempotencyToken = "form-7f3a" });

        var again = await Distribution.SubmitAsync("ag", Minutes with { Subject = "Autre" }, new SubmitOptions { IdempotencyToken = "form-7f3a", Again = true });

        Assert.Equal(first.Submission.Id, again.Submission.Id);
    }

    [Fact]
    public async Task TheDatabase_HoldsNoPlainHashOfTheMinutes()
    {
        var first = await Distribution.SubmitAsync("ag", Minutes, new SubmitOptions());
        var plain = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Minutes.Text)));

        await using var connection = await _scenario.Get<Database>().OpenAsync();
        var stored = await connection.ExecuteScalarAsync<string>("SELECT content_mac FROM submissions WHERE id = @id", new { id = first.Submission.Id });

        Assert.NotNull(stored);
        Assert.NotEqual(plain, stored);
        Assert.DoesNotContain(plain, stored, StringComparison.Ordinal);
    }
}

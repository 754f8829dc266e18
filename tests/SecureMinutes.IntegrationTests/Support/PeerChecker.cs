namespace SecureMinutes.IntegrationTests.Support;

/// <summary>
/// The independent judge (<c>../shared/tools/pgp/pgp-mime-check.py</c>): gpg, rnp (Thunderbird's engine)
/// and sqop (Sequoia) each decrypt and verify the mail, and it must be encrypted to that member only.
/// </summary>
public static class PeerChecker
{
    public static async Task<ProcessResult> CheckAsync(string emlPath, string memberSecretKey, string memberPublicKey, string listPublicKey,
        string expectText, string expectSubject)
    {
        return await ProcessRunner.RunAsync("/usr/bin/python3",
        [
            Path.Combine(RepoPaths.Tools, "pgp", "pgp-mime-check.py"), emlPath,
            "--secret", memberSecretKey, "--signer", listPublicKey, "--expect-text", expectText,
            "--expect-subject", expectSubject, "--only-for", memberPublicKey,
        ], timeout: TimeSpan.FromMinutes(2));
    }

    public static async Task AssertPassesAsync(string emlPath, string memberSecretKey, string memberPublicKey, string listPublicKey,
        string expectText, string expectSubject)
    {
        var result = await CheckAsync(emlPath, memberSecretKey, memberPublicKey, listPublicKey, expectText, expectSubject);
        Assert.True(result.ExitCode == 0, $"peer checker failed for {Path.GetFileName(emlPath)}:\n{result.Stdout}\n{result.Stderr}");
        Assert.Contains("RESULT: PASS", result.Stdout, StringComparison.Ordinal);
    }
}

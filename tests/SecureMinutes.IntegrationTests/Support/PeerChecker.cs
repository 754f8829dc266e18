namespace SecureMinutes.IntegrationTests.Support;

/// <summary>
/// The independent judges of every mail we send: <c>../shared/tools/pgp/pgp-mime-check.py</c> (gpg, rnp, which is
/// Thunderbird's engine, and sqop, Sequoia: each decrypts and verifies, and the mail must be encrypted to that
/// member only), then OpenPGP.js (<see cref="OpenPgpJs"/>: Mailvelope, Proton, FlowCrypt) on the same mail.
/// </summary>
public static class PeerChecker
{
    /// <summary>Both verdicts in one result: exit 0 only when both pass; OpenPGP.js runs only on a mail the first passed.</summary>
    public static async Task<ProcessResult> CheckAsync(string emlPath, string memberSecretKey, string memberPublicKey, string listPublicKey,
        string expectText, string expectSubject)
    {
        var peers = await ProcessRunner.RunAsync("/usr/bin/python3",
        [
            Path.Combine(RepoPaths.Tools, "pgp", "pgp-mime-check.py"), emlPath,
            "--secret", memberSecretKey, "--signer", listPublicKey, "--expect-text", expectText,
            "--expect-subject", expectSubject, "--only-for", memberPublicKey,
        ], timeout: TimeSpan.FromMinutes(2));
        if (peers.ExitCode != 0)
        {
            return peers;
        }

        var openPgpJs = await OpenPgpJs.CheckAsync(emlPath, memberSecretKey, listPublicKey, expectText, expectSubject);
        return new ProcessResult(openPgpJs.ExitCode, $"{peers.Stdout}\nopenpgp.js {OpenPgpJs.Version}: {openPgpJs.Stdout}", peers.Stderr + openPgpJs.Stderr);
    }

    public static async Task AssertPassesAsync(string emlPath, string memberSecretKey, string memberPublicKey, string listPublicKey,
        string expectText, string expectSubject)
    {
        var result = await CheckAsync(emlPath, memberSecretKey, memberPublicKey, listPublicKey, expectText, expectSubject);
        Assert.True(result.ExitCode == 0, $"peer checker failed for {Path.GetFileName(emlPath)}:\n{result.Stdout}\n{result.Stderr}");
        Assert.Contains("RESULT: PASS", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("openpgp.js " + OpenPgpJs.Version + ": VERDICT PASS", result.Stdout, StringComparison.Ordinal);
    }
}

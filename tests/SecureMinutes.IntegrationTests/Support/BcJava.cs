namespace SecureMinutes.IntegrationTests.Support;

/// <summary>
/// BouncyCastle for Java, OpenKeychain's engine (what K-9 Mail and Thunderbird for Android decrypt with), with
/// OpenKeychain's algorithm rules: <c>../shared/tools/pgp/bcjava/bc-check.sh</c>, ~0.6 s a mail.
/// </summary>
public static class BcJava
{
    public static Task<ProcessResult> CheckAsync(string emlPath, string memberSecretKey, string signer, string expectText, string expectSubject,
        IEnumerable<string> expectAttachments)
    {
        var arguments = new List<string>
        {
            Path.Combine(RepoPaths.Tools, "pgp", "bcjava", "bc-check.sh"), emlPath, "--secret", memberSecretKey, "--signer", signer,
            "--expect-text", expectText, "--expect-subject", expectSubject,
        };
        foreach (var attachment in expectAttachments)
        {
            arguments.AddRange(["--expect-attachment", attachment]);
        }

        return ProcessRunner.RunAsync("sh", arguments, timeout: TimeSpan.FromMinutes(2));
    }
}

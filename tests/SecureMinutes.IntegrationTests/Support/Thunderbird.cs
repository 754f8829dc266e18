namespace SecureMinutes.IntegrationTests.Support;

/// <summary>
/// A real Thunderbird (Debian's, under Xvfb) shows a mail as a member would and reports what it shows
/// (<c>../shared/tools/thunderbird/tb-open.sh</c>: decrypted, Subject shown, signature state, attachments by
/// sha256, warning bars). Each run takes 10-18 s and ~300 MB, and picks its own free display and port, so at
/// most two run at once on a 2-core machine. Screenshots stay in tests/artifacts/thunderbird/NAME/ (git-ignored).
/// </summary>
public static class Thunderbird
{
    private static readonly SemaphoreSlim TwoAtATime = new(2, 2);

    // tb-open.sh takes the first X display without a lock file, and Xvfb creates that file only once it runs:
    // two runs started together took the same display, and the first to finish killed the other's screen
    // (Xvfb: "Server is already active for display 90", then Thunderbird died). Starts are spaced out.
    private static readonly SemaphoreSlim StartGate = new(1, 1);
    private static readonly TimeSpan StartSpacing = TimeSpan.FromSeconds(5);

    public static string ArtifactsFor(string name) => Path.Combine(RepoPaths.Root, "tests", "artifacts", "thunderbird", name);

    /// <param name="signer">The list key the member holds, accepted as "verified" (what a member who checked the fingerprint has).</param>
    /// <param name="allowNotification">A bar the mail is meant to show, e.g. <c>hasConflictingKeyOpenPGP</c> for a new list key.</param>
    public static async Task<ProcessResult> OpenAsync(string name, string emlPath, string memberSecretKey, string signer, IEnumerable<string> expectTexts,
        IEnumerable<string> expectAttachments, string? allowNotification = null)
    {
        var output = ArtifactsFor(name);
        if (Directory.Exists(output))
        {
            Directory.Delete(output, recursive: true);
        }

        Directory.CreateDirectory(output);
        var arguments = new List<string>
        {
            Path.Combine(RepoPaths.Tools, "thunderbird", "tb-open.sh"), emlPath, "--secret", memberSecretKey, "--signer", signer,
            "--acceptance", "verified", "--out", output, "--timeout", "150",
        };
        foreach (var text in expectTexts)
        {
            arguments.AddRange(["--expect", text]);
        }

        foreach (var attachment in expectAttachments)
        {
            arguments.AddRange(["--expect-attachment", attachment]);
        }

        if (allowNotification is not null)
        {
            arguments.AddRange(["--allow-notification", allowNotification]);
        }

        await TwoAtATime.WaitAsync();
        try
        {
            // Exit 2 is the harness failing, not a verdict on the mail (another program's Thunderbird may still
            // race this one for a display): that alone is tried again, twice at most. A FAIL is final.
            ProcessResult result;
            var attempt = 0;
            do
            {
                result = await StartSpacedAsync(arguments);
            }
            while (result.ExitCode == 2 && ++attempt < 3);

            return result;
        }
        finally
        {
            TwoAtATime.Release();
        }
    }

    private static async Task<ProcessResult> StartSpacedAsync(List<string> arguments)
    {
        await StartGate.WaitAsync();
        Task<ProcessResult> run;
        try
        {
            run = ProcessRunner.RunAsync("bash", arguments, timeout: TimeSpan.FromMinutes(3));
            await Task.WhenAny(run, Task.Delay(StartSpacing));
        }
        finally
        {
            StartGate.Release();
        }

        return await run;
    }
}

using System.Diagnostics;

namespace SecureMinutes.Tests.Support;

/// <summary>GnuPG in a throw-away home directory, as a member's client would read what we produce.</summary>
internal sealed class GnuPG : IDisposable
{
    private readonly TempDirectory _home = new();

    public GnuPG()
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_home.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public string Home => _home.Path;

    /// <summary>Runs gpg in batch mode with <paramref name="stdin"/> as input; returns exit code, stdout and stderr.</summary>
    public (int ExitCode, string Output, string Error) Run(byte[] stdin, params string[] arguments)
    {
        var start = new ProcessStartInfo("gpg")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--homedir");
        start.ArgumentList.Add(Home);
        start.ArgumentList.Add("--batch");
        start.ArgumentList.Add("--no-tty");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["GNUPGHOME"] = Home;
        start.Environment["LC_ALL"] = "C.UTF-8";

        using var process = Process.Start(start) ?? throw new InvalidOperationException("gpg did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.StandardInput.BaseStream.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"gpg {string.Join(' ', arguments)} did not finish in 30 s");
        }

        return (process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
    }

    public void Dispose()
    {
        // Importing public keys starts no agent, but stop one if anything did (only this home's).
        try
        {
            using var kill = Process.Start(new ProcessStartInfo("gpgconf", ["--homedir", Home, "--kill", "all"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            kill?.WaitForExit(TimeSpan.FromSeconds(10));
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }

        _home.Dispose();
    }
}

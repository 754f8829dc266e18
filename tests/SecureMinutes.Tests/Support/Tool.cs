using System.Diagnostics;

namespace SecureMinutes.Tests.Support;

/// <summary>Runs another OpenPGP implementation (sq, sqop) as an independent producer or judge.</summary>
internal static class Tool
{
    public static (int ExitCode, byte[] Output, string Error) Run(string file, byte[]? stdin, params string[] arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        using var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        var error = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.BaseStream.Write(stdin);
        }

        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish in 60 s");
        }

        copy.GetAwaiter().GetResult();
        return (process.ExitCode, output.ToArray(), error.GetAwaiter().GetResult());
    }

    public static byte[] Succeed(string file, byte[]? stdin, params string[] arguments)
    {
        var (exitCode, output, error) = Run(file, stdin, arguments);
        return exitCode == 0 ? output : throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({exitCode}): {error}");
    }
}

using System.CommandLine;

namespace SecureMinutes.Cli;

/// <summary>Who is at the keyboard, for the key audit log: <c>--by NAME</c>, else the user name on this machine.</summary>
public static class Actor
{
    public static string Of(ParseResult parse)
    {
        var given = parse.GetValue(CliApp.By)?.Trim();
        if (string.IsNullOrEmpty(given))
        {
            return Environment.UserName;
        }

        return given.Length <= 100 && !given.Any(char.IsControl)
            ? given
            : throw new UserFacingException("--by must be a name of at most 100 characters, on one line");
    }
}

namespace SecureMinutes.Minutes.Pads;

/// <summary>
/// What to read: a pad, optionally through Etherpad's HTTP API with the key in the environment variable
/// <see cref="ApiKeyVariable"/> (only its name is ever stored), optionally at an older revision.
/// </summary>
public sealed record PadRequest(PadAddress Address, string? ApiKeyVariable = null, int? Revision = null)
{
    public static PadRequest Create(string url, string? apiKeyVariable, int? revision)
    {
        var address = PadAddress.Parse(url);
        if (apiKeyVariable is not null && !System.Text.RegularExpressions.Regex.IsMatch(apiKeyVariable, "^[A-Za-z_][A-Za-z0-9_]*$"))
        {
            throw new UserFacingException($"'{apiKeyVariable}' is not an environment variable name");
        }

        if (address.Kind == PadKind.HedgeDoc && (apiKeyVariable is not null || revision is not null))
        {
            throw new UserFacingException("--pad-api-key-env and --rev apply to Etherpad pads only; a HedgeDoc note is read from its /download address");
        }

        if (revision is < 0)
        {
            throw new UserFacingException($"--rev {revision} is not a revision number (0 is the pad's first)");
        }

        return new PadRequest(address, apiKeyVariable, revision);
    }
}

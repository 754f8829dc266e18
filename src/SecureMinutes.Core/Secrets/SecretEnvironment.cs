namespace SecureMinutes.Secrets;

/// <summary>
/// Where the secrets named by a variable come from (the vault passphrase, SMTP and IMAP passwords, pad API
/// keys): the environment variable of that name, else a systemd credential of that name
/// (<c>LoadCredential=NAME:…</c> puts it in the file <c>$CREDENTIALS_DIRECTORY/NAME</c>, readable by the service
/// alone and never inherited by child processes; see systemd.exec(5), "Credentials"). A trailing newline,
/// as an editor leaves it, is not part of the secret.
/// </summary>
public static class SecretEnvironment
{
    public const string CredentialsDirectoryVariable = "CREDENTIALS_DIRECTORY";

    /// <summary>The value of <paramref name="name"/>, or null when neither the variable nor the credential exists.</summary>
    public static string? Get(string name)
    {
        if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value)
        {
            return value;
        }

        if (Environment.GetEnvironmentVariable(CredentialsDirectoryVariable) is not { Length: > 0 } directory
            || name.IndexOfAny(['/', '\\', '\0']) >= 0 || name is "." or "..")
        {
            return null;
        }

        var path = Path.Combine(directory, name);
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).TrimEnd('\r', '\n') : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UserFacingException($"the systemd credential {name} cannot be read ({ex.Message.TrimEnd('.')})");
        }
    }
}

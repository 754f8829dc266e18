using System.Text;
using System.Text.RegularExpressions;
using SecureMinutes.Lists;
using SecureMinutes.Minutes.Pads;
using SecureMinutes.Secrets;
using SecureMinutes.Storage;

namespace SecureMinutes.Minutes.Preparation;

/// <summary>
/// Prepares an AG's minutes (<c>secureminutes prepare</c>, and the web app's "Prepare the AG" button): fills the
/// template, then creates a pad on the list's Etherpad and keeps its address sealed on the list for
/// <c>submit --prepared</c>, or writes a Markdown draft file. Nothing is stored unless the pad was made: an
/// unreachable server or a refused key leaves the list as it was.
/// <para>
/// A list's own template is sealed too. It is not minutes, but it may name the people who usually hold the roles
/// and the group's standing agenda; sealing it costs nothing and keeps a copied database from telling more than
/// member addresses and keys, which are needed to send.
/// </para>
/// </summary>
public sealed partial class AgPreparation(ListStore lists, Vault vault, EtherpadPads pads, TimeProvider time, Func<string, string?>? environment = null)
{
    private readonly Func<string, string?> _environment = environment ?? Environment.GetEnvironmentVariable;

    /// <summary>
    /// Makes the AG's pad (with <see cref="AgRequest.PadServer"/>) or its draft file. Errors are one-line
    /// <see cref="UserFacingException"/>s (<see cref="Pads.PadException"/> for the server's), and leave the list unchanged.
    /// </summary>
    public async Task<PreparedAg> PrepareAsync(string listName, AgRequest request, CancellationToken cancellationToken = default)
    {
        var list = await lists.GetAsync(listName, cancellationToken);
        var template = request.TemplatePath is { } path ? AgTemplate.ReadFile(path) : await OwnTemplateAsync(list, cancellationToken) ?? AgTemplate.Default(list.Language);
        var text = AgTemplate.Fill(template, request.Date, request.Title, list.Language);

        if (request.PadServer is null)
        {
            if (request.ApiKeyVariable is not null)
            {
                throw new UserFacingException("--pad-api-key-env goes with --pad-server");
            }

            var draft = Path.GetFullPath(request.DraftPath ?? throw new ArgumentException("A draft needs a path.", nameof(request)));
            WriteDraft(draft, text);
            // The next --prepared must not send an earlier AG's pad.
            await lists.SetSealedPreparedPadAsync(list.Id, null, cancellationToken);
            return new PreparedAg(text, null, null, draft);
        }

        var server = EtherpadPads.ParseServer(request.PadServer);
        var variable = request.ApiKeyVariable
            ?? throw new UserFacingException("give --pad-api-key-env VARIABLE too: creating a pad needs the server's API key (its APIKEY.txt)");
        if (!VariableName().IsMatch(variable))
        {
            throw new UserFacingException($"'{variable}' is not an environment variable name");
        }

        var apiKey = _environment(variable);
        if (string.IsNullOrEmpty(apiKey))
        {
            throw new UserFacingException($"the pad API key variable {variable} is not set in this process's environment");
        }

        var created = await pads.CreateAsync(list.Id, server, apiKey, text, cancellationToken);
        var prepared = new PreparedPad(created.ReadWrite.Url, created.ReadOnly.Url, variable, request.Date, time.GetUtcNow());
        await lists.SetSealedPreparedPadAsync(list.Id, vault.Box.Seal(prepared.Serialize(), PadPurpose(list.Id)), cancellationToken);
        return new PreparedAg(text, prepared.PadUrl, prepared.ReadOnlyUrl, null);
    }

    /// <summary>
    /// The pad the last <c>prepare</c> made for the list, for <c>submit --prepared</c>; one line when there is none.
    /// Its <see cref="PreparedPad.ApiKeyVariable"/> is kept only when this process has that variable set: the pad is
    /// then read through the API, as <c>prepare</c> wrote it; otherwise through its public text export.
    /// </summary>
    public async Task<PreparedPad> PreparedPadAsync(string listName, CancellationToken cancellationToken = default)
    {
        var list = await lists.GetAsync(listName, cancellationToken);
        var sealedPad = await lists.GetSealedPreparedPadAsync(list.Id, cancellationToken)
            ?? throw new UserFacingException($"no pad was prepared for list '{list.Name}': run secureminutes prepare {list.Name} --pad-server URL --pad-api-key-env VARIABLE (or send a file with --file)");
        var pad = PreparedPad.Deserialize(vault.Box.Open(sealedPad, PadPurpose(list.Id)));
        return pad.ApiKeyVariable is { } variable && string.IsNullOrEmpty(_environment(variable)) ? pad with { ApiKeyVariable = null } : pad;
    }

    /// <summary>Keeps <paramref name="path"/> as the list's own template (sealed), or with null goes back to the built-in one.</summary>
    public async Task SetTemplateAsync(string listName, string? path, CancellationToken cancellationToken = default)
    {
        var list = await lists.GetAsync(listName, cancellationToken);
        var sealedTemplate = path is null ? null : vault.Box.Seal(Encoding.UTF8.GetBytes(AgTemplate.ReadFile(path)), TemplatePurpose(list.Id));
        await lists.SetSealedTemplateAsync(list.Id, sealedTemplate, cancellationToken);
    }

    /// <summary>The list's own template, or null when it uses the built-in one.</summary>
    public async Task<string?> OwnTemplateAsync(MailingList list, CancellationToken cancellationToken = default) =>
        await lists.GetSealedTemplateAsync(list.Id, cancellationToken) is { } sealedTemplate
            ? Encoding.UTF8.GetString(vault.Box.Open(sealedTemplate, TemplatePurpose(list.Id)))
            : null;

    /// <summary>Where a draft goes by default: « LIST-2026-12-12.md » in the current folder.</summary>
    public static string DraftFileName(string listName, DateOnly date) => FormattableString.Invariant($"{listName}-{date:yyyy-MM-dd}.md");

    /// <summary>Created, never overwritten; readable by its owner only, since a filled-in draft will hold minutes.</summary>
    private static void WriteDraft(string path, string text)
    {
        if (File.Exists(path) || Directory.Exists(path))
        {
            throw new UserFacingException($"{path} already exists: nothing was written (give another --output, or move that file away)");
        }

        try
        {
            Vault.WritePrivateFile(path, Encoding.UTF8.GetBytes(text));
        }
        catch (IOException) when (File.Exists(path))
        {
            throw new UserFacingException($"{path} already exists: nothing was written (give another --output, or move that file away)");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UserFacingException($"cannot write {path} ({ex.Message.TrimEnd('.')})");
        }
    }

    private static string PadPurpose(long listId) => $"prepared-pad:{listId}";

    private static string TemplatePurpose(long listId) => $"list-template:{listId}";

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableName();
}

using System.CommandLine;
using SecureMinutes.Cli;
using SecureMinutes.Lists;
using SecureMinutes.Secrets;

namespace SecureMinutes.Commands;

public static class ListCommands
{
    public static Command Build()
    {
        var list = new Command("list", "Create lists and export their keys");
        list.Subcommands.Add(Create());
        list.Subcommands.Add(Key());
        return list;
    }

    private static Command Create()
    {
        var name = new Argument<string>("LIST") { Description = "Short name admins type, e.g. ag-2026" };
        var address = new Option<string>("--address") { Description = "The list's e-mail address (mail comes From it)", Required = true };
        var displayName = new Option<string?>("--name") { Description = "Display name, e.g. \"AG du collectif\" (default: the list name)" };
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var command = new Command("create", "Create a list and generate its OpenPGP key (Ed25519 + Cv25519)") { name, address, displayName, json };
        command.SetHandler(async (parse, context, cancellationToken) =>
        {
            var created = await context.Get<ListService>().CreateAsync(parse.GetValue(name)!, parse.GetValue(address)!, parse.GetValue(displayName), cancellationToken);
            var protection = context.Get<Vault>().Describe();
            if (parse.GetValue(json))
            {
                await Json.WriteAsync(context.Out, new { list = created.Name, address = created.Address, name = created.DisplayName, fingerprint = created.KeyFingerprint.Hex, secretKey = protection });
            }
            else
            {
                await context.Out.WriteLineAsync($"Created list {created.Name}: {created.DisplayName} <{created.Address}>");
                await context.Out.WriteLineAsync($"Fingerprint: {created.KeyFingerprint.Grouped}");
                await context.Out.WriteLineAsync($"Its secret key is sealed in {context.Options.DataDirectory}, {protection}.");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Key()
    {
        var name = new Argument<string>("LIST");
        var command = new Command("key", "Print the list's public key (armored), for members to import") { name };
        command.SetHandler(async (parse, context, cancellationToken) =>
        {
            var list = await context.Get<ListService>().GetAsync(parse.GetValue(name)!, cancellationToken);
            await context.Out.WriteAsync(ListService.ArmoredPublicKey(list));
            return ExitCodes.Success;
        });
        return command;
    }
}

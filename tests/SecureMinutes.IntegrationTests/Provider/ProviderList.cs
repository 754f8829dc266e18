using SecureMinutes.IntegrationTests.Support;

namespace SecureMinutes.IntegrationTests.Provider;

/// <summary>A member with a mailbox at the provider, and the key pair their client holds.</summary>
public sealed record MemberMailbox(string Address, string Password, string PublicKey, string SecretKey);

/// <summary>
/// A list whose address and members are real mailboxes at the provider, with unique names per test (the shared
/// provider serves other test runs too). Members hold a key made by gpg with their address (as Thunderbird or
/// OpenKeychain would make it) and fixture keys (RSA-3072, Sequoia's Cv25519) whose user ids name
/// example.org addresses, added with --allow-uid-mismatch.
/// </summary>
public sealed class ProviderList
{
    public const string PasswordVariable = "SM_TEST_LIST_PASSWORD";

    private ProviderList(string name, string address, string password, CliRunner cli, string listKeyPath, IReadOnlyList<MemberMailbox> members)
    {
        Name = name;
        Address = address;
        Password = password;
        Cli = cli;
        ListKeyPath = listKeyPath;
        Members = members;
    }

    public string Name { get; }

    public string Address { get; }

    public string Password { get; }

    public CliRunner Cli { get; }

    public string ListKeyPath { get; }

    public IReadOnlyList<MemberMailbox> Members { get; }

    public static string NewTag() => "i6" + Guid.NewGuid().ToString("N")[..8];

    public static async Task<ProviderList> CreateAsync(MailProvider provider, TempDir work, Gpg gpg, string? tag = null)
    {
        tag ??= NewTag();
        var name = tag;
        var address = $"{tag}@lists.example.test";
        var password = "pw-" + Guid.NewGuid().ToString("N")[..12];
        var generated = await gpg.GenerateAsync($"Camille {tag} <{tag}-camille@members.example.test>", "future-default", work.Path, tag + "-camille");
        var members = new List<MemberMailbox>
        {
            new($"{tag}-camille@members.example.test", "m1-" + tag, generated.PublicKey, generated.SecretKey),
            Fixture("rsa3072", $"{tag}-rsa@members.example.test", "m2-" + tag),
            Fixture("sq-cv25519", $"{tag}-sq@members.example.test", "m3-" + tag),
        };
        await provider.AddUsersAsync([(address, password), .. members.Select(m => (m.Address, m.Password))]);

        var cli = new CliRunner(work.Combine("data-" + tag));
        cli.Environment[PasswordVariable] = password;
        await cli.SucceedAsync("list", "create", name, "--address", address, "--name", "AG de test");
        var listKeyPath = work.Combine(tag + "-list.pub.asc");
        await File.WriteAllTextAsync(listKeyPath, (await cli.SucceedAsync("list", "key", name)).Stdout);
        await cli.SucceedAsync("member", "add", name, members[0].Address, "--key", members[0].PublicKey, "--admin");
        foreach (var member in members.Skip(1))
        {
            await cli.SucceedAsync("member", "add", name, member.Address, "--key", member.PublicKey, "--allow-uid-mismatch");
        }

        return new ProviderList(name, address, password, cli, listKeyPath, members);
    }

    private static MemberMailbox Fixture(string key, string address, string password) =>
        new(address, password, RepoPaths.FixtureKey(key + ".pub.asc"), RepoPaths.FixtureKey(key + ".sec.asc"));
}

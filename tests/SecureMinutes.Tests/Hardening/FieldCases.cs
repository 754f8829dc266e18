namespace SecureMinutes.Tests.Hardening;

/// <summary>The field cases in ../shared/cases (see its README): inputs people reported, each a test here.</summary>
internal static class FieldCases
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "cases");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("../shared/cases is missing: the hardening tests need the field cases beside the repository");
    });

    public static string Path(string name) => System.IO.Path.Combine(Root.Value, name);

    public static byte[] Bytes(string name) => File.ReadAllBytes(Path(name));
}

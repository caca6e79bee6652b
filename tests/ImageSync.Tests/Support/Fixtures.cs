namespace ImageSync.Tests.Support;

/// <summary>The shared fixture data: real Istio sample files and sail-operator's downstream copies.</summary>
internal static class Fixtures
{
    public static string Root { get; } = Path.GetFullPath(Path.Combine(Golden.SourceDirectory(), "..", "..", "..", "shared", "fixtures"));

    public static string IstioMaster => Path.Combine(Root, "istio-samples");

    public static string IstioRelease(string tag) => Path.Combine(Root, "istio-samples-history", tag);

    public static string SailOperator => Path.Combine(Root, "sail-operator");

    public static IReadOnlyDictionary<string, string> IstioRefs => new Dictionary<string, string>
    {
        ["master"] = IstioMaster,
        ["1.21.0"] = IstioRelease("1.21.0"),
        ["1.24.0"] = IstioRelease("1.24.0"),
        ["1.29.0"] = IstioRelease("1.29.0"),
    };

    public static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true);
        }
    }
}

using System.Runtime.CompilerServices;

namespace ImageSync.Tests.Support;

/// <summary>
/// The one place that finds files the tests read from the source tree: the repository root, the test project, its
/// golden files and corpus, and the vendored fixtures (real Istio sample files and sail-operator's downstream
/// copies, see Fixtures/README.md). Everything is inside the repository, so a plain clone runs the tests.
/// </summary>
internal static class TestPaths
{
    /// <summary>tests/ImageSync.Tests in the source tree.</summary>
    public static string TestProject { get; } = Path.GetDirectoryName(Path.GetDirectoryName(ThisFile()))!;

    public static string RepositoryRoot { get; } = Path.GetFullPath(Path.Combine(TestProject, "..", ".."));

    public static string Corpus => Path.Combine(TestProject, "Corpus");

    public static string Golden(string name) => Path.Combine(TestProject, "Golden", name);

    public static string FixturesRoot => Path.Combine(TestProject, "Fixtures");

    public static string IstioMaster => Path.Combine(FixturesRoot, "istio-samples");

    public static string IstioRelease(string tag) => Path.Combine(FixturesRoot, "istio-samples-history", tag);

    public static string SailOperator => Path.Combine(FixturesRoot, "sail-operator");

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

    private static string ThisFile([CallerFilePath] string path = "") => path;
}

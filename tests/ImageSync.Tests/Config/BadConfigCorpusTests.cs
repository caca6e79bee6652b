using ImageSync.Config;
using ImageSync.Tests.Support;

namespace ImageSync.Tests.Config;

/// <summary>Every file under Corpus/ is a bad configuration; its .expected file holds the exact messages.</summary>
public class BadConfigCorpusTests
{
    private static readonly string CorpusDirectory = TestPaths.Corpus;

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(CorpusDirectory, "*.*", SearchOption.AllDirectories)
                     .Where(f => !f.EndsWith(".expected", StringComparison.Ordinal))
                     .Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(CorpusDirectory, file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Each_bad_file_gets_its_precise_messages(string relativePath)
    {
        var path = Path.Combine(CorpusDirectory, relativePath);
        var name = Path.GetFileName(path);
        var source = path.EndsWith(".yaml", StringComparison.Ordinal)
            ? ConfigSource.ExternalImages(name, targetRepoPrefix: null)
            : ConfigSource.Json(name);

        var result = ConfigLoader.Load(source, await File.ReadAllBytesAsync(path));

        Assert.False(result.Succeeded, $"{relativePath} is in the bad corpus but loaded without errors");
        Golden.AssertMatches(path + ".expected", string.Join("\n", result.Diagnostics) + "\n");
    }

    [Fact]
    public void The_corpus_has_at_least_thirty_files() =>
        Assert.True(Files().Count >= 30, $"only {Files().Count} files in the corpus");
}

using ImageSync.Errors;
using ImageSync.AutoUpdate;

namespace ImageSync.Tests.AutoUpdate;

/// <summary>AutoUpdate rewrites samples only inside the repository that holds the configuration.</summary>
public sealed class SamplesFolderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("imagesync-samplesfolder-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Repository()
    {
        var repository = Path.Combine(_dir, "repo");
        Directory.CreateDirectory(Path.Combine(repository, "samples"));
        LibGit2Sharp.Repository.Init(repository);
        File.WriteAllText(Path.Combine(repository, "image-sync-config.json"), "{}");
        return repository;
    }

    [Fact]
    public void A_folder_inside_the_repository_is_allowed()
    {
        var repository = Repository();

        var found = SamplesFolder.RepositoryFor(Path.Combine(repository, "image-sync-config.json"), Path.Combine(repository, "samples"));

        Assert.Equal(Path.GetFullPath(repository).TrimEnd('/'), found.TrimEnd('/'));
    }

    [Fact]
    public void A_link_that_leads_outside_the_repository_is_refused_naming_where_it_leads()
    {
        var repository = Repository();
        var outside = Directory.CreateDirectory(Path.Combine(_dir, "elsewhere")).FullName;
        var link = Path.Combine(repository, "linked");
        Directory.CreateSymbolicLink(link, outside);

        var e = Assert.Throws<ImageSyncException>(() => SamplesFolder.RepositoryFor(Path.Combine(repository, "image-sync-config.json"), link));

        Assert.Contains($"--samples {link} resolves to {outside}, outside the repository", e.Message, StringComparison.Ordinal);
    }
}

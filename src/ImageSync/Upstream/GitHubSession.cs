using ImageSync.Registry.Http;
using Octokit;

namespace ImageSync.Upstream;

/// <summary>
/// A run's connection to GitHub, as <see cref="Registry.RegistrySession"/> is for registries: built once from the
/// API URL, the token and the run's bounds, it hands out the Octokit client (branches, pull requests), the archive
/// (the ref's tarball in one request) and the sample reader over it. Every request goes through
/// <see cref="GitHubTransport"/>, so --retries and --timeout hold for GitHub as for registries, and the token only
/// ever goes to the API's own host.
/// </summary>
public sealed class GitHubSession : IDisposable
{
    private readonly HttpClient _archiveHttp;

    public GitHubSession(Uri apiUrl, string? token, TransportSettings bounds, ArchiveLimits? limits = null)
    {
        Limits = limits ?? ArchiveLimits.Default;
        WebBase = GitHubSampleReader.WebBaseFor(apiUrl);
        Client = GitHubTransport.CreateClient(apiUrl, token, bounds);
        _archiveHttp = GitHubTransport.CreateArchiveClient(bounds);
        Archive = new GitHubArchive(_archiveHttp, GitHubSampleReader.ApiBaseFor(apiUrl), token, bounds.Retry, Limits);
        Samples = new GitHubSampleReader(Archive, WebBase, Limits);
    }

    /// <summary>github.com, or the Enterprise host: where evidence links in a pull request point.</summary>
    public Uri WebBase { get; }

    public ArchiveLimits Limits { get; }

    public IGitHubClient Client { get; }

    public GitHubArchive Archive { get; }

    public GitHubSampleReader Samples { get; }

    public void Dispose() => _archiveHttp.Dispose();
}

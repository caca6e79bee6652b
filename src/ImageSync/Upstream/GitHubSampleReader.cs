using System.Text;
using ImageSync.Config;
using ImageSync.Output;

namespace ImageSync.Upstream;

/// <summary>
/// Upstream's sample manifests, from the ref's one archive (<see cref="GitHubArchive"/>): the YAML files under the
/// configured paths. Anonymous callers get 60 API requests an hour; Istio's samples hold hundreds of files. Works
/// against GitHub Enterprise (and test servers) through the base URL.
/// </summary>
public sealed class GitHubSampleReader(GitHubArchive archive, Uri webBase, ArchiveLimits limits)
{
    public const string DefaultApiUrl = "https://api.github.com/";

    /// <summary>What one kept file, and all of them together, may hold (<see cref="ArchiveLimits"/>'s defaults).</summary>
    public const int MaxFileBytes = 4 * 1024 * 1024;

    public const long MaxTotalBytes = 64L * 1024 * 1024;

    /// <summary>github.com for the public API, the same host for an Enterprise or test server.</summary>
    public static Uri WebBaseFor(Uri apiUrl) =>
        apiUrl.Host == "api.github.com" ? new Uri("https://github.com/") : new Uri(apiUrl.GetLeftPart(UriPartial.Authority) + "/");

    /// <summary>The API base as Octokit uses it: api.github.com, or HOST/api/v3/ for Enterprise.</summary>
    public static Uri ApiBaseFor(Uri apiUrl) =>
        apiUrl.Host == "api.github.com" ? new Uri("https://api.github.com/")
        : apiUrl.AbsolutePath.TrimEnd('/').EndsWith("/api/v3", StringComparison.Ordinal) ? new Uri(apiUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/")
        : new Uri(apiUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/api/v3/");

    /// <summary>The files, notes on what was passed over, and the upstream copies of vendored files.</summary>
    public async Task<FetchedSamples> FetchAsync(UpstreamSampleSource samples, CancellationToken cancellationToken)
    {
        var vendored = samples.VendoredFiles.Select(f => f.UpstreamPath).ToHashSet(StringComparer.Ordinal);
        var read = await archive.ReadAsync(samples.Repository, samples.Ref, () => new SampleCollection(), async (state, file, ct) =>
        {
            var sample = IsYaml(file.Path) && samples.Paths.Any(p => Covers(p, file.Path));
            if (!sample && !vendored.Contains(file.Path))
            {
                return;
            }
            // A path is upstream's text: one with control characters (a new line, an escape sequence) could
            // forge lines in our output, and no real sample has one, so it is never read.
            if (file.Path.Any(char.IsControl))
            {
                state.Notes.Add($"{Untrusted.Line(file.Path)}: skipped, its name holds control characters");
                return;
            }
            if (file.Size > limits.MaxFileBytes || state.Kept + file.Size > limits.MaxKeptBytes)
            {
                state.Notes.Add($"{file.Path}: skipped, {file.Size} bytes is more than imagesync reads of one sample ({limits.MaxFileBytes / 1024 / 1024} MiB, {limits.MaxKeptBytes / 1024 / 1024} MiB in all)");
                return;
            }
            if (!state.Paths.Add(file.Path))
            {
                throw new Errors.ImageSyncException($"{samples.Repository}@{samples.Ref}: the archive from GitHub holds {Untrusted.Line(file.Path)} twice; refused");
            }
            state.Kept += file.Size;
            var bytes = await file.ReadAllAsync(ct).ConfigureAwait(false);
            var bom = bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
            var fetched = new UpstreamFile(file.Path, Encoding.UTF8.GetString(bytes, bom, bytes.Length - bom), new Uri(webBase, $"{samples.Repository}/blob/{samples.Ref}/{file.Path}").ToString()) { Bytes = bytes };
            if (sample)
            {
                state.Files.Add(fetched);
            }
            if (vendored.Contains(file.Path))
            {
                state.Vendored[file.Path] = fetched;
            }
        }, cancellationToken).ConfigureAwait(false);
        return new FetchedSamples([.. read.Files.OrderBy(f => f.Path, StringComparer.Ordinal)], read.Notes, read.Vendored);
    }

    private static bool IsYaml(string path) =>
        path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    private static bool Covers(string configured, string path) =>
        configured.EndsWith('/') ? path.StartsWith(configured, StringComparison.Ordinal) : path == configured || path.StartsWith(configured + "/", StringComparison.Ordinal);
}

using System.Text;
using ImageSync.Config;
using Octokit;

namespace ImageSync.Upstream;

/// <summary>
/// Reads upstream's sample manifests through the GitHub API: one recursive tree listing of the ref, then one blob
/// request per YAML file under the configured paths. Works against GitHub Enterprise (and test servers) through
/// the base URL.
/// </summary>
public sealed class GitHubSamples(IGitHubClient client, Uri webBase)
{
    public const string DefaultApiUrl = "https://api.github.com/";

    public static IGitHubClient CreateClient(Uri apiUrl, string? token)
    {
        var client = new GitHubClient(new ProductHeaderValue("imagesync"), apiUrl);
        if (!string.IsNullOrEmpty(token))
        {
            client.Credentials = new Credentials(token);
        }
        return client;
    }

    /// <summary>github.com for the public API, the same host for an Enterprise or test server.</summary>
    public static Uri WebBaseFor(Uri apiUrl) =>
        apiUrl.Host == "api.github.com" ? new Uri("https://github.com/") : new Uri(apiUrl.GetLeftPart(UriPartial.Authority) + "/");

    public async Task<IReadOnlyList<SampleFile>> FetchAsync(UpstreamSamples samples, CancellationToken cancellationToken)
    {
        var (owner, name) = Split(samples.Repository);
        TreeResponse tree;
        try
        {
            tree = await client.Git.Tree.GetRecursive(owner, name, samples.Ref).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NotFoundException)
        {
            throw new InvalidOperationException($"{samples.Repository}@{samples.Ref}: no such repository or ref on GitHub");
        }
        catch (ApiException e)
        {
            throw new InvalidOperationException($"{samples.Repository}@{samples.Ref}: GitHub answered {(int)e.StatusCode}: {e.Message}");
        }
        catch (HttpRequestException e)
        {
            throw new InvalidOperationException($"{samples.Repository}@{samples.Ref}: cannot reach the GitHub API at {client.Connection.BaseAddress}: {e.Message}");
        }
        if (tree.Truncated)
        {
            throw new InvalidOperationException($"{samples.Repository}@{samples.Ref}: GitHub truncated the tree listing; name narrower upstream_samples.paths");
        }
        // A path is upstream's text: one with control characters (a new line, an escape sequence) could forge lines
        // in our output, and no real sample has one, so it is never read.
        var wanted = tree.Tree
            .Where(item => item.Type.Value == TreeType.Blob && IsYaml(item.Path) && samples.Paths.Any(p => Covers(p, item.Path)) && !item.Path.Any(char.IsControl))
            .OrderBy(item => item.Path, StringComparer.Ordinal)
            .ToList();
        var files = new SampleFile?[wanted.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, wanted.Count), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var blob = await client.Git.Blob.Get(owner, name, wanted[i].Sha).WaitAsync(ct).ConfigureAwait(false);
            var content = blob.Encoding.Value == EncodingType.Base64
                ? Encoding.UTF8.GetString(Convert.FromBase64String(blob.Content.Replace("\n", "", StringComparison.Ordinal)))
                : blob.Content;
            files[i] = new SampleFile(wanted[i].Path, content, new Uri(webBase, $"{owner}/{name}/blob/{samples.Ref}/{wanted[i].Path}").ToString());
        }).ConfigureAwait(false);
        return [.. files.OfType<SampleFile>()];
    }

    private static (string Owner, string Name) Split(string slug)
    {
        var parts = slug.Split('/');
        return parts.Length == 2 ? (parts[0], parts[1]) : throw new InvalidOperationException($"\"{slug}\" is not OWNER/NAME");
    }

    private static bool IsYaml(string path) =>
        path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    private static bool Covers(string configured, string path) =>
        configured.EndsWith('/') ? path.StartsWith(configured, StringComparison.Ordinal) : path == configured || path.StartsWith(configured + "/", StringComparison.Ordinal);
}

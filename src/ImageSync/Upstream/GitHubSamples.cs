using ImageSync.Errors;
using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ImageSync.Config;
using ImageSync.Output;
using Octokit;

namespace ImageSync.Upstream;

/// <summary>
/// Reads upstream's sample manifests in one GitHub API request, whatever their number: the ref's tarball, streamed
/// through gzip and tar, keeping only the YAML files under the configured paths. Anonymous callers get 60 API
/// requests an hour; Istio's samples hold hundreds of files. The API redirects the download to another host
/// (codeload), which gets no token: HttpClient drops Authorization on a redirect. Works against GitHub Enterprise
/// (and test servers) through the base URL.
/// </summary>
public sealed class GitHubSamples(HttpClient http, Uri apiBase, Uri webBase, string? token)
{
    public const string DefaultApiUrl = "https://api.github.com/";

    /// <summary>Far above any real sample (Istio's largest is about 100 KiB); a larger entry is passed over with a note.</summary>
    public const int MaxFileBytes = 4 * 1024 * 1024;

    /// <summary>What all kept files may hold together, and how many archive entries are read at most.</summary>
    public const long MaxTotalBytes = 64L * 1024 * 1024;
    public const int MaxEntries = 500_000;

    private static readonly TimeSpan MaxSecondaryWait = TimeSpan.FromSeconds(60);

    public static IGitHubClient CreateClient(Uri apiUrl, string? token)
    {
        var client = new GitHubClient(new Octokit.ProductHeaderValue("imagesync"), apiUrl);
        if (!string.IsNullOrEmpty(token))
        {
            client.Credentials = new Credentials(token);
        }
        return client;
    }

    /// <summary>The HttpClient for archive downloads: bounded connect and idle waits, redirects followed (without credentials).</summary>
    public static HttpClient CreateHttpClient() => new(new SocketsHttpHandler
    {
        ConnectTimeout = TimeSpan.FromSeconds(15),
        AllowAutoRedirect = true,
        MaxAutomaticRedirections = 3,
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        Timeout = TimeSpan.FromMinutes(10),
    };

    /// <summary>github.com for the public API, the same host for an Enterprise or test server.</summary>
    public static Uri WebBaseFor(Uri apiUrl) =>
        apiUrl.Host == "api.github.com" ? new Uri("https://github.com/") : new Uri(apiUrl.GetLeftPart(UriPartial.Authority) + "/");

    /// <summary>The API base as Octokit uses it: api.github.com, or HOST/api/v3/ for Enterprise.</summary>
    public static Uri ApiBaseFor(Uri apiUrl) =>
        apiUrl.Host == "api.github.com" ? new Uri("https://api.github.com/")
        : apiUrl.AbsolutePath.TrimEnd('/').EndsWith("/api/v3", StringComparison.Ordinal) ? new Uri(apiUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/")
        : new Uri(apiUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/api/v3/");

    /// <summary>The files, and notes on what was passed over.</summary>
    public async Task<(IReadOnlyList<SampleFile> Files, IReadOnlyList<string> Notes)> FetchAsync(UpstreamSamples samples, CancellationToken cancellationToken)
    {
        var where = $"{samples.Repository}@{samples.Ref}";
        using var response = await DownloadAsync(samples, where, cancellationToken).ConfigureAwait(false);
        var files = new List<SampleFile>();
        var notes = new List<string>();
        long kept = 0;
        var entries = 0;
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using var gzip = new GZipStream(new Common.IdleTimeoutStream(body, TimeSpan.FromSeconds(60), $"the archive of {where}"), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        try
        {
            while (await tar.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                if (++entries > MaxEntries)
                {
                    throw new ImageSyncException($"{where}: the archive holds more than {MaxEntries} entries; stopped reading");
                }
                // GitHub's archives put everything under one folder, OWNER-NAME-SHA/.
                var slash = entry.Name.IndexOf('/', StringComparison.Ordinal);
                var path = slash < 0 ? "" : entry.Name[(slash + 1)..];
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || !IsYaml(path) || !samples.Paths.Any(p => Covers(p, path)))
                {
                    continue;
                }
                // A path is upstream's text: one with control characters (a new line, an escape sequence) could
                // forge lines in our output, and no real sample has one, so it is never read.
                if (path.Any(char.IsControl))
                {
                    notes.Add($"{Untrusted.Line(path)}: skipped, its name holds control characters");
                    continue;
                }
                if (entry.Length > MaxFileBytes || kept + entry.Length > MaxTotalBytes)
                {
                    notes.Add($"{path}: skipped, {entry.Length} bytes is more than imagesync reads of one sample ({MaxFileBytes / 1024 / 1024} MiB, {MaxTotalBytes / 1024 / 1024} MiB in all)");
                    continue;
                }
                kept += entry.Length;
                using var content = new StreamReader(entry.DataStream!, Encoding.UTF8);
                files.Add(new SampleFile(path, await content.ReadToEndAsync(cancellationToken).ConfigureAwait(false), new Uri(webBase, $"{samples.Repository}/blob/{samples.Ref}/{path}").ToString()));
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException or IOException)
        {
            throw new ImageSyncException($"{where}: the archive from GitHub could not be read ({Untrusted.Line(e.Message, 120)})", e);
        }
        return ([.. files.OrderBy(f => f.Path, StringComparer.Ordinal)], notes);
    }

    private async Task<HttpResponseMessage> DownloadAsync(UpstreamSamples samples, string where, CancellationToken cancellationToken)
    {
        // The slug and the ref were checked as GitHub names (GitHubNames) when they were read: nothing to escape.
        var url = new Uri(apiBase, $"repos/{samples.Repository}/tarball/{samples.Ref}");
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.UserAgent.ParseAdd("imagesync/1.0");
            request.Headers.Accept.ParseAdd("application/vnd.github+json");
            if (!string.IsNullOrEmpty(token))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Token", token);
            }
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                throw new ImageSyncException($"{where}: cannot reach the GitHub API at {apiBase}: {Untrusted.Line(e.Message)}", e);
            }
            if (response.IsSuccessStatusCode)
            {
                return response;
            }
            using (response)
            {
                if (GitHubRateLimit.From(response, token is { Length: > 0 }) is { } limit)
                {
                    if (limit.WaitFor is { } wait && wait <= MaxSecondaryWait && attempt == 1)
                    {
                        // A secondary rate limit: GitHub says how long to pause; wait it out once.
                        await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                    throw new ImageSyncException($"{where}: {limit.Message}");
                }
                throw new ImageSyncException(response.StatusCode == HttpStatusCode.NotFound
                    ? $"{where}: no such repository or ref on GitHub{(token is { Length: > 0 } ? "" : " (or it is private: set GITHUB_TOKEN)")}"
                    : $"{where}: GitHub answered {(int)response.StatusCode} {Untrusted.Line(response.ReasonPhrase, 60)}");
            }
        }
    }

    private static bool IsYaml(string path) =>
        path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    private static bool Covers(string configured, string path) =>
        configured.EndsWith('/') ? path.StartsWith(configured, StringComparison.Ordinal) : path == configured || path.StartsWith(configured + "/", StringComparison.Ordinal);
}

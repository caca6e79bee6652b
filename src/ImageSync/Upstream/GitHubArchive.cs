using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using ImageSync.Errors;
using ImageSync.Output;
using ImageSync.Registry.Http;

namespace ImageSync.Upstream;

/// <summary>
/// A ref's files in one GitHub API request, whatever their number: the tarball, streamed through gzip and
/// <see cref="TarArchiveReader"/>, every regular file under the archive's one top folder handed to a visitor with its
/// path in the repository. The archive is hostile input: everything is bounded by <see cref="ArchiveLimits"/>, an
/// entry name GitHub would not write refuses the archive, and the download obeys the run's --timeout and --retries
/// (<see cref="GitHubTransport"/>); a body that stalls or breaks is read again from the start, as many times as
/// --retries allows, all within <see cref="ArchiveLimits.MaxTime"/>.
/// </summary>
public sealed class GitHubArchive(HttpClient http, Uri apiBase, string? token, RetryPolicy retry, ArchiveLimits limits)
{
    /// <param name="start">Fresh state for one reading (a retry starts again from the first entry).</param>
    public async Task<T> ReadAsync<T>(string repository, string reference, Func<T> start, Func<T, ArchiveFile, CancellationToken, Task> visit, CancellationToken cancellationToken)
    {
        var where = $"{repository}@{reference}";
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limits.MaxTime);
        try
        {
            return await retry.OperationPipeline().ExecuteAsync(async ct =>
            {
                var state = start();
                await ReadOnceAsync(repository, reference, where, file => visit(state, file, ct), ct).ConfigureAwait(false);
                return state;
            }, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ImageSyncException($"{where}: reading the archive from GitHub took longer than {limits.MaxTime.TotalSeconds:0} s; stopped");
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw new ImageSyncException($"{where}: the archive from GitHub could not be read ({Untrusted.Line(e.Message, 120)})", e);
        }
    }

    private async Task ReadOnceAsync(string repository, string reference, string where, Func<ArchiveFile, Task> visit, CancellationToken cancellationToken)
    {
        using var response = await DownloadAsync(repository, reference, where, cancellationToken).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using var gzip = new GZipStream(body, CompressionMode.Decompress);
        var tar = new TarArchiveReader(gzip, limits, where);
        var top = new ArchiveTopFolder();
        try
        {
            while (await tar.NextAsync(cancellationToken).ConfigureAwait(false) is { } entry)
            {
                if (!top.TryRelative(entry.Name, out var path, out var problem))
                {
                    // git stores no such path: the archive is not the repository's, so nothing in it is trusted.
                    throw new ImageSyncException($"{where}: the archive from GitHub holds an entry named \"{Untrusted.Line(entry.Name, 120)}\" ({problem}); GitHub's archives hold only plain paths under one top folder, so it is refused");
                }
                if (entry.IsRegularFile && path.Length > 0)
                {
                    await visit(new ArchiveFile(path, entry.Size, tar.ReadDataAsync)).ConfigureAwait(false);
                }
            }
        }
        catch (InvalidDataException e)
        {
            throw new ImageSyncException($"{where}: the archive from GitHub could not be read ({Untrusted.Line(e.Message, 120)})", e);
        }
    }

    private async Task<HttpResponseMessage> DownloadAsync(string repository, string reference, string where, CancellationToken cancellationToken)
    {
        // The slug and the ref were checked as GitHub names (GitHubNames) when they were read: nothing to escape.
        var url = new Uri(apiBase, $"repos/{repository}/tarball/{reference}");
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Options.Set(RegistryRequestOptions.StreamedBody, true);
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
                // The request pipeline has already retried as --retries allows.
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
                    if (limit.WaitFor is { } wait && wait <= retry.MaxRetryAfter && attempt == 1)
                    {
                        // A secondary rate limit (403 with Retry-After): GitHub says how long to pause; wait it out once.
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
}

using System.Net;
using System.Net.Http.Headers;
using ImageSync.References;
using ImageSync.Registry.Http;

namespace ImageSync.Registry;

/// <summary>
/// The OCI distribution API over one HttpClient whose handlers do auth and retries. Every URL is built here;
/// upload URLs come from the registry's Location headers.
/// </summary>
public sealed partial class RegistryClient(HttpClient http, RegistryEndpoints endpoints, Http.RetryPolicy? retry = null, TextWriter? debugLog = null)
{
    private readonly Http.RetryPolicy _retry = retry ?? Http.RetryPolicy.Default;

    // Registries whose HEAD gives no usable digest (405, or no Docker-Content-Digest): their manifests are checked with GET.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _headless = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Manifest GETs and pull allowance per registry, for the end of a run.</summary>
    public RegistryUsage Usage { get; } = new();

    // The most any body read whole may be: one rule, kept where such bodies are buffered.
    private const int MaxManifestBytes = Http.TimeoutHandler.MaxBufferedBody;
    private const int AzureMaxManifestBytes = 4 * 1024 * 1024;

    public RegistryEndpoints Endpoints => endpoints;

    /// <summary>Which endpoints take a blob in one POST, as learnt this run.</summary>
    internal SinglePostSupport SinglePost { get; } = new(debugLog);

    /// <summary>The run's retry policy, for the operations retried as a whole (a blob copy).</summary>
    public Http.RetryPolicy Retry => _retry;

    /// <summary>True when two repositories live behind the same endpoint, so a blob can be mounted between them.</summary>
    public bool SameEndpoint(RepositoryAccess a, RepositoryAccess b) => endpoints.BaseUri(a.Registry) == endpoints.BaseUri(b.Registry);

    private Uri Url(RepositoryAccess repository, string path) =>
        new(endpoints.BaseUri(repository.Registry), $"v2/{repository.Repository}/{path}");

    private static HttpRequestMessage Request(HttpMethod method, Uri uri, RepositoryAccess repository, params string[] extraScopes)
    {
        // HTTP/2 where the registry offers it over TLS; HttpClient's default version only applies to its own helpers.
        var request = new HttpRequestMessage(method, uri) { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower };
        request.Options.Set(RegistryRequestOptions.Registry, repository.Registry);
        request.Options.Set(RegistryRequestOptions.Scopes, [repository.Scope, .. extraScopes]);
        return request;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        try
        {
            var response = await http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
            if (request.Options.TryGetValue(RegistryRequestOptions.Registry, out var registry))
            {
                Usage.Observe(registry, response);
            }
            return response;
        }
        catch (HttpRequestException e) when (Cause<RegistryException>(e) is { } inner)
        {
            // Our own verifying stream refused the body while it was being sent: say that, not "error copying content".
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(inner);
            throw;
        }
        catch (HttpRequestException e) when (Cause<Http.SourceReadException>(e) is { } source)
        {
            // The upload's source stalled or dropped: say that, as what it is, so the whole blob is tried again.
            throw new RegistryException($"{request.Method} {request.RequestUri?.Authority}: the upload's source failed: {source.Message}", null, null, source);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RegistryException($"{request.Method} {request.RequestUri?.Authority}: timed out", null, null, e);
        }
        catch (HttpRequestException e)
        {
            // Named as the config names it, with the endpoint it is mapped to.
            var host = request.Options.TryGetValue(RegistryRequestOptions.Registry, out var name) && name != request.RequestUri?.Authority
                ? $"{name} ({request.RequestUri?.Authority})"
                : request.RequestUri?.Authority ?? "?";
            throw new RegistryException($"{request.Method} {host}: {e.HttpRequestError switch
            {
                HttpRequestError.NameResolutionError => "the host name does not resolve",
                // Named for what it is, and said to be final: the retries were spent before this is thrown.
                HttpRequestError.ConnectionError => $"{(Cause<System.Net.Sockets.SocketException>(e) is { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused } ? "connection refused" : "cannot connect")}{Spent()}",
                HttpRequestError.SecureConnectionError => "TLS failed (wrong certificate, or the registry speaks plain http: map it with --registry NAME=http://...)",
                _ => e.Message,
            }}", null, null, e);
        }
    }

    private string Spent() => _retry.MaxRetries == 0 ? " (not retried: --retries 0)" : $" (gave up after {_retry.MaxRetries} {(_retry.MaxRetries == 1 ? "retry" : "retries")})";

    private static T? Cause<T>(Exception e) where T : Exception
    {
        for (var current = e.InnerException; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }
        return null;
    }

    // ---- manifests -------------------------------------------------------------------------------------------

    private static void AcceptManifests(HttpRequestMessage request)
    {
        foreach (var type in MediaTypes.AcceptedManifests)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }
    }

    /// <summary>
    /// HEAD a manifest: its descriptor, or null only when the registry says 404. Any other failure (401, 403,
    /// 5xx) throws: an existence check fails closed, so it can never lead to a write.
    /// </summary>
    public async Task<Descriptor?> HeadManifestAsync(RepositoryAccess repository, string reference, CancellationToken cancellationToken)
    {
        if (_headless.ContainsKey(repository.Registry))
        {
            return await GetManifestOrNullAsync(repository, reference, cancellationToken).ConfigureAwait(false);
        }
        using var request = Request(HttpMethod.Head, Url(repository, $"manifests/{reference}"), repository);
        AcceptManifests(request);
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        if (response.StatusCode == HttpStatusCode.MethodNotAllowed)
        {
            FallBackToGet(repository.Registry, "answers HEAD with 405");
            return await GetManifestOrNullAsync(repository, reference, cancellationToken).ConfigureAwait(false);
        }
        if (!response.IsSuccessStatusCode)
        {
            throw await RegistryException.FromResponseAsync($"HEAD {repository}:{reference}", response, cancellationToken).ConfigureAwait(false);
        }
        var digestHeader = response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.FirstOrDefault() : null;
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var size = response.Content.Headers.ContentLength;
        if (digestHeader is null || mediaType is null || size is null || !Digest.TryParse(digestHeader, out var digest, out _))
        {
            // Some registries leave headers out of HEAD; the body tells the truth.
            FallBackToGet(repository.Registry, "leaves Docker-Content-Digest, Content-Type or Content-Length out of HEAD");
            return (await GetManifestAsync(repository, reference, cancellationToken).ConfigureAwait(false)).ToDescriptor();
        }
        return new Descriptor(mediaType, digest, size.Value);
    }

    private void FallBackToGet(string registry, string why)
    {
        if (_headless.TryAdd(registry, true) && debugLog is not null)
        {
            lock (debugLog)
            {
                debugLog.WriteLine($"debug: {registry} {why}: its manifests are checked with GET from now on");
            }
        }
    }

    private async Task<Descriptor?> GetManifestOrNullAsync(RepositoryAccess repository, string reference, CancellationToken cancellationToken)
    {
        try
        {
            return (await GetManifestAsync(repository, reference, cancellationToken).ConfigureAwait(false)).ToDescriptor();
        }
        catch (RegistryException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// GET a manifest's exact bytes. When <paramref name="reference"/> is a digest, the bytes must hash to it.
    /// </summary>
    public async Task<ManifestDocument> GetManifestAsync(RepositoryAccess repository, string reference, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, Url(repository, $"manifests/{reference}"), repository);
        AcceptManifests(request);
        Usage.For(repository.Registry).CountManifestGet();
        using var response = await SendAsync(request, cancellationToken, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await RegistryException.FromResponseAsync($"GET manifest {repository}:{reference}", response, cancellationToken).ConfigureAwait(false);
        }
        if (response.Content.Headers.ContentLength > MaxManifestBytes)
        {
            throw new RegistryException($"GET manifest {repository}:{reference}: larger than {MaxManifestBytes / 1024 / 1024} MiB");
        }
        var raw = await ResponseBody.ReadAllAsync(response, MaxManifestBytes, $"GET manifest {repository}:{reference}", cancellationToken).ConfigureAwait(false);
        ManifestDocument manifest;
        try
        {
            manifest = ManifestDocument.Parse(raw, response.Content.Headers.ContentType?.MediaType);
        }
        catch (InvalidDataException e)
        {
            throw new RegistryException($"{repository}:{reference}: {e.Message}");
        }
        if (Digest.TryParse(reference, out var expected, out _) && manifest.Digest != expected)
        {
            throw new DigestMismatchException($"manifest {repository}@{reference}", expected, manifest.Digest.ToString());
        }
        return manifest;
    }

    /// <summary>PUT a manifest as its exact bytes with its exact media type, by digest or by tag.</summary>
    public async Task PutManifestAsync(RepositoryAccess repository, string reference, ManifestDocument manifest, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Put, Url(repository, $"manifests/{reference}"), repository);
        request.Content = new ByteArrayContent(manifest.Raw);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(manifest.MediaType);
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var refused = await RegistryException.FromResponseAsync($"PUT manifest {repository}:{reference}", response, cancellationToken).ConfigureAwait(false);
            if (manifest.Raw.Length > AzureMaxManifestBytes)
            {
                // Azure Container Registry takes manifests of at most 4 MiB (its service limits); our bound is 8 MiB.
                throw new RegistryException($"{refused.Message} (the manifest is {manifest.Raw.Length / 1024.0 / 1024:0.0} MiB; some registries take at most 4 MiB, Azure Container Registry among them)", refused.StatusCode, refused.Codes, retryAfter: refused.RetryAfter);
            }
            throw refused;
        }
        if (response.Headers.TryGetValues("Docker-Content-Digest", out var values) && values.FirstOrDefault() is { } returned && returned != manifest.Digest.ToString())
        {
            throw new DigestMismatchException($"PUT manifest {repository}:{reference}: the registry stored", manifest.Digest, returned);
        }
    }
}

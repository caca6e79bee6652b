using System.Net;
using System.Net.Http.Headers;
using ImageSync.References;
using ImageSync.Registry.Http;

namespace ImageSync.Registry;

/// <summary>The result of starting an upload: the blob was mounted, or here is the session to PUT to.</summary>
public sealed record UploadStart(bool Mounted, Uri? Session);

public sealed partial class RegistryClient
{
    /// <summary>HEAD a blob: true on 200, false on 404, an exception otherwise (fail closed).</summary>
    public async Task<bool> BlobExistsAsync(RepositoryAccess repository, Digest digest, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Head, Url(repository, $"blobs/{digest}"), repository);
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        if (!response.IsSuccessStatusCode)
        {
            throw await RegistryException.FromResponseAsync($"HEAD blob {repository}@{digest}", response, cancellationToken).ConfigureAwait(false);
        }
        return true;
    }

    /// <summary>
    /// Streams a blob, verified against its descriptor while it is read and resumed with Range after a dropped
    /// connection.
    /// </summary>
    public async Task<Stream> OpenBlobAsync(RepositoryAccess repository, Descriptor blob, CancellationToken cancellationToken)
    {
        var first = await OpenBlobAtAsync(repository, blob, 0, cancellationToken).ConfigureAwait(false);
        var resumable = new ResumableStream(first, blob.Size, (offset, ct) => OpenBlobAtAsync(repository, blob, offset, ct));
        return new VerifyingStream(resumable, blob, $"blob {repository}@{blob.Digest}");
    }

    private async Task<Stream> OpenBlobAtAsync(RepositoryAccess repository, Descriptor blob, long offset, CancellationToken cancellationToken)
    {
        var request = Request(HttpMethod.Get, Url(repository, $"blobs/{blob.Digest}"), repository);
        if (offset > 0)
        {
            request.Headers.Range = new RangeHeaderValue(offset, null);
        }
        var response = await SendAsync(request, cancellationToken, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        try
        {
            if (!response.IsSuccessStatusCode)
            {
                throw await RegistryException.FromResponseAsync($"GET blob {repository}@{blob.Digest}", response, cancellationToken).ConfigureAwait(false);
            }
            if (offset > 0 && (response.StatusCode != HttpStatusCode.PartialContent || response.Content.Headers.ContentRange?.From != offset))
            {
                throw new RegistryException($"GET blob {repository}@{blob.Digest}: the registry cannot resume at byte {offset}");
            }
            if (response.Content.Headers.ContentLength is { } length && length != blob.Size - offset)
            {
                throw new RegistryException($"GET blob {repository}@{blob.Digest}: {length} bytes served, the descriptor says {blob.Size - offset}");
            }
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return new ResponseStream(stream, response, request);
        }
        catch
        {
            response.Dispose();
            request.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Starts an upload: a cross-repository mount when the source lives behind the same endpoint (201: done; 202: the
    /// registry opened a normal session instead). Body-less, so this is also where authentication happens before
    /// any blob bytes are sent.
    /// </summary>
    public async Task<UploadStart> StartUploadAsync(RepositoryAccess target, Digest? mount, RepositoryAccess? from, CancellationToken cancellationToken)
    {
        var query = mount is { } d && from is not null ? $"?mount={Uri.EscapeDataString(d.ToString())}&from={Uri.EscapeDataString(from.Repository)}" : "";
        using var request = from is not null && mount is not null
            ? Request(HttpMethod.Post, Url(target, "blobs/uploads/" + query), target, $"repository:{from.Repository}:pull")
            : Request(HttpMethod.Post, Url(target, "blobs/uploads/"), target);
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Created && query.Length > 0)
        {
            return new UploadStart(true, null);
        }
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw await RegistryException.FromResponseAsync($"POST upload {target}", response, cancellationToken).ConfigureAwait(false);
        }
        return new UploadStart(false, Location(response) ?? throw new RegistryException($"POST upload {target}: no Location in the answer"));
    }

    /// <summary>Completes an upload in one PUT with the streamed body and its digest (distribution 2.8 and the big registries).</summary>
    public async Task CompleteUploadAsync(RepositoryAccess target, Uri session, Stream body, Descriptor blob, CancellationToken cancellationToken)
    {
        var uri = WithQuery(session, "digest", blob.Digest.ToString());
        using var request = Request(HttpMethod.Put, uri, target);
        request.Options.Set(RegistryRequestOptions.OneShotBody, true);
        request.Content = new StreamContent(body, 128 * 1024);
        request.Content.Headers.ContentLength = blob.Size;
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(MediaTypes.OctetStream);
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.NoContent))
        {
            throw await RegistryException.FromResponseAsync($"PUT blob {target}@{blob.Digest}", response, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Cancels an upload session; failures are ignored, the registry purges stale sessions itself.</summary>
    public async Task CancelUploadAsync(RepositoryAccess target, Uri session)
    {
        try
        {
            using var request = Request(HttpMethod.Delete, session, target);
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            using var response = await http.SendAsync(request, cancel.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or RegistryException)
        {
            // Best effort only.
        }
    }

    private static Uri? Location(HttpResponseMessage response)
    {
        var location = response.Headers.Location;
        if (location is null)
        {
            return null;
        }
        // Relative Locations resolve against the request; the query (2.8's signed _state) is kept.
        return location.IsAbsoluteUri ? location : new Uri(response.RequestMessage!.RequestUri!, location);
    }

    private static Uri WithQuery(Uri uri, string key, string value)
    {
        var separator = string.IsNullOrEmpty(uri.Query) ? "?" : "&";
        return new Uri(uri.AbsoluteUri + separator + key + "=" + Uri.EscapeDataString(value));
    }

    /// <summary>Keeps the response (and its connection) alive as long as its body is being read.</summary>
    private sealed class ResponseStream(Stream inner, HttpResponseMessage response, HttpRequestMessage request) : ReadOnlyStream
    {
        public override long Length => inner.Length;

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                response.Dispose();
                request.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}

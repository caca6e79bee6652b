using ImageSync.Common;
using System.Net;
using System.Net.Http.Headers;
using ImageSync.References;
using ImageSync.Registry.Http;

namespace ImageSync.Registry;

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
        var resumable = new ResumableStream(first, blob.Size, (offset, ct) => OpenBlobAtAsync(repository, blob, offset, ct), _retry);
        return new VerifyingStream(resumable, blob, $"blob {repository}@{blob.Digest}");
    }

    private async Task<Stream> OpenBlobAtAsync(RepositoryAccess repository, Descriptor blob, long offset, CancellationToken cancellationToken)
    {
        var request = Request(HttpMethod.Get, Url(repository, $"blobs/{blob.Digest}"), repository);
        request.Options.Set(RegistryRequestOptions.StreamedBody, true);
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
            var refused = await RegistryException.FromResponseAsync($"POST upload {target}", response, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound && refused.Codes.Contains("NAME_UNKNOWN"))
            {
                // Amazon ECR and Artifact Registry (and registries configured like them) do not create repositories on push.
                throw new RegistryException($"the repository {target.Repository} does not exist in {target.Registry}, and this registry does not create it on push: {MissingRepositoryHint.For(target)}. {refused.Message}", response.StatusCode, refused.Codes);
            }
            throw refused;
        }
        return SessionOpened(response, $"POST upload {target}");
    }

    /// <summary>A 202 to a POST: the session's Location, and the smallest chunk it takes when it says.</summary>
    private static UploadStart SessionOpened(HttpResponseMessage response, string what)
    {
        long? chunkMin = response.Headers.TryGetValues("OCI-Chunk-Min-Length", out var values) && long.TryParse(values.FirstOrDefault(), out var min) && min > 0 ? min : null;
        return new UploadStart(false, Location(response) ?? throw new RegistryException($"{what}: no Location in the answer"), chunkMin);
    }

    /// <summary>
    /// Uploads a blob in one request: <c>POST .../blobs/uploads/?digest=</c> with the body (distribution spec, "Pushing
    /// a blob monolithically", single POST). 201: stored (<see cref="UploadStart.Stored"/>). 202: the registry does not
    /// do that and opened a session instead, which the spec says to finish with a PUT (distribution 2.8 does this,
    /// leaving the body unread). A body other than bytes in memory cannot be sent again, here or by the handlers.
    /// </summary>
    public async Task<UploadStart> PostBlobAsync(RepositoryAccess target, Descriptor blob, HttpContent body, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Post, WithQuery(Url(target, "blobs/uploads/"), "digest", blob.Digest.ToString()), target);
        request.Options.Set(RegistryRequestOptions.OneShotBody, body is not ByteArrayContent);
        request.Content = body;
        request.Content.Headers.ContentLength = blob.Size;
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(MediaTypes.OctetStream);
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Created)
        {
            return new UploadStart(false, null, Stored: true);
        }
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw await RegistryException.FromResponseAsync($"POST blob {target}@{blob.Digest}", response, cancellationToken).ConfigureAwait(false);
        }
        return SessionOpened(response, $"POST blob {target}");
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

    /// <summary>
    /// Uploads in chunks, for registries that refuse one large PUT (413) or ask for chunks: each PATCH but the last
    /// carries <paramref name="chunkSize"/> bytes with a bare <c>Content-Range: start-end</c> and answers with the next
    /// Location; the last part goes in the closing PUT with the digest, as the OCI spec allows. That is what Amazon
    /// ECR needs: it answers a PATCH with 201 rather than 202, its <c>Range</c> answer stops advancing after the first
    /// part (aws/containers-roadmap#2831), so the offset is ours, never the registry's; parts other than the last
    /// must be at least 5 MiB (S3 multipart underneath; the chunk is 8 MiB or more); and an empty closing PUT gets a
    /// 500 with no message (openai/tart#159, #273). Memory use is one chunk.
    /// </summary>
    public async Task CompleteUploadInChunksAsync(RepositoryAccess target, Uri session, Stream body, Descriptor blob, int chunkSize, CancellationToken cancellationToken)
    {
        // A blob smaller than a chunk needs only its own size: blobs that small go without a transfer slot, many at once.
        chunkSize = (int)Math.Min(chunkSize, Math.Max(blob.Size, 1));
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(chunkSize);
        try
        {
            var location = session;
            long offset = 0;
            var last = 0;
            while (offset < blob.Size)
            {
                var n = await body.ReadAtLeastAsync(buffer.AsMemory(0, chunkSize), chunkSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    throw new IOException($"blob {blob.Digest}: the source ended after {offset} of {blob.Size} bytes");
                }
                if (offset + n >= blob.Size)
                {
                    last = n;
                    break;
                }
                using var request = Request(HttpMethod.Patch, location, target);
                // A PATCH that failed half-way may have appended; the whole blob is retried with a new session instead.
                request.Options.Set(RegistryRequestOptions.OneShotBody, true);
                request.Content = new ByteArrayContent(buffer, 0, n);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(MediaTypes.OctetStream);
                request.Content.Headers.TryAddWithoutValidation("Content-Range", $"{offset}-{offset + n - 1}");
                using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (response.StatusCode is not (HttpStatusCode.Accepted or HttpStatusCode.Created))
                {
                    throw await RegistryException.FromResponseAsync($"PATCH blob {target}@{blob.Digest} at {offset}", response, cancellationToken).ConfigureAwait(false);
                }
                location = Location(response) ?? location;
                offset += n;
            }
            using var close = Request(HttpMethod.Put, WithQuery(location, "digest", blob.Digest.ToString()), target);
            close.Options.Set(RegistryRequestOptions.OneShotBody, true);
            close.Content = new ByteArrayContent(buffer, 0, last);
            close.Content.Headers.ContentType = new MediaTypeHeaderValue(MediaTypes.OctetStream);
            using var closed = await SendAsync(close, cancellationToken).ConfigureAwait(false);
            if (closed.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.NoContent))
            {
                throw await RegistryException.FromResponseAsync($"PUT blob {target}@{blob.Digest} at {offset}", closed, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Cancels an upload session; failures are ignored, the registry purges stale sessions itself.</summary>
    /// <summary>
    /// Cancels an upload session (DELETE, distribution spec "Canceling an upload"), within 10 s of its own whatever
    /// cancelled the run. Null when the registry took it, or answered 404: the Registry HTTP API V2 ("Cancel Blob
    /// Upload") says the client may then assume the upload deleted, and distribution 2.8 answers 404 (upload invalid)
    /// to a session whose PUT was cut short while it removes that upload. Otherwise why not, for the run to say that
    /// the session's bytes stay in the registry until it expires them.
    /// </summary>
    public async Task<string?> CancelUploadAsync(RepositoryAccess target, Uri session)
    {
        try
        {
            using var request = Request(HttpMethod.Delete, session, target);
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            using var response = await http.SendAsync(request, cancel.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotFound ? null : $"{(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or RegistryException)
        {
            return e is OperationCanceledException ? "no answer in 10 s" : Output.Untrusted.Line(e.Message);
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
        var from = response.RequestMessage!.RequestUri!;
        var resolved = location.IsAbsoluteUri ? location : new Uri(from, location);
        // The layer bytes follow this Location (private images too): an https registry cannot send them over plain
        // http, to itself or to another host, and no registry can send them anywhere but http(s).
        if (resolved.Scheme is not ("http" or "https") || (from.Scheme == Uri.UriSchemeHttps && resolved.Scheme != Uri.UriSchemeHttps))
        {
            throw new RegistryException($"{response.RequestMessage.Method} upload to {from.Authority}: the registry's Location sends the upload to {Output.Untrusted.Line(resolved.Scheme, 20)}://{Output.Untrusted.Line(resolved.Authority, 100)}; an https registry's uploads stay on https, so no blob bytes were sent");
        }
        return resolved;
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

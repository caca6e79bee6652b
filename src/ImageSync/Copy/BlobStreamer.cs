using System.Collections.Concurrent;
using System.Net;
using ImageSync.Registry;

namespace ImageSync.Copy;

/// <summary>
/// Moves one blob's bytes from the source to a target repository that does not have it, with as few round trips
/// after each other as the registry allows: one POST carrying the blob where the registry takes that; else the
/// upload POST and the source GET at once, then the PUT (or the chunks, for registries that want them). The caller
/// holds a transfer slot around this; everything before (HEAD, mount) is the caller's and holds none.
/// </summary>
internal sealed class BlobStreamer(RegistryClient client, RunProgress progress)
{
    private const int DefaultChunkSize = 8 * 1024 * 1024;
    private const int MaxChunkSize = 256 * 1024 * 1024;
    // The blob that asks a registry whether it takes a single POST is read into memory first, so a refusal costs no
    // second GET; distribution 2.8 reads and drops up to 256 KiB of a body it did not want and keeps the connection.
    private const int ProbeMaxBytes = 256 * 1024;

    // Endpoints that refused a whole blob in one PUT: later blobs go there in chunks straight away.
    private readonly ConcurrentDictionary<Uri, bool> _needsChunks = new();

    public void NeedsChunks(RepositoryAccess target) => _needsChunks[Endpoint(target)] = true;

    /// <param name="opened">The session a refused mount opened, when there is one.</param>
    public async Task SendAsync(RepositoryAccess source, RepositoryAccess target, Descriptor blob, UploadStart? opened, CancellationToken cancellationToken)
    {
        var endpoint = Endpoint(target);
        if (opened is null && !_needsChunks.ContainsKey(endpoint))
        {
            var accepts = client.SinglePost.Accepts(endpoint);
            if (accepts == true)
            {
                opened = await SinglePostAsync(source, target, blob, cancellationToken).ConfigureAwait(false);
                if (opened is null)
                {
                    return;
                }
            }
            else if (accepts is null && blob.Size is > 0 and <= ProbeMaxBytes && client.SinglePost.TryProbe(endpoint))
            {
                await ProbeAsync(source, target, blob, cancellationToken).ConfigureAwait(false);
                return;
            }
        }
        await PostThenPutAsync(source, target, blob, opened, cancellationToken).ConfigureAwait(false);
    }

    private Uri Endpoint(RepositoryAccess target) => client.Endpoints.BaseUri(target.Registry);

    /// <summary>
    /// The blob in one POST, its body read from the source GET started with it. Null when stored; else the session
    /// the registry opened instead (it no longer takes them), which the caller finishes with a GET of its own.
    /// </summary>
    private async Task<UploadStart?> SinglePostAsync(RepositoryAccess source, RepositoryAccess target, Descriptor blob, CancellationToken cancellationToken)
    {
        var body = new CountingStream(new DeferredStream(client.OpenBlobAsync(source, blob, cancellationToken)), progress.Uploaded);
        try
        {
            var answer = await client.PostBlobAsync(target, blob, new StreamContent(body, 128 * 1024), cancellationToken).ConfigureAwait(false);
            if (answer.Stored)
            {
                return null;
            }
            client.SinglePost.Record(Endpoint(target), false, "answered a blob in one POST with an upload session (202)");
            await body.StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            progress.Uploaded(-body.Count);
            return answer;
        }
        catch
        {
            await body.StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            progress.Uploaded(-body.Count);
            throw;
        }
        finally
        {
            await body.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The first small blob for an endpoint asks whether it takes a single POST. It is read whole first, so when the
    /// registry opens a session instead (202), or refuses the form outright, the same bytes go by PUT.
    /// </summary>
    private async Task ProbeAsync(RepositoryAccess source, RepositoryAccess target, Descriptor blob, CancellationToken cancellationToken)
    {
        var endpoint = Endpoint(target);
        UploadStart answer;
        byte[] bytes;
        try
        {
            bytes = new byte[blob.Size];
            await using (var stream = await client.OpenBlobAsync(source, blob, cancellationToken).ConfigureAwait(false))
            {
                await stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
            }
            try
            {
                answer = await client.PostBlobAsync(target, blob, new ByteArrayContent(bytes), cancellationToken).ConfigureAwait(false);
            }
            catch (RegistryException e) when (RefusesTheForm(e))
            {
                client.SinglePost.Record(endpoint, false, $"refused a blob in one POST ({(int)e.StatusCode!})");
                answer = await client.StartUploadAsync(target, null, null, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            client.SinglePost.Abandon(endpoint);
            throw;
        }
        if (answer.Stored)
        {
            client.SinglePost.Record(endpoint, true, "took a blob in one POST (201)");
            progress.Uploaded(bytes.Length);
            return;
        }
        client.SinglePost.Record(endpoint, false, "answered a blob in one POST with an upload session (202)");
        var session = answer.Session!;
        try
        {
            await PutAsync(target, blob, answer, new MemoryStream(bytes, writable: false), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            progress.UploadSessionClosed(await client.CancelUploadAsync(target, session).ConfigureAwait(false), $"{target}@{blob.Digest}");
            throw;
        }
        progress.Uploaded(bytes.Length);
    }

    /// <summary>
    /// What a registry that knows only POST + PUT may answer to a POST with a body and digest=: not an error about
    /// this repository or our credentials, which the ordinary POST would get too and should report.
    /// </summary>
    private static bool RefusesTheForm(RegistryException e) =>
        e.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.MethodNotAllowed or HttpStatusCode.UnsupportedMediaType
            or HttpStatusCode.NotImplemented or HttpStatusCode.RequestEntityTooLarge
        || (e.StatusCode == HttpStatusCode.NotFound && !e.Codes.Contains("NAME_UNKNOWN"));

    /// <summary>
    /// POST and GET at once, then the PUT: the session and the source's first bytes are on their way together. The
    /// GET's answer is awaited before the PUT is sent, so a source that refuses costs the target nothing but the
    /// session, which is cancelled.
    /// </summary>
    private async Task PostThenPutAsync(RepositoryAccess source, RepositoryAccess target, Descriptor blob, UploadStart? opened, CancellationToken cancellationToken)
    {
        var posting = opened is not null ? Task.FromResult(opened) : client.StartUploadAsync(target, null, null, cancellationToken);
        var reading = new DeferredStream(client.OpenBlobAsync(source, blob, cancellationToken));
        var body = new CountingStream(reading, progress.Uploaded);
        Uri? session = null;
        try
        {
            var start = await posting.ConfigureAwait(false);
            session = start.Session!;
            await reading.Opened.ConfigureAwait(false);
            await PutAsync(target, blob, start, body, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // The PUT first, then its session: a DELETE that arrives while the PUT still sends finds the session
            // busy or moved on, and leaves the bytes in the target's _uploads. Bytes sent for nothing are no
            // longer counted as uploaded.
            await body.StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            progress.Uploaded(-body.Count);
            if (session is not null)
            {
                progress.UploadSessionClosed(await client.CancelUploadAsync(target, session).ConfigureAwait(false), $"{target}@{blob.Digest}");
            }
            throw;
        }
        finally
        {
            await body.DisposeAsync().ConfigureAwait(false);
        }
    }

    private Task PutAsync(RepositoryAccess target, Descriptor blob, UploadStart start, Stream body, CancellationToken cancellationToken)
    {
        if (start.ChunkMinLength is not null || _needsChunks.ContainsKey(Endpoint(target)))
        {
            var chunk = (int)Math.Min(Math.Max(start.ChunkMinLength ?? DefaultChunkSize, DefaultChunkSize), MaxChunkSize);
            return client.CompleteUploadInChunksAsync(target, start.Session!, body, blob, chunk, cancellationToken);
        }
        return client.CompleteUploadAsync(target, start.Session!, body, blob, cancellationToken);
    }
}

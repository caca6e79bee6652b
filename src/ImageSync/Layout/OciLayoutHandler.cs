using System.Net;
using System.Net.Http.Headers;
using ImageSync.References;
using ImageSync.Registry;

namespace ImageSync.Layout;

/// <summary>
/// Serves the run's OCI layouts to <see cref="RegistryClient"/> as the distribution API, so every copy rule (present
/// blobs skipped, digests verified, blobs before manifests before the tag, a subject before its referrers) holds for a
/// layout unchanged. It sits above the network stack and answers a layout's requests itself, from files: they never
/// meet retries, throttling, redirects, credentials or timeouts, and never reach a socket. A request for a layout name
/// the run does not know is refused; every other request goes on down the stack.
/// </summary>
public sealed class OciLayoutHandler(IReadOnlyDictionary<string, OciLayout> layouts, TextWriter? debugLog = null) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        if (!LayoutReference.IsLayoutRegistry(uri.Host))
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        if (!layouts.TryGetValue(uri.Host, out var layout))
        {
            throw new RegistryException($"{request.Method} {uri.Host}: no OCI layout of this run has that name");
        }
        HttpResponseMessage response;
        try
        {
            response = LayoutRoute.Parse(uri) is { } route
                ? await AnswerAsync(layout, route, request, cancellationToken).ConfigureAwait(false)
                : LayoutAnswer.Error(HttpStatusCode.NotFound, "UNSUPPORTED", "not a route an OCI layout answers");
        }
        catch (LayoutRefusalException refusal)
        {
            response = LayoutAnswer.Error(refusal.Status, refusal.Code, refusal.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RegistryException($"{request.Method} {layout.Name}: {e.Message}", inner: e);
        }
        response.RequestMessage = request;
        if (debugLog is not null)
        {
            lock (debugLog)
            {
                debugLog.WriteLine($"debug: {request.Method} {layout.Name} {uri.AbsolutePath[("/v2/" + LayoutReference.Repository + "/").Length..]} -> {(int)response.StatusCode} (from files)");
            }
        }
        return response;
    }

    private static async Task<HttpResponseMessage> AnswerAsync(OciLayout layout, LayoutRoute route, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var method = request.Method;
        if (method != HttpMethod.Get && method != HttpMethod.Head && !layout.Writable)
        {
            return LayoutAnswer.Error(HttpStatusCode.Forbidden, "DENIED", $"{layout.Name} is an upstream of this run; imagesync writes only to targets");
        }
        return (route.Kind, method.Method) switch
        {
            (LayoutRouteKind.Manifest, "HEAD" or "GET") => await ManifestAsync(layout, route.Argument, method == HttpMethod.Get, cancellationToken).ConfigureAwait(false),
            (LayoutRouteKind.Manifest, "PUT") => await PutManifestAsync(layout, route.Argument, request, cancellationToken).ConfigureAwait(false),
            (LayoutRouteKind.Blob, "HEAD") => layout.HasBlob(route.Digest) ? BlobHead(route.Digest) : BlobUnknown(route.Digest),
            (LayoutRouteKind.Blob, "GET") => layout.HasBlob(route.Digest) ? Blob(layout, route.Digest, request) : BlobUnknown(route.Digest),
            // A mount between layouts is never needed: 202 opens a session, which the spec allows in place of a mount.
            (LayoutRouteKind.StartUpload, "POST") => LayoutAnswer.Located(HttpStatusCode.Accepted, UploadUri(request, await layout.StartUploadAsync(cancellationToken).ConfigureAwait(false)), uploaded: 0),
            (LayoutRouteKind.Upload, "PATCH") => await AppendAsync(layout, route.Argument, request, cancellationToken).ConfigureAwait(false),
            (LayoutRouteKind.Upload, "PUT") => await CompleteAsync(layout, route.Argument, request, cancellationToken).ConfigureAwait(false),
            (LayoutRouteKind.Upload, "DELETE") => layout.EndUpload(route.Argument) ? LayoutAnswer.Status(HttpStatusCode.NoContent) : UploadUnknown(),
            (LayoutRouteKind.Tags, "GET") => LayoutAnswer.Tags((await layout.ReadIndexAsync(cancellationToken).ConfigureAwait(false)).Select(e => e.Tag).OfType<string>().Distinct(StringComparer.Ordinal)),
            // No referrers API (the spec's 404): the copier reads the referrers fallback tag instead, which a layout keeps.
            (LayoutRouteKind.Referrers, "GET") => LayoutAnswer.Error(HttpStatusCode.NotFound, "UNSUPPORTED", "an OCI layout has no referrers API"),
            _ => LayoutAnswer.Error(HttpStatusCode.MethodNotAllowed, "UNSUPPORTED", $"{method} is not answered here"),
        };
    }

    private static async Task<HttpResponseMessage> ManifestAsync(OciLayout layout, string reference, bool withBody, CancellationToken cancellationToken)
    {
        if (await layout.FindManifestAsync(reference, cancellationToken).ConfigureAwait(false) is not { } found)
        {
            return LayoutAnswer.Error(HttpStatusCode.NotFound, "MANIFEST_UNKNOWN", $"{reference} is not in {layout.Name}");
        }
        if (!withBody)
        {
            return LayoutAnswer.Manifest(found.Digest, found.MediaType, found.Size, null);
        }
        var manifest = await layout.ReadManifestAsync(found.Digest, found.MediaType, cancellationToken).ConfigureAwait(false);
        return LayoutAnswer.Manifest(manifest.Digest, found.MediaType, manifest.Raw.LongLength, manifest.Raw);
    }

    private static async Task<HttpResponseMessage> PutManifestAsync(OciLayout layout, string reference, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var raw = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var digest = await layout.PutManifestAsync(raw, request.Content?.Headers.ContentType?.MediaType, reference, cancellationToken).ConfigureAwait(false);
        return LayoutAnswer.Located(HttpStatusCode.Created, new Uri(request.RequestUri!, digest.ToString()), digest);
    }

    private static HttpResponseMessage BlobHead(Digest digest)
    {
        // No Content-Length: HttpClient would refuse to "buffer" the empty answer of a blob over 2 GiB.
        var response = LayoutAnswer.Status(HttpStatusCode.OK);
        response.Headers.Add("Docker-Content-Digest", digest.ToString());
        return response;
    }

    private static HttpResponseMessage Blob(OciLayout layout, Digest digest, HttpRequestMessage request)
    {
        var length = new FileInfo(layout.Paths.Blob(digest)).Length;
        var offset = request.Headers.Range?.Ranges.FirstOrDefault() is { From: { } from, To: null } ? from : 0;
        if (offset < 0 || offset > length)
        {
            return LayoutAnswer.Error(HttpStatusCode.RequestedRangeNotSatisfiable, "BLOB_UNKNOWN", $"no byte {offset}");
        }
        // A file of no bytes is not opened (a pipe would block); a blob of size 0 is rare and legal.
        Stream body = length == 0 ? new MemoryStream([], writable: false) : layout.OpenBlob(digest);
        body.Seek(offset, SeekOrigin.Begin);
        var response = new HttpResponseMessage(offset > 0 ? HttpStatusCode.PartialContent : HttpStatusCode.OK) { Content = new StreamContent(body, 128 * 1024) };
        response.Content.Headers.ContentLength = length - offset;
        response.Content.Headers.ContentType = new MediaTypeHeaderValue(MediaTypes.OctetStream);
        if (offset > 0)
        {
            response.Content.Headers.ContentRange = new ContentRangeHeaderValue(offset, length - 1, length);
        }
        response.Headers.Add("Docker-Content-Digest", digest.ToString());
        return response;
    }

    private static async Task<HttpResponseMessage> AppendAsync(OciLayout layout, string id, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (layout.Upload(id) is not { } upload)
        {
            return UploadUnknown();
        }
        await AppendBodyAsync(upload, request, cancellationToken).ConfigureAwait(false);
        return LayoutAnswer.Located(HttpStatusCode.Accepted, UploadUri(request, id), uploaded: upload.Length);
    }

    private static async Task<HttpResponseMessage> CompleteAsync(OciLayout layout, string id, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (layout.Upload(id) is not { } upload)
        {
            return UploadUnknown();
        }
        var query = System.Web.HttpUtility.ParseQueryString(request.RequestUri!.Query);
        if (!Digest.TryParse(query["digest"], out var digest, out var error))
        {
            return LayoutAnswer.Error(HttpStatusCode.BadRequest, "DIGEST_INVALID", error);
        }
        try
        {
            await AppendBodyAsync(upload, request, cancellationToken).ConfigureAwait(false);
            if (!upload.Commit(digest))
            {
                return LayoutAnswer.Error(HttpStatusCode.BadRequest, "DIGEST_INVALID", $"the uploaded bytes are not {digest}");
            }
        }
        finally
        {
            // Committed or refused, the session is over; a failed PUT's bytes are never kept.
            layout.EndUpload(id);
        }
        return LayoutAnswer.Located(HttpStatusCode.Created, new Uri(request.RequestUri!, $"/v2/{LayoutReference.Repository}/blobs/{digest}"), digest);
    }

    private static async Task AppendBodyAsync(LayoutUpload upload, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is null)
        {
            return;
        }
        await using var body = await request.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await upload.AppendAsync(body, cancellationToken).ConfigureAwait(false);
    }

    private static Uri UploadUri(HttpRequestMessage request, string id) => new(request.RequestUri!, $"/v2/{LayoutReference.Repository}/blobs/uploads/{id}");

    private static HttpResponseMessage BlobUnknown(Digest digest) => LayoutAnswer.Error(HttpStatusCode.NotFound, "BLOB_UNKNOWN", $"{digest} is not in the layout");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var layout in layouts.Values)
            {
                layout.Dispose();
            }
        }
        base.Dispose(disposing);
    }

    private static HttpResponseMessage UploadUnknown() => LayoutAnswer.Error(HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN", "no such upload");
}

using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ImageSync.References;

namespace ImageSync.Layout;

/// <summary>The distribution API's answers as a layout gives them: the headers RegistryClient reads, errors in the spec's JSON shape.</summary>
internal static class LayoutAnswer
{
    public static HttpResponseMessage Status(HttpStatusCode status) => new(status) { Content = new ByteArrayContent([]) };

    /// <summary>A manifest: its digest, media type and size, and its bytes for a GET.</summary>
    public static HttpResponseMessage Manifest(Digest digest, string mediaType, long size, byte[]? body)
    {
        var response = Status(HttpStatusCode.OK);
        response.Content = new ByteArrayContent(body ?? []);
        response.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        response.Content.Headers.ContentLength = size;
        response.Headers.Add("Docker-Content-Digest", digest.ToString());
        return response;
    }

    public static HttpResponseMessage Located(HttpStatusCode status, Uri location, Digest? digest = null, long? uploaded = null)
    {
        var response = Status(status);
        response.Headers.Location = location;
        if (digest is { } d)
        {
            response.Headers.Add("Docker-Content-Digest", d.ToString());
        }
        if (uploaded is { } n)
        {
            response.Headers.TryAddWithoutValidation("Range", $"0-{Math.Max(0, n - 1)}");
        }
        return response;
    }

    /// <summary>distribution-spec "Error Codes": <c>{"errors":[{"code","message"}]}</c>.</summary>
    public static HttpResponseMessage Error(HttpStatusCode status, string code, string message)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("errors");
            writer.WriteStartObject();
            writer.WriteString("code", code);
            writer.WriteString("message", message);
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        var response = new HttpResponseMessage(status) { Content = new ByteArrayContent(buffer.ToArray()) };
        response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return response;
    }

    /// <summary>The tag list, one page: a layout's index.json is read whole anyway.</summary>
    public static HttpResponseMessage Tags(IEnumerable<string> tags)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("name", LayoutReference.Repository);
            writer.WriteStartArray("tags");
            foreach (var tag in tags)
            {
                writer.WriteStringValue(tag);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(buffer.ToArray()) };
        response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return response;
    }
}

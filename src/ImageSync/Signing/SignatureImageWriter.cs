using System.Globalization;
using System.Text.Json;
using ImageSync.References;
using ImageSync.Registry;
using ImageSync.Verification;

namespace ImageSync.Signing;

/// <summary>
/// Writes the <c>sha256-&lt;hex&gt;.sig</c> manifest as cosign does (cosign <c>pkg/oci/empty</c>: an OCI image
/// manifest with an OCI config; <c>pkg/oci/static</c>: one layer per signature, media type
/// <c>application/vnd.dev.cosign.simplesigning.v1+json</c>, the payload its bytes, the base64 signature in the
/// layer annotation <c>dev.cosignproject.cosign/signature</c>; <c>pkg/oci/mutate</c> AppendSignatures: a new
/// signature is appended to the layers already there, so signatures copied from upstream stay beside ours).
/// </summary>
public static class SignatureImageWriter
{
    public const string OciConfigMediaType = "application/vnd.oci.image.config.v1+json";
    public const string DockerConfigMediaType = "application/vnd.docker.container.image.v1+json";

    /// <summary>Go's encoding/json writes '+' as it is; the default encoder would write <c>\u002B</c> in every media type.</summary>
    internal static readonly JsonWriterOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <param name="existing">The manifest at the .sig tag now, or null when there is none.</param>
    /// <param name="created">The config's <c>created</c>: cosign stamps the signing time there.</param>
    /// <exception cref="InvalidDataException">The existing manifest is not an image manifest one can append to.</exception>
    public static SignatureImage Append(byte[]? existing, byte[] payload, byte[] signature, DateTimeOffset created)
    {
        using var document = existing is null ? null : Parse(existing);
        var root = document?.RootElement;
        var mediaType = root is { } r && r.TryGetProperty("mediaType", out var mt) && mt.ValueKind == JsonValueKind.String ? mt.GetString()! : MediaTypes.OciManifest;
        var kept = root is { } k && k.TryGetProperty("layers", out var layers) && layers.ValueKind == JsonValueKind.Array ? [.. layers.EnumerateArray()] : new List<JsonElement>();
        var configMediaType = root is { } c && c.TryGetProperty("config", out var config) && config.ValueKind == JsonValueKind.Object && config.TryGetProperty("mediaType", out var cmt) && cmt.ValueKind == JsonValueKind.String
            ? cmt.GetString()!
            : mediaType == MediaTypes.DockerManifest ? DockerConfigMediaType : OciConfigMediaType;

        var layer = new Descriptor(SimpleSigningPayload.MediaType, Digest.Sha256(payload), payload.LongLength);
        var diffIds = kept.Select(l => l.ValueKind == JsonValueKind.Object && l.TryGetProperty("digest", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null).OfType<string>().Append(layer.Digest.ToString()).ToList();
        var configBytes = Config(diffIds, created);
        var configDescriptor = new Descriptor(configMediaType, Digest.Sha256(configBytes), configBytes.LongLength);

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Relaxed))
        {
            json.WriteStartObject();
            json.WriteNumber("schemaVersion", 2);
            json.WriteString("mediaType", mediaType);
            json.WritePropertyName("config");
            WriteDescriptor(json, configDescriptor, null);
            json.WriteStartArray("layers");
            foreach (var old in kept)
            {
                old.WriteTo(json);
            }
            WriteDescriptor(json, layer, Convert.ToBase64String(signature));
            json.WriteEndArray();
            // Whatever else the manifest said (annotations, a subject) stays as it was.
            foreach (var property in root?.EnumerateObject() ?? Enumerable.Empty<JsonProperty>())
            {
                if (property.Name is not ("schemaVersion" or "mediaType" or "config" or "layers"))
                {
                    property.WriteTo(json);
                }
            }
            json.WriteEndObject();
        }
        var manifest = ManifestDocument.Parse(buffer.ToArray(), mediaType);
        return new SignatureImage(manifest, [(configDescriptor, configBytes), (layer, payload)]);
    }

    /// <summary>
    /// The config go-containerregistry derives for an image of these layers (cosign appends to its empty image):
    /// a signature's layer is stored uncompressed, so its diff_id is its digest; one empty history entry per layer.
    /// </summary>
    private static byte[] Config(IReadOnlyList<string> diffIds, DateTimeOffset created)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Relaxed))
        {
            json.WriteStartObject();
            json.WriteString("architecture", "");
            json.WriteString("created", created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            json.WriteStartArray("history");
            foreach (var _ in diffIds)
            {
                json.WriteStartObject();
                json.WriteString("created", "0001-01-01T00:00:00Z");
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteString("os", "");
            json.WriteStartObject("rootfs");
            json.WriteString("type", "layers");
            json.WriteStartArray("diff_ids");
            foreach (var id in diffIds)
            {
                json.WriteStringValue(id);
            }
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteStartObject("config");
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void WriteDescriptor(Utf8JsonWriter json, Descriptor descriptor, string? signature)
    {
        json.WriteStartObject();
        json.WriteString("mediaType", descriptor.MediaType);
        json.WriteNumber("size", descriptor.Size);
        json.WriteString("digest", descriptor.Digest.ToString());
        if (signature is not null)
        {
            json.WriteStartObject("annotations");
            json.WriteString(CosignSignature.SignatureAnnotation, signature);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    private static JsonDocument Parse(byte[] existing)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(existing);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"the signature manifest is not valid JSON: {e.Message}", e);
        }
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || root.TryGetProperty("manifests", out _)
            || (root.TryGetProperty("mediaType", out var mt) && (mt.ValueKind != JsonValueKind.String || mt.GetString() is not (MediaTypes.OciManifest or MediaTypes.DockerManifest))))
        {
            document.Dispose();
            throw new InvalidDataException("the signature tag holds something other than an image manifest; a signature cannot be appended to it");
        }
        return document;
    }
}

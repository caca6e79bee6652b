using System.Text.Json;
using ImageSync.References;

namespace ImageSync.Registry;

/// <summary>
/// A manifest as the registry served it: the exact bytes, their media type and the digest of those bytes.
/// It is pushed as these bytes, never re-serialised, so the digest survives the copy.
/// </summary>
public sealed class ManifestDocument
{
    private ManifestDocument(byte[] raw, string mediaType, Digest digest, IReadOnlyList<Descriptor> children, IReadOnlyList<Descriptor> blobs)
    {
        Raw = raw;
        MediaType = mediaType;
        Digest = digest;
        Children = children;
        Blobs = blobs;
    }

    public byte[] Raw { get; }

    public string MediaType { get; }

    public Digest Digest { get; }

    /// <summary>For an index: the manifests it lists.</summary>
    public IReadOnlyList<Descriptor> Children { get; }

    /// <summary>For an image manifest: the config, then the layers.</summary>
    public IReadOnlyList<Descriptor> Blobs { get; }

    public bool IsIndex => MediaTypes.IsIndex(MediaType);

    public Descriptor ToDescriptor(Platform? platform = null) => new(MediaType, Digest, Raw.LongLength, platform);

    /// <summary>
    /// Parses raw bytes. The media type is the manifest's own <c>mediaType</c> field when it has one (the server's
    /// Content-Type otherwise), because that is what the registry validates on push.
    /// </summary>
    /// <summary>
    /// Far above real images (Docker stops at 127 layers, the largest public indexes list a few dozen platforms),
    /// and low enough that a hostile manifest cannot fan a run out into a flood of requests.
    /// </summary>
    public const int MaxDescriptors = 1024;

    private static void Bounded(JsonElement array, string field)
    {
        if (array.GetArrayLength() > MaxDescriptors)
        {
            throw new InvalidDataException($"the manifest lists {array.GetArrayLength()} {field}, more than the {MaxDescriptors} imagesync accepts");
        }
    }

    public static ManifestDocument Parse(byte[] raw, string? contentType)
    {
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(raw);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"the manifest is not valid JSON: {e.Message}", e);
        }
        using (json)
        {
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException("the manifest is not a JSON object");
            }
            var mediaType = root.TryGetProperty("mediaType", out var mt) && mt.ValueKind == JsonValueKind.String ? mt.GetString()! : null;
            if (root.TryGetProperty("manifests", out _) && (root.TryGetProperty("layers", out _) || root.TryGetProperty("config", out _)))
            {
                // CVE-2021-41190 (GHSA-mc8v-mgrf-8f4m): read as an index it names other manifests than it names blobs
                // read as an image, so one reading would be copied and reported while the other was never checked.
                // distribution 2.8 and containerd refuse such documents too; refused before anything is written.
                throw new InvalidDataException("the manifest carries both \"manifests\" (an index) and \"layers\"/\"config\" (an image), so what it names depends on who reads it (CVE-2021-41190); refused");
            }
            if (mediaType is null)
            {
                // OCI allows leaving mediaType out; the shape tells an index from an image manifest.
                mediaType = contentType is { Length: > 0 } && contentType != "application/json" ? contentType
                    : root.TryGetProperty("manifests", out _) ? MediaTypes.OciIndex : MediaTypes.OciManifest;
            }
            if (MediaTypes.IsSchema1(mediaType) || (root.TryGetProperty("schemaVersion", out var sv) && sv.ValueKind == JsonValueKind.Number && sv.GetInt32() == 1))
            {
                throw new InvalidDataException("Docker schema 1 manifests are deprecated and not copied");
            }
            var children = new List<Descriptor>();
            var blobs = new List<Descriptor>();
            if (MediaTypes.IsIndex(mediaType))
            {
                if (root.TryGetProperty("manifests", out var manifests) && manifests.ValueKind == JsonValueKind.Array)
                {
                    Bounded(manifests, "manifests");
                    children.AddRange(manifests.EnumerateArray().Select(ReadDescriptor));
                }
            }
            else if (MediaTypes.IsImageManifest(mediaType) || root.TryGetProperty("layers", out _))
            {
                if (root.TryGetProperty("config", out var config))
                {
                    blobs.Add(ReadDescriptor(config));
                }
                if (root.TryGetProperty("layers", out var layers) && layers.ValueKind == JsonValueKind.Array)
                {
                    Bounded(layers, "layers");
                    blobs.AddRange(layers.EnumerateArray().Select(ReadDescriptor));
                }
            }
            else
            {
                throw new InvalidDataException($"unsupported manifest media type \"{Output.Untrusted.Line(mediaType, 100)}\"");
            }
            return new ManifestDocument(raw, mediaType, Digest.Sha256(raw), children, blobs);
        }
    }

    /// <summary>
    /// A new index listing only the children <paramref name="keep"/> accepts, each child's JSON kept byte for byte.
    /// The output is deterministic, so the same selection always has the same digest and a rerun finds it in sync.
    /// </summary>
    public ManifestDocument FilterIndex(Func<Descriptor, bool> keep)
    {
        if (!IsIndex)
        {
            throw new InvalidOperationException("only an index can be filtered");
        }
        using var json = JsonDocument.Parse(Raw);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("schemaVersion", 2);
            writer.WriteString("mediaType", MediaType);
            writer.WriteStartArray("manifests");
            var children = json.RootElement.GetProperty("manifests").EnumerateArray().ToList();
            for (var i = 0; i < children.Count; i++)
            {
                if (keep(Children[i]))
                {
                    writer.WriteRawValue(children[i].GetRawText(), skipInputValidation: true);
                }
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return Parse(buffer.ToArray(), MediaType);
    }

    private static Descriptor ReadDescriptor(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object
            || !element.TryGetProperty("digest", out var d) || d.ValueKind != JsonValueKind.String
            || !element.TryGetProperty("size", out var s) || !s.TryGetInt64(out var size) || size < 0)
        {
            throw new InvalidDataException("a descriptor in the manifest lacks a valid digest or size");
        }
        if (!Digest.TryParse(d.GetString(), out var digest, out var error))
        {
            throw new InvalidDataException($"a descriptor in the manifest has a bad digest: {error}");
        }
        var mediaType = element.TryGetProperty("mediaType", out var mt) && mt.ValueKind == JsonValueKind.String ? mt.GetString()! : "";
        Platform? platform = null;
        if (element.TryGetProperty("platform", out var p) && p.ValueKind == JsonValueKind.Object
            && p.TryGetProperty("os", out var os) && p.TryGetProperty("architecture", out var arch))
        {
            var variant = p.TryGetProperty("variant", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            // Platform makes each part one short inert line, whatever the registry wrote.
            platform = new Platform(os.ValueKind == JsonValueKind.String ? os.GetString()! : "", arch.ValueKind == JsonValueKind.String ? arch.GetString()! : "",
                string.IsNullOrEmpty(variant) ? null : variant);
        }
        IReadOnlyList<string>? urls = element.TryGetProperty("urls", out var u) && u.ValueKind == JsonValueKind.Array
            ? [.. u.EnumerateArray().Select(x => x.GetString() ?? "")]
            : null;
        return new Descriptor(mediaType, digest, size, platform, urls);
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using ImageSync.References;
using ImageSync.Registry;

namespace ImageSync.Layout;

/// <summary>
/// index.json of an OCI image layout (image-spec image-layout.md, image-index.md): an image index whose manifests are
/// the layout's roots, each tag an <c>org.opencontainers.image.ref.name</c> annotation, as skopeo's <c>oci:PATH:TAG</c>
/// reads and writes them. Pure: bytes in, entries or bytes out. What other tools wrote is kept as they wrote it.
/// </summary>
public static class LayoutIndex
{
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";

    /// <summary>index.json of a layout that holds the most tags a repository's tag list may: 200,000 entries of about 300 bytes.</summary>
    public const int MaxBytes = 64 * 1024 * 1024;

    public const int MaxEntries = RegistryClient.MaxTags;

    /// <summary>The entries, in file order; a file that is no image index is refused whole (InvalidDataException).</summary>
    public static IReadOnlyList<LayoutEntry> Parse(byte[] json)
    {
        if (json.Length > MaxBytes)
        {
            throw new InvalidDataException($"index.json is larger than {MaxBytes / 1024 / 1024} MiB");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"index.json is not JSON: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("schemaVersion", out var version) || version.ValueKind != JsonValueKind.Number || version.GetDouble() != 2)
            {
                throw new InvalidDataException("index.json is not an image index (schemaVersion 2)");
            }
            if (!root.TryGetProperty("manifests", out var manifests))
            {
                return [];
            }
            if (manifests.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException("index.json: manifests is not a list");
            }
            if (manifests.GetArrayLength() > MaxEntries)
            {
                throw new InvalidDataException($"index.json lists {manifests.GetArrayLength()} manifests, more than the {MaxEntries} imagesync reads");
            }
            var entries = new List<LayoutEntry>();
            var i = 0;
            foreach (var item in manifests.EnumerateArray())
            {
                entries.Add(Entry(item, i++));
            }
            return entries;
        }
    }

    private static LayoutEntry Entry(JsonElement item, int i)
    {
        string Refused(string why) => throw new InvalidDataException($"index.json: manifests[{i}] {why}");
        if (item.ValueKind != JsonValueKind.Object)
        {
            Refused("is not a descriptor");
        }
        var mediaType = item.TryGetProperty("mediaType", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : Refused("has no mediaType");
        var digestText = item.TryGetProperty("digest", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        if (!Digest.TryParse(digestText, out var digest, out var error))
        {
            Refused($"has no valid digest: {Output.Untrusted.Line(error, 200)}");
        }
        var size = item.TryGetProperty("size", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt64(out var n) && n >= 0 ? n : -1;
        if (size < 0)
        {
            Refused("has no valid size");
        }
        string? tag = null;
        if (item.TryGetProperty("annotations", out var annotations) && annotations.ValueKind == JsonValueKind.Object
            && annotations.TryGetProperty(RefNameAnnotation, out var name) && name.ValueKind == JsonValueKind.String)
        {
            // A ref.name outside the tag grammar (a full reference some tools write) is no tag of ours: never a request path.
            tag = Reference.IsValidTag(name.GetString()) ? name.GetString() : null;
        }
        return new LayoutEntry(new Descriptor(mediaType, digest, size), tag);
    }

    /// <summary>
    /// index.json with <paramref name="tag"/> naming <paramref name="manifest"/>: entries that named the tag before are
    /// removed (a tag names one manifest, as skopeo leaves it), the new one appended; everything else kept. A null
    /// <paramref name="current"/> is a new layout.
    /// </summary>
    public static byte[] WithTag(byte[]? current, Descriptor manifest, string tag)
    {
        if (!Reference.IsValidTag(tag))
        {
            throw new ArgumentException($"\"{tag}\" is not a tag", nameof(tag));
        }
        if (current is not null)
        {
            // Refuses what Parse refuses, before anything is rewritten.
            Parse(current);
        }
        var root = current is null
            ? new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = MediaTypes.OciIndex, ["manifests"] = new JsonArray() }
            : JsonNode.Parse(current, documentOptions: new JsonDocumentOptions { MaxDepth = 32 })!.AsObject();
        if (root["manifests"] is not JsonArray manifests)
        {
            manifests = [];
            root["manifests"] = manifests;
        }
        for (var i = manifests.Count - 1; i >= 0; i--)
        {
            if (manifests[i]?["annotations"]?[RefNameAnnotation] is JsonValue value && value.TryGetValue<string>(out var named) && named == tag)
            {
                manifests.RemoveAt(i);
            }
        }
        manifests.Add((JsonNode)new JsonObject
        {
            ["mediaType"] = manifest.MediaType,
            ["digest"] = manifest.Digest.ToString(),
            ["size"] = manifest.Size,
            ["annotations"] = new JsonObject { [RefNameAnnotation] = tag },
        });
        using var buffer = new MemoryStream();
        // Not HTML: media types keep their '+' as other tools write them, not \u002B.
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            root.WriteTo(writer);
        }
        return buffer.ToArray();
    }
}

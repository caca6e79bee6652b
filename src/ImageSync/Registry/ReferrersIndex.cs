using System.Text;
using System.Text.Json;
using ImageSync.References;

namespace ImageSync.Registry;

/// <summary>
/// The referrers list of a subject as an OCI image index (what the referrers API answers and what the referrers
/// fallback tag holds, OCI distribution-spec 1.1 "Referrers Tag Schema"), read, filtered and merged. Pure: no request.
/// </summary>
public static class ReferrersIndex
{
    /// <summary>The list's entries; one without a valid digest or size is left out, as a registry would not list it.</summary>
    public static IReadOnlyList<ReferrerEntry> Parse(byte[] index)
    {
        using var json = ParseObject(index);
        if (!json.RootElement.TryGetProperty("manifests", out var manifests) || manifests.ValueKind != JsonValueKind.Array)
        {
            return [];
        }
        if (manifests.GetArrayLength() > ManifestDocument.MaxDescriptors)
        {
            throw new InvalidDataException($"the referrers list has {manifests.GetArrayLength()} entries, more than the {ManifestDocument.MaxDescriptors} imagesync accepts");
        }
        var entries = new List<ReferrerEntry>();
        foreach (var m in manifests.EnumerateArray())
        {
            if (m.ValueKind == JsonValueKind.Object
                && m.TryGetProperty("digest", out var d) && d.ValueKind == JsonValueKind.String && Digest.TryParse(d.GetString(), out var digest, out _)
                && m.TryGetProperty("size", out var s) && s.TryGetInt64(out var size) && size >= 0)
            {
                var mediaType = m.TryGetProperty("mediaType", out var mt) && mt.ValueKind == JsonValueKind.String ? mt.GetString()! : MediaTypes.OciManifest;
                var type = m.TryGetProperty("artifactType", out var at) && at.ValueKind == JsonValueKind.String ? at.GetString() : null;
                entries.Add(new ReferrerEntry(new Descriptor(mediaType, digest, size), type, m.GetRawText()));
            }
        }
        return [.. entries.DistinctBy(e => e.Manifest.Digest)];
    }

    /// <summary>
    /// The entries whose artifactType is one of <paramref name="artifactTypes"/> (all when null). The referrers API
    /// filters with <c>?artifactType=</c> only where the registry implements it (it says so in
    /// <c>OCI-Filters-Applied</c>); the fallback tag is never filtered, so the filter is always applied here too.
    /// </summary>
    public static IReadOnlyList<ReferrerEntry> Filter(IReadOnlyList<ReferrerEntry> entries, IReadOnlyList<string>? artifactTypes) =>
        artifactTypes is null ? entries : [.. entries.Where(e => e.ArtifactType is { } t && artifactTypes.Contains(t, StringComparer.Ordinal))];

    /// <summary>
    /// The fallback index to write after <paramref name="added"/> were pushed: the target's current list
    /// (<paramref name="existing"/>, null when the tag does not exist) with each added descriptor appended unless it
    /// is listed already ("Pushing Manifests with Subject": pull the list, start from an empty index on 404, add no
    /// duplicate, push it back). Null when nothing changes. When the result lists exactly what upstream's own
    /// fallback index lists, upstream's bytes are kept, so the target's tag has upstream's digest.
    /// </summary>
    public static byte[]? Merge(byte[]? existing, IReadOnlyList<ReferrerEntry> added, byte[]? upstream = null)
    {
        var current = existing is null ? [] : Parse(existing);
        var listed = current.Select(e => e.Manifest.Digest).ToHashSet();
        var appended = added.Where(e => listed.Add(e.Manifest.Digest)).ToList();
        if (appended.Count == 0)
        {
            return null;
        }
        if (upstream is not null && Parse(upstream).Select(e => e.Manifest.Digest).ToHashSet().SetEquals(listed))
        {
            return upstream;
        }
        if (listed.Count > ManifestDocument.MaxDescriptors)
        {
            throw new InvalidDataException($"the referrers list would have {listed.Count} entries, more than the {ManifestDocument.MaxDescriptors} imagesync writes");
        }
        var text = new StringBuilder($"{{\"schemaVersion\":2,\"mediaType\":\"{MediaTypes.OciIndex}\",\"manifests\":[");
        text.AppendJoin(",", current.Select(e => e.Json).Concat(appended.Select(e => e.Json)));
        text.Append("]}");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>
    /// The descriptor a referrers list carries for a pushed referrer ("Pushing Manifests with Subject", step 5):
    /// its artifactType, or the config's mediaType when it has none, and all its annotations.
    /// </summary>
    public static ReferrerEntry Describe(ManifestDocument referrer)
    {
        using var json = ParseObject(referrer.Raw);
        var root = json.RootElement;
        var type = root.TryGetProperty("artifactType", out var at) && at.ValueKind == JsonValueKind.String && at.GetString() is { Length: > 0 } t ? t
            : root.TryGetProperty("config", out var c) && c.ValueKind == JsonValueKind.Object && c.TryGetProperty("mediaType", out var cm) && cm.ValueKind == JsonValueKind.String ? cm.GetString()
            : null;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("mediaType", referrer.MediaType);
            writer.WriteString("digest", referrer.Digest.ToString());
            writer.WriteNumber("size", referrer.Raw.LongLength);
            if (type is not null)
            {
                writer.WriteString("artifactType", type);
            }
            if (root.TryGetProperty("annotations", out var annotations) && annotations.ValueKind == JsonValueKind.Object)
            {
                writer.WritePropertyName("annotations");
                annotations.WriteTo(writer);
            }
            writer.WriteEndObject();
        }
        return new ReferrerEntry(referrer.ToDescriptor(), type, Encoding.UTF8.GetString(buffer.ToArray()));
    }

    /// <summary>The digest a referrer's <c>subject</c> names, if it names one.</summary>
    public static Digest? Subject(ManifestDocument referrer)
    {
        using var json = ParseObject(referrer.Raw);
        return json.RootElement.TryGetProperty("subject", out var s) && s.ValueKind == JsonValueKind.Object
            && s.TryGetProperty("digest", out var d) && d.ValueKind == JsonValueKind.String && Digest.TryParse(d.GetString(), out var digest, out _)
            ? digest : null;
    }

    private static JsonDocument ParseObject(byte[] raw)
    {
        try
        {
            var json = JsonDocument.Parse(raw);
            if (json.RootElement.ValueKind == JsonValueKind.Object)
            {
                return json;
            }
            json.Dispose();
        }
        catch (JsonException)
        {
        }
        throw new InvalidDataException("a referrers list or referrer is not a JSON object");
    }
}

using System.Text.Json;
using ImageSync.References;
using ImageSync.Registry;

namespace ImageSync.Verification;

/// <summary>
/// Reads what the OCI image spec's manifest and index carry beyond <see cref="ManifestDocument"/>: layer
/// annotations (where cosign's tag scheme keeps the signature), artifact types and subjects (how a sigstore bundle
/// is attached as a referrer, image-spec manifest.md "artifactType" and "subject").
/// </summary>
public static class SignatureManifest
{
    /// <summary>A manifest's layers with their annotations; a layer without a valid digest or size is skipped.</summary>
    public static IReadOnlyList<(Descriptor Layer, IReadOnlyDictionary<string, string> Annotations)> Layers(byte[] manifest)
    {
        using var document = SignedJson.Parse(manifest, "the signature manifest");
        return [.. Items(document.RootElement, "layers").Select(l => (Describe(l), Annotations(l))).Where(l => l.Item1 is not null).Select(l => (l.Item1!, l.Item2))];
    }

    /// <summary>An index's entries whose artifactType starts with <paramref name="artifactTypePrefix"/>.</summary>
    public static IReadOnlyList<Descriptor> Referrers(byte[] index, string artifactTypePrefix)
    {
        using var document = SignedJson.Parse(index, "the referrers index");
        return [.. Items(document.RootElement, "manifests")
            .Where(m => SignedJson.String(m, "artifactType")?.StartsWith(artifactTypePrefix, StringComparison.Ordinal) == true)
            .Select(Describe).OfType<Descriptor>()];
    }

    /// <summary>The digest a referrer's <c>subject</c> names, if any.</summary>
    public static Digest? Subject(byte[] manifest)
    {
        using var document = SignedJson.Parse(manifest, "the referrer manifest");
        return Digest.TryParse(SignedJson.String(document.RootElement, "subject", "digest"), out var digest, out _) ? digest : null;
    }

    private static IEnumerable<JsonElement> Items(JsonElement root, string name) =>
        SignedJson.Element(root, name) is { ValueKind: JsonValueKind.Array } array ? [.. array.EnumerateArray()] : [];

    private static Descriptor? Describe(JsonElement element) =>
        Digest.TryParse(SignedJson.String(element, "digest"), out var digest, out _) && SignedJson.Int64(element, "size") is { } size and >= 0
            ? new Descriptor(SignedJson.String(element, "mediaType") ?? "", digest, size)
            : null;

    private static Dictionary<string, string> Annotations(JsonElement layer) =>
        SignedJson.Element(layer, "annotations") is { ValueKind: JsonValueKind.Object } a
            ? a.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal)
            : [];
}

using System.Text;

namespace ImageSync.Tests.Support;

/// <summary>
/// An OCI 1.1 referrer as oras or cosign v3 push it (image-spec 1.1 "Guidelines for Artifact Usage": an image
/// manifest with <c>artifactType</c>, the empty config, one layer and a <c>subject</c>), made with plain JSON, not
/// with the code under test; and the referrers fallback index listing referrers (distribution-spec 1.1).
/// </summary>
internal static class TestReferrer
{
    private const string Manifest = "application/vnd.oci.image.manifest.v1+json";

    public static TestImage Create(PushedManifest subject, string artifactType, string seed)
    {
        var empty = new Blob("application/vnd.oci.empty.v1+json", "{}"u8.ToArray());
        var layer = new Blob(artifactType, Encoding.UTF8.GetBytes($"{{\"seed\":\"{seed}\"}}"));
        var root = new PushedManifest(Manifest, Encoding.UTF8.GetBytes(
            $"{{\"schemaVersion\":2,\"mediaType\":\"{Manifest}\",\"artifactType\":\"{artifactType}\",\"config\":{Descriptor(empty)},\"layers\":[{Descriptor(layer)}],\"annotations\":{{\"org.opencontainers.image.created\":\"2026-01-01T00:00:00Z\"}},\"subject\":{{\"mediaType\":\"{subject.MediaType}\",\"digest\":\"{subject.Digest}\",\"size\":{subject.Raw.Length}}}}}"));
        var image = new TestImage { Root = root };
        image.Blobs.AddRange([empty, layer]);
        return image;
    }

    /// <summary>The fallback index (what a client writes at <c>sha256-HEX</c> on a registry without the API).</summary>
    public static PushedManifest FallbackIndex(params (PushedManifest Manifest, string ArtifactType)[] referrers) =>
        new("application/vnd.oci.image.index.v1+json", Encoding.UTF8.GetBytes(
            $"{{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{string.Join(",", referrers.Select(r => $"{{\"mediaType\":\"{Manifest}\",\"digest\":\"{r.Manifest.Digest}\",\"size\":{r.Manifest.Raw.Length},\"artifactType\":\"{r.ArtifactType}\",\"annotations\":{{\"org.opencontainers.image.created\":\"2026-01-01T00:00:00Z\"}}}}"))}]}}"));

    public static string FallbackTag(string digest) => digest.Replace(':', '-');

    /// <summary>Pushes the referrers by digest and, where the registry has no API, the fallback tag listing them.</summary>
    public static async Task PushAsync(Uri registry, string repository, PushedManifest subject, bool fallbackTag, params (TestImage Image, string ArtifactType)[] referrers)
    {
        foreach (var (image, _) in referrers)
        {
            await image.PushAsync(registry, repository, image.Root.Digest);
        }
        if (fallbackTag)
        {
            using var http = new HttpClient { BaseAddress = registry };
            await TestImage.PutManifestAsync(http, repository, FallbackTag(subject.Digest), FallbackIndex([.. referrers.Select(r => (r.Image.Root, r.ArtifactType))]));
        }
    }

    private static string Descriptor(Blob blob) => $"{{\"mediaType\":\"{blob.MediaType}\",\"digest\":\"{blob.Digest}\",\"size\":{blob.Content.Length}}}";
}

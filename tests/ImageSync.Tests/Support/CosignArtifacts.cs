using System.Security.Cryptography;
using System.Text;

namespace ImageSync.Tests.Support;

/// <summary>
/// Signature artifacts made as cosign makes them, with .NET's own crypto and a real key (not the code under test):
/// the tag-scheme .sig manifest (cosign's docs/specs/SIGNATURE_SPEC.md: a simple-signing payload layer with the
/// base64 DER signature in dev.cosignproject.cosign/signature), and a sigstore bundle v0.3 with a DSSE in-toto
/// statement attached as an OCI referrer through the fallback tag (what cosign v3 writes by default).
/// </summary>
internal static class CosignArtifacts
{
    public static string PublicPem(ECDsa key) => key.ExportSubjectPublicKeyInfoPem() + "\n";

    public static byte[] Payload(string digest, string repository) => Encoding.UTF8.GetBytes(
        $"{{\"critical\":{{\"identity\":{{\"docker-reference\":\"{repository}\"}},\"image\":{{\"docker-manifest-digest\":\"{digest}\"}},\"type\":\"cosign container image signature\"}},\"optional\":null}}");

    public static byte[] Sign(ECDsa key, byte[] data) => key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

    /// <summary>The .sig manifest for <paramref name="payload"/> signed with <paramref name="signature"/>.</summary>
    public static TestImage SignatureImage(byte[] payload, byte[] signature)
    {
        var layer = new Blob("application/vnd.dev.cosign.simplesigning.v1+json", payload);
        var config = new Blob("application/vnd.oci.image.config.v1+json", Encoding.UTF8.GetBytes(
            $"{{\"architecture\":\"\",\"config\":{{}},\"created\":\"0001-01-01T00:00:00Z\",\"history\":[{{\"created\":\"0001-01-01T00:00:00Z\"}}],\"os\":\"\",\"rootfs\":{{\"type\":\"layers\",\"diff_ids\":[\"{layer.Digest}\"]}}}}"));
        var manifest = $"{{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{Descriptor(config)},\"layers\":[{{\"mediaType\":\"{layer.MediaType}\",\"size\":{payload.Length},\"digest\":\"{layer.Digest}\",\"annotations\":{{\"dev.cosignproject.cosign/signature\":\"{Convert.ToBase64String(signature)}\"}}}}]}}";
        var image = new TestImage { Root = new PushedManifest("application/vnd.oci.image.manifest.v1+json", Encoding.UTF8.GetBytes(manifest)) };
        image.Blobs.AddRange([config, layer]);
        return image;
    }

    public static Task PushSignatureAsync(RegistryServer registry, string repository, string digest, byte[] payload, byte[] signature) =>
        SignatureImage(payload, signature).PushAsync(registry, repository, digest.Replace(':', '-') + ".sig");

    /// <summary>A DSSE bundle whose in-toto statement names <paramref name="digest"/>, signed by <paramref name="key"/> (no log entry).</summary>
    public static byte[] DsseBundle(ECDsa key, string digest)
    {
        var statement = Encoding.UTF8.GetBytes($"{{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{{\"name\":\"image\",\"digest\":{{\"sha256\":\"{digest["sha256:".Length..]}\"}}}}],\"predicateType\":\"https://sigstore.dev/cosign/sign/v1\",\"predicate\":{{}}}}");
        const string type = "application/vnd.in-toto+json";
        var pae = Encoding.UTF8.GetBytes($"DSSEv1 {type.Length} {type} {statement.Length} ").Concat(statement).ToArray();
        var hint = Convert.ToBase64String(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));
        return Encoding.UTF8.GetBytes(
            $"{{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"verificationMaterial\":{{\"publicKey\":{{\"hint\":\"{hint}\"}},\"tlogEntries\":[]}},\"dsseEnvelope\":{{\"payload\":\"{Convert.ToBase64String(statement)}\",\"payloadType\":\"{type}\",\"signatures\":[{{\"sig\":\"{Convert.ToBase64String(Sign(key, pae))}\"}}]}}}}");
    }

    /// <summary>
    /// Attaches <paramref name="bundle"/> to <paramref name="subject"/> as a referrer (pushed by digest) and, unless
    /// <paramref name="fallbackTag"/> is false, lists it in the fallback tag's index. Returns the referrers index.
    /// </summary>
    public static async Task<PushedManifest> PushBundleReferrerAsync(RegistryServer registry, string repository, PushedManifest subject, byte[] bundle, bool fallbackTag = true)
    {
        const string bundleType = "application/vnd.dev.sigstore.bundle.v0.3+json";
        var empty = new Blob("application/vnd.oci.empty.v1+json", "{}"u8.ToArray());
        var layer = new Blob(bundleType, bundle);
        var referrer = new PushedManifest("application/vnd.oci.image.manifest.v1+json", Encoding.UTF8.GetBytes(
            $"{{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"artifactType\":\"{bundleType}\",\"config\":{Descriptor(empty)},\"layers\":[{Descriptor(layer)}],\"subject\":{{\"mediaType\":\"{subject.MediaType}\",\"digest\":\"{subject.Digest}\",\"size\":{subject.Raw.Length}}}}}"));
        var referrerImage = new TestImage { Root = referrer };
        referrerImage.Blobs.AddRange([empty, layer]);
        await referrerImage.PushAsync(registry, repository, referrer.Digest);
        var index = new PushedManifest("application/vnd.oci.image.index.v1+json", Encoding.UTF8.GetBytes(
            $"{{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{{\"mediaType\":\"{referrer.MediaType}\",\"digest\":\"{referrer.Digest}\",\"size\":{referrer.Raw.Length},\"artifactType\":\"{bundleType}\"}}]}}"));
        if (fallbackTag)
        {
            using var http = new HttpClient { BaseAddress = registry.Url };
            await TestImage.PutManifestAsync(http, repository, subject.Digest.Replace(':', '-'), index);
        }
        return index;
    }

    private static string Descriptor(Blob blob) => $"{{\"mediaType\":\"{blob.MediaType}\",\"digest\":\"{blob.Digest}\",\"size\":{blob.Content.Length}}}";
}

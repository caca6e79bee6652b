using System.Text.Json;
using ImageSync.References;

namespace ImageSync.Signing;

/// <summary>
/// The simple-signing payload cosign signs for an image (cosign's docs/specs/SIGNATURE_SPEC.md; sigstore/sigstore
/// <c>pkg/signature/payload</c>, whose Go structs fix the field order): <c>critical.identity.docker-reference</c>
/// the repository, <c>critical.image.docker-manifest-digest</c> the manifest, <c>critical.type</c>, and
/// <c>optional</c> null. The same bytes cosign would write, so cosign and policy-controller read them.
/// </summary>
public static class CosignPayload
{
    public static byte[] For(Reference repository, Digest digest)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, SignatureImageWriter.Relaxed))
        {
            json.WriteStartObject();
            json.WriteStartObject("critical");
            json.WriteStartObject("identity");
            json.WriteString("docker-reference", repository.NameOnly().Name);
            json.WriteEndObject();
            json.WriteStartObject("image");
            json.WriteString("docker-manifest-digest", digest.ToString());
            json.WriteEndObject();
            json.WriteString("type", Verification.SimpleSigningPayload.Type);
            json.WriteEndObject();
            json.WriteNull("optional");
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }
}

using ImageSync.References;

namespace ImageSync.Verification;

/// <summary>
/// The payload cosign signs for an image (the "simple signing" format, cosign's docs/specs/SIGNATURE_SPEC.md):
/// <c>critical.image.docker-manifest-digest</c> names the manifest signed, <c>critical.identity.docker-reference</c>
/// the repository it was signed for, <c>critical.type</c> is "cosign container image signature".
/// </summary>
public sealed record SimpleSigningPayload(Digest ManifestDigest, string? DockerReference)
{
    public const string MediaType = "application/vnd.dev.cosign.simplesigning.v1+json";
    public const string Type = "cosign container image signature";

    public static SimpleSigningPayload Parse(byte[] payload)
    {
        using var document = SignedJson.Parse(payload, "the simple-signing payload");
        var root = document.RootElement;
        var type = SignedJson.String(root, "critical", "type");
        if (!string.Equals(type, Type, StringComparison.OrdinalIgnoreCase))
        {
            throw new SignatureRefusedException(RefusalKind.Malformed, $"the signed payload's critical.type is {Quote(type)}, not \"{Type}\"");
        }
        var digestText = SignedJson.String(root, "critical", "image", "docker-manifest-digest");
        if (!Digest.TryParse(digestText, out var digest, out _))
        {
            throw new SignatureRefusedException(RefusalKind.Malformed, $"the signed payload's critical.image.docker-manifest-digest is {Quote(digestText)}, not a digest");
        }
        return new SimpleSigningPayload(digest, SignedJson.String(root, "critical", "identity", "docker-reference"));
    }

    private static string Quote(string? text) => text is null ? "missing" : $"\"{Output.Untrusted.Line(text)}\"";
}

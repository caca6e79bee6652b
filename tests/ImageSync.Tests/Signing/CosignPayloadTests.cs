using ImageSync.References;
using ImageSync.Signing;
using ImageSync.Verification;

namespace ImageSync.Tests.Signing;

public sealed class CosignPayloadTests
{
    private static readonly Digest Image = Digest.Parse("sha256:" + new string('a', 64));

    /// <summary>The bytes cosign writes (sigstore/sigstore pkg/signature/payload: critical, then optional null), for the repository without its tag.</summary>
    [Fact]
    public void The_payload_is_the_simple_signing_document_cosign_writes()
    {
        var payload = CosignPayload.For(Reference.Parse("quay.io/mirror/pilot:1.29.0"), Image);

        Assert.Equal(
            "{\"critical\":{\"identity\":{\"docker-reference\":\"quay.io/mirror/pilot\"},\"image\":{\"docker-manifest-digest\":\"sha256:" + new string('a', 64)
            + "\"},\"type\":\"cosign container image signature\"},\"optional\":null}",
            System.Text.Encoding.UTF8.GetString(payload));
        var parsed = SimpleSigningPayload.Parse(payload);
        Assert.Equal(Image, parsed.ManifestDigest);
        Assert.Equal("quay.io/mirror/pilot", parsed.DockerReference);
    }
}

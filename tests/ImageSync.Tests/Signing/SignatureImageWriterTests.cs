using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ImageSync.References;
using ImageSync.Registry;
using ImageSync.Signing;
using ImageSync.Tests.Support;
using ImageSync.Verification;

namespace ImageSync.Tests.Signing;

/// <summary>The .sig manifest as cosign writes it, new or appended to, and read back by our own verifier.</summary>
public sealed class SignatureImageWriterTests : IDisposable
{
    private static readonly Digest Image = Digest.Parse("sha256:" + new string('b', 64));
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 22, 0, 5, TimeSpan.Zero);
    private readonly ECDsa _ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public void Dispose() => _ecdsa.Dispose();

    [Fact]
    public void A_new_signature_image_is_an_oci_manifest_with_an_oci_config_and_one_simple_signing_layer()
    {
        var key = SigningKey.FromPem(_ecdsa.ExportPkcs8PrivateKeyPem());
        var payload = CosignPayload.For(Reference.Parse("target.test/mirror/app"), Image);

        var image = SignatureImageWriter.Append(null, payload, key.Sign(payload), Now);

        using var manifest = JsonDocument.Parse(image.Manifest.Raw);
        var root = manifest.RootElement;
        Assert.Equal(["schemaVersion", "mediaType", "config", "layers"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(2, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("application/vnd.oci.image.manifest.v1+json", root.GetProperty("mediaType").GetString());
        Assert.Equal("application/vnd.oci.image.config.v1+json", root.GetProperty("config").GetProperty("mediaType").GetString());
        var layer = Assert.Single(root.GetProperty("layers").EnumerateArray());
        Assert.Equal(["mediaType", "size", "digest", "annotations"], layer.EnumerateObject().Select(p => p.Name));
        Assert.Equal("application/vnd.dev.cosign.simplesigning.v1+json", layer.GetProperty("mediaType").GetString());
        Assert.Equal(Digest.Sha256(payload).ToString(), layer.GetProperty("digest").GetString());
        Assert.Equal(payload.Length, layer.GetProperty("size").GetInt32());
        Assert.Equal(["dev.cosignproject.cosign/signature"], layer.GetProperty("annotations").EnumerateObject().Select(p => p.Name));

        var (configDescriptor, config) = image.Blobs[0];
        Assert.Equal(configDescriptor.Digest.ToString(), root.GetProperty("config").GetProperty("digest").GetString());
        Assert.Equal(
            $"{{\"architecture\":\"\",\"created\":\"2026-12-01T22:00:05Z\",\"history\":[{{\"created\":\"0001-01-01T00:00:00Z\"}}],\"os\":\"\",\"rootfs\":{{\"type\":\"layers\",\"diff_ids\":[\"{Digest.Sha256(payload)}\"]}},\"config\":{{}}}}",
            Encoding.UTF8.GetString(config));
        Assert.Equal(payload, image.Blobs[1].Content);
        Assert.Equal(MediaTypes.OciManifest, image.Manifest.MediaType);
    }

    [Fact]
    public void The_signature_verifies_with_the_public_key_by_our_own_verifier()
    {
        var key = SigningKey.FromPem(_ecdsa.ExportPkcs8PrivateKeyPem());
        var payload = CosignPayload.For(Reference.Parse("target.test/mirror/app"), Image);
        var image = SignatureImageWriter.Append(null, payload, key.Sign(payload), Now);
        var verifier = new SignatureVerifier(new SignaturePolicy("key mirror.pub", VerificationKey.FromPem(_ecdsa.ExportSubjectPublicKeyInfoPem()), null, null, null, MatchRepository: true));

        var (_, annotations) = Assert.Single(SignatureManifest.Layers(image.Manifest.Raw));

        Assert.True(verifier.Verify(CosignSignature.FromLayer(payload, annotations), Image, "target.test/mirror/app").Verified);
        Assert.False(verifier.Verify(CosignSignature.FromLayer(payload, annotations), Image, "target.test/mirror/other").Verified);
    }

    /// <summary>cosign's AppendSignatures: upstream's layers stay first and byte for byte, ours follows; the config covers both.</summary>
    [Fact]
    public void A_signature_is_appended_to_the_existing_manifest_keeping_its_layers_and_fields()
    {
        using var upstreamKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var upstreamPayload = CosignArtifacts.Payload(Image.ToString(), "upstream.test/istio/app");
        var upstream = CosignArtifacts.SignatureImage(upstreamPayload, CosignArtifacts.Sign(upstreamKey, upstreamPayload)).Root.Raw;
        var withAnnotations = Encoding.UTF8.GetString(upstream).TrimEnd('}') + ",\"annotations\":{\"org.example\":\"kept\"}}";
        var key = SigningKey.FromPem(_ecdsa.ExportPkcs8PrivateKeyPem());
        var payload = CosignPayload.For(Reference.Parse("target.test/mirror/app"), Image);

        var image = SignatureImageWriter.Append(Encoding.UTF8.GetBytes(withAnnotations), payload, key.Sign(payload), Now);

        using var before = JsonDocument.Parse(upstream);
        using var after = JsonDocument.Parse(image.Manifest.Raw);
        var layers = after.RootElement.GetProperty("layers").EnumerateArray().ToList();
        Assert.Equal(2, layers.Count);
        Assert.Equal(before.RootElement.GetProperty("layers")[0].GetRawText(), layers[0].GetRawText());
        Assert.Equal("kept", after.RootElement.GetProperty("annotations").GetProperty("org.example").GetString());
        using var config = JsonDocument.Parse(image.Blobs[0].Content);
        Assert.Equal([Digest.Sha256(upstreamPayload).ToString(), Digest.Sha256(payload).ToString()],
            config.RootElement.GetProperty("rootfs").GetProperty("diff_ids").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(2, config.RootElement.GetProperty("history").GetArrayLength());
    }

    [Fact]
    public void A_docker_manifest_keeps_its_media_types()
    {
        var docker = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\",\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\",\"size\":2,\"digest\":\"sha256:"
            + new string('c', 64) + "\"},\"layers\":[]}";
        var image = SignatureImageWriter.Append(Encoding.UTF8.GetBytes(docker), [1], [2], Now);

        Assert.Equal(MediaTypes.DockerManifest, image.Manifest.MediaType);
        Assert.Equal(SignatureImageWriter.DockerConfigMediaType, image.Blobs[0].Descriptor.MediaType);
    }

    [Theory]
    [InlineData("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}")]
    [InlineData("[1]")]
    [InlineData("{\"mediaType\":7}")]
    [InlineData("not json")]
    public void What_is_not_an_image_manifest_is_not_appended_to(string existing)
    {
        var e = Assert.Throws<InvalidDataException>(() => SignatureImageWriter.Append(Encoding.UTF8.GetBytes(existing), [1], [2], Now));
        Assert.Contains("signature", e.Message, StringComparison.Ordinal);
    }
}

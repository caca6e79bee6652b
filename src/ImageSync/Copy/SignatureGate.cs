using ImageSync.Config;
using ImageSync.References;
using ImageSync.Registry;
using ImageSync.Verification;

namespace ImageSync.Copy;

/// <summary>
/// The one place a tag's upstream signatures are found and judged before anything of the tag is written (Sync) or
/// shown as to be written (Status, DryRun). It reads cosign's tag-scheme signature (<c>sha256-&lt;hex&gt;.sig</c>) and
/// sigstore bundles attached as referrers: through the referrers API where the registry has it, else the OCI
/// fallback tag (<c>sha256-&lt;hex&gt;</c>, what cosign v3 writes on registries without the API). Any valid signature lets the digest through; with none, the
/// most telling refusal is the tag's one-line reason. Every artifact read is bounded.
/// </summary>
internal sealed class SignatureGate(RegistryClient client)
{
    /// <summary>A simple-signing payload or a bundle is a few KiB; far more is not a signature.</summary>
    public const long MaxArtifactBytes = SignedJson.MaxBytes;

    /// <summary>More signature layers or bundles than this for one digest are not read (each costs a request).</summary>
    public const int MaxCandidates = 16;

    private const string BundleArtifactType = "application/vnd.dev.sigstore.bundle";

    public async Task<Verdict> CheckAsync(ImageSpec image, RepositoryAccess source, Digest digest, CancellationToken cancellationToken)
    {
        var verifier = new SignatureVerifier(image.Verify!);
        var verdicts = new List<Verdict>();
        if (await client.HeadManifestAsync(source, ArtifactTags.For(digest, ".sig"), cancellationToken).ConfigureAwait(false) is { } sig)
        {
            var manifest = await client.GetManifestAsync(source, sig.Digest.ToString(), cancellationToken).ConfigureAwait(false);
            foreach (var (layer, annotations) in SignatureManifest.Layers(manifest.Raw).Where(l => l.Layer.MediaType == SimpleSigningPayload.MediaType).Take(MaxCandidates))
            {
                var payload = await ReadAsync(source, layer, cancellationToken).ConfigureAwait(false);
                verdicts.Add(payload is null ? TooLarge(layer) : Judge(() => verifier.Verify(CosignSignature.FromLayer(payload, annotations), digest, image.Upstream.Name)));
                if (verdicts[^1].Verified)
                {
                    return verdicts[^1];
                }
            }
        }
        // Unfiltered: bundles have had several artifact types (v0.1 to v0.3), and a registry may not filter anyway.
        var referrers = await client.GetReferrersAsync(source, digest, artifactType: null, cancellationToken).ConfigureAwait(false);
        if (referrers is null && await client.HeadManifestAsync(source, ArtifactTags.For(digest, ""), cancellationToken).ConfigureAwait(false) is { } fallback)
        {
            referrers = (await client.GetManifestAsync(source, fallback.Digest.ToString(), cancellationToken).ConfigureAwait(false)).Raw;
        }
        if (referrers is not null)
        {
            foreach (var referrer in SignatureManifest.Referrers(referrers, BundleArtifactType).Take(MaxCandidates))
            {
                var manifest = await client.GetManifestAsync(source, referrer.Digest.ToString(), cancellationToken).ConfigureAwait(false);
                if (SignatureManifest.Subject(manifest.Raw) != digest)
                {
                    verdicts.Add(Verdict.Refuse(RefusalKind.OtherSubject, $"a bundle listed for {digest} is attached to {SignatureManifest.Subject(manifest.Raw)?.ToString() ?? "nothing"}"));
                    continue;
                }
                foreach (var (layer, _) in SignatureManifest.Layers(manifest.Raw).Where(l => l.Layer.MediaType.StartsWith(BundleArtifactType, StringComparison.Ordinal)).Take(1))
                {
                    var bundle = await ReadAsync(source, layer, cancellationToken).ConfigureAwait(false);
                    verdicts.Add(bundle is null ? TooLarge(layer) : Judge(() => verifier.Verify(SigstoreBundle.Parse(bundle), digest)));
                    if (verdicts[^1].Verified)
                    {
                        return verdicts[^1];
                    }
                }
            }
        }
        return Verdict.Combine(verdicts, $"{image.Upstream.Name}@{digest}");
    }

    private static Verdict Judge(Func<Verdict> verify)
    {
        try
        {
            return verify();
        }
        catch (SignatureRefusedException e)
        {
            return Verdict.Refuse(e.Kind, e.Message);
        }
    }

    private static Verdict TooLarge(Descriptor blob) =>
        Verdict.Refuse(RefusalKind.Malformed, $"a signature artifact of {blob.Size} bytes ({blob.Digest}) is larger than the {MaxArtifactBytes} one may be; it was not read");

    /// <summary>The artifact's bytes, or null (not read) when its descriptor says it is too large.</summary>
    private async Task<byte[]?> ReadAsync(RepositoryAccess source, Descriptor blob, CancellationToken cancellationToken)
    {
        if (blob.Size > MaxArtifactBytes)
        {
            return null;
        }
        // OpenBlobAsync checks the bytes against the descriptor's digest and size as they are read.
        var stream = await client.OpenBlobAsync(source, blob, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream((int)blob.Size);
            await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return buffer.ToArray();
        }
    }
}

using ImageSync.References;
using ImageSync.Registry;

namespace ImageSync.Copy;

/// <summary>
/// cosign v2's tag scheme: signatures, attestations and SBOMs at tags named after the digest they describe
/// (<c>sha256-HEX.sig</c>, <c>.att</c>, <c>.sbom</c>), copied when upstream's differs from the target's. Only the
/// tags the run's tag list shows are asked for.
/// </summary>
internal sealed class CosignTagCopier(RegistryClient client, ManifestCopier manifests, ArtifactDiscovery discovery)
{
    private static readonly (string Suffix, string Kind)[] Kinds = [(".sig", "signature"), (".att", "attestation"), (".sbom", "SBOM")];

    public async Task CopyAsync(RepositoryAccess source, RepositoryAccess target, Digest subject, CopyStats stats, bool dryRun, CancellationToken cancellationToken)
    {
        foreach (var (suffix, kind) in Kinds)
        {
            var tag = ArtifactTags.For(subject, suffix);
            if (await discovery.HeadAsync(source, tag, cancellationToken).ConfigureAwait(false) is not { } artifact)
            {
                continue;
            }
            var held = await client.HeadManifestAsync(target, tag, cancellationToken).ConfigureAwait(false);
            if (held?.Digest == artifact.Digest)
            {
                continue;
            }
            ManifestDocument? manifest = null;
            if (held is not null && await HoldsAllLayersAsync(target, held.Digest, manifest = await client.GetManifestAsync(source, artifact.Digest.ToString(), cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false))
            {
                // The target's holds every layer of upstream's and more: the mirror's own signature appended to it
                // (Signing/MirrorSigner). Writing upstream's over it would drop ours, run after run with "follow".
                continue;
            }
            var verb = held is null ? "added" : "updated";
            if (dryRun)
            {
                stats.Note($"would be {verb}: {kind} {tag}");
                continue;
            }
            manifest ??= await client.GetManifestAsync(source, artifact.Digest.ToString(), cancellationToken).ConfigureAwait(false);
            await manifests.CopyAsync(source, target, manifest, stats, dryRun: false, cancellationToken).ConfigureAwait(false);
            try
            {
                await client.PutManifestAsync(target, tag, manifest, cancellationToken).ConfigureAwait(false);
                stats.Note($"{verb} {kind} {tag}");
                if (suffix == ".sig")
                {
                    stats.SignatureTagWritten();
                }
            }
            catch (RegistryException e) when (e.RefusesImmutableTag)
            {
                // ECR's immutable repositories (TAG_INVALID) and Harbor's immutability rules (412) keep an existing
                // .sig/.att tag when upstream added a signature: the image was written; the old signature tag stays.
                stats.Note($"conflict: signature tag {tag} is immutable in the target and was kept as it is (upstream's is {artifact.Digest}): {e.Message}");
            }
        }
    }

    /// <summary>
    /// Whether the target's manifest lists every layer of upstream's, by digest and annotations: a layer is one
    /// signature or attestation, and two signatures of one payload differ only in the annotation that holds the
    /// signature. Configs are not compared: cosign's lists its layers, so one with a layer more has another.
    /// </summary>
    private async Task<bool> HoldsAllLayersAsync(RepositoryAccess target, Digest held, ManifestDocument upstream, CancellationToken cancellationToken)
    {
        var ours = await client.GetManifestAsync(target, held.ToString(), cancellationToken).ConfigureAwait(false);
        try
        {
            var layers = Verification.SignatureManifest.Layers(ours.Raw).Select(Key).ToHashSet(StringComparer.Ordinal);
            return Verification.SignatureManifest.Layers(upstream.Raw).All(l => layers.Contains(Key(l)));
        }
        catch (Verification.SignatureRefusedException)
        {
            // Not a manifest whose layers can be read: upstream's is copied over it as before.
            return false;
        }
    }

    private static string Key((Descriptor Layer, IReadOnlyDictionary<string, string> Annotations) layer) =>
        layer.Layer.Digest + string.Concat(layer.Annotations.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"\n{a.Key}={a.Value}"));
}

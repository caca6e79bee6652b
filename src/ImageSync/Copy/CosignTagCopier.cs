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
            var verb = held is null ? "added" : "updated";
            if (dryRun)
            {
                stats.Note($"would be {verb}: {kind} {tag}");
                continue;
            }
            var manifest = await client.GetManifestAsync(source, artifact.Digest.ToString(), cancellationToken).ConfigureAwait(false);
            await manifests.CopyAsync(source, target, manifest, stats, dryRun: false, cancellationToken).ConfigureAwait(false);
            try
            {
                await client.PutManifestAsync(target, tag, manifest, cancellationToken).ConfigureAwait(false);
                stats.Note($"{verb} {kind} {tag}");
            }
            catch (RegistryException e) when (e.RefusesImmutableTag)
            {
                // ECR's immutable repositories (TAG_INVALID) and Harbor's immutability rules (412) keep an existing
                // .sig/.att tag when upstream added a signature: the image was written; the old signature tag stays.
                stats.Note($"conflict: signature tag {tag} is immutable in the target and was kept as it is (upstream's is {artifact.Digest}): {e.Message}");
            }
        }
    }
}

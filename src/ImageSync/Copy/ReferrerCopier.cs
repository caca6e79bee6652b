using ImageSync.Config;
using ImageSync.References;
using ImageSync.Registry;

namespace ImageSync.Copy;

/// <summary>
/// Copies what is attached to the manifests a run writes (each child, then the index or the tag's manifest): cosign's
/// tag-scheme artifacts and OCI 1.1 referrers. It is called only after the tag is written, so every subject is in the
/// target before anything that refers to it. Each subject is done once per run and target repository, however many
/// tags name it, so two tags never extend the same fallback tag at once.
/// </summary>
internal sealed class ReferrerCopier
{
    private const int Parallelism = 4;

    private readonly CosignTagCopier _cosign;
    private readonly OciReferrerCopier _oci;
    private readonly SingleFlight<bool> _done = new();

    public ReferrerCopier(RegistryClient client, ManifestCopier manifests, TagListCache tagLists)
    {
        var discovery = new ArtifactDiscovery(client, tagLists);
        _cosign = new CosignTagCopier(client, manifests, discovery);
        _oci = new OciReferrerCopier(client, manifests, discovery, new ReferrersApi(client));
    }

    /// <param name="subjects">The digests written (children first); those the target held before need not be listed.</param>
    /// <param name="dryRun">Only say, as notes, what would be added.</param>
    public async Task CopyAsync(ImageSpec image, RepositoryAccess source, RepositoryAccess target, IEnumerable<Digest> subjects, CopyStats stats, bool dryRun, CancellationToken cancellationToken)
    {
        if (image.Signatures == SignaturesMode.None)
        {
            return;
        }
        var options = new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(subjects.Distinct().ToList(), options, async (subject, ct) =>
        {
            if (dryRun)
            {
                await CopyOneAsync(image, source, target, subject, stats, dryRun, ct).ConfigureAwait(false);
                return;
            }
            await _done.RunAsync($"{target.Name.Name}@{subject}", async flight =>
            {
                await CopyOneAsync(image, source, target, subject, stats, dryRun, flight).ConfigureAwait(false);
                return true;
            }, ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    private async Task CopyOneAsync(ImageSpec image, RepositoryAccess source, RepositoryAccess target, Digest subject, CopyStats stats, bool dryRun, CancellationToken cancellationToken)
    {
        await _cosign.CopyAsync(source, target, subject, stats, dryRun, cancellationToken).ConfigureAwait(false);
        await _oci.CopyAsync(source, target, subject, image.ArtifactTypes, stats, dryRun, cancellationToken).ConfigureAwait(false);
    }
}

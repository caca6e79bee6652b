using ImageSync.Registry;

namespace ImageSync.Copy;

/// <summary>
/// Copies a manifest graph children first: blobs, then child manifests by digest, then the root by digest. A tag is
/// written by the caller only after this returns, so a tag never points to something incomplete. A child manifest
/// already in the target is complete (the registry checked its blobs on push) and is not walked again.
/// </summary>
internal sealed class ManifestCopier(RegistryClient client, BlobCopier blobs, int parallelism)
{
    private readonly SingleFlight _flights = new();

    public async Task CopyAsync(RepositoryAccess source, RepositoryAccess target, ManifestDocument manifest, CopyStats stats, bool dryRun, CancellationToken cancellationToken)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken };
        if (manifest.IsIndex)
        {
            await Parallel.ForEachAsync(manifest.Children, options, (child, ct) =>
                new ValueTask(CopyChildAsync(source, target, child, stats, dryRun, ct))).ConfigureAwait(false);
        }
        else
        {
            var distributable = manifest.Blobs.Where(b => !b.IsNonDistributable).DistinctBy(b => b.Digest);
            await Parallel.ForEachAsync(distributable, options, (blob, ct) =>
                new ValueTask(blobs.CopyAsync(source, target, blob, stats, dryRun, ct))).ConfigureAwait(false);
        }
        if (!dryRun)
        {
            await client.PutManifestAsync(target, manifest.Digest.ToString(), manifest, cancellationToken).ConfigureAwait(false);
            stats.ManifestPushed();
        }
    }

    private Task CopyChildAsync(RepositoryAccess source, RepositoryAccess target, Descriptor child, CopyStats stats, bool dryRun, CancellationToken cancellationToken) =>
        _flights.RunAsync($"{target.Name.Name}@{child.Digest}", async () =>
        {
            if (await client.HeadManifestAsync(target, child.Digest.ToString(), cancellationToken).ConfigureAwait(false) is not null)
            {
                return;
            }
            var manifest = await client.GetManifestAsync(source, child.Digest.ToString(), cancellationToken).ConfigureAwait(false);
            await CopyAsync(source, target, manifest, stats, dryRun, cancellationToken).ConfigureAwait(false);
        });
}

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

    // Dry run: a child manifest's presence in a target repository and its bytes from the source, read once each.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Task<Descriptor?>> _present = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Task<ManifestDocument>> _fetched = new(StringComparer.Ordinal);

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
            // Windows base layers: registries do not serve them, and skopeo and crane leave them out by default.
            foreach (var foreign in manifest.Blobs.Where(b => b.IsNonDistributable).DistinctBy(b => b.Digest))
            {
                stats.Note($"non-distributable layer {foreign.Digest} ({foreign.MediaType}) not copied: it stays at its URLs ({Output.Untrusted.Line(foreign.Urls![0], 100)}), as skopeo and crane leave it by default");
            }
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
        dryRun ? PlanChildAsync(source, target, child, stats, cancellationToken)
        : _flights.RunAsync($"{target.Name.Name}@{child.Digest}", async () =>
        {
            if (await client.HeadManifestAsync(target, child.Digest.ToString(), cancellationToken).ConfigureAwait(false) is not null)
            {
                return;
            }
            var manifest = await client.GetManifestAsync(source, child.Digest.ToString(), cancellationToken).ConfigureAwait(false);
            await CopyAsync(source, target, manifest, stats, dryRun, cancellationToken).ConfigureAwait(false);
        });

    /// <summary>Dry run: every tag walks its whole graph (requests are shared), so each records all it needs.</summary>
    private async Task PlanChildAsync(RepositoryAccess source, RepositoryAccess target, Descriptor child, CopyStats stats, CancellationToken cancellationToken)
    {
        if (await _present.GetOrAdd($"{target.Name.Name}@{child.Digest}", _ => client.HeadManifestAsync(target, child.Digest.ToString(), cancellationToken)).ConfigureAwait(false) is not null)
        {
            return;
        }
        var manifest = await _fetched.GetOrAdd($"{source.Name.Name}@{child.Digest}", _ => client.GetManifestAsync(source, child.Digest.ToString(), cancellationToken)).ConfigureAwait(false);
        await CopyAsync(source, target, manifest, stats, dryRun: true, cancellationToken).ConfigureAwait(false);
    }
}

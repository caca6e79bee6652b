using ImageSync.Registry;

namespace ImageSync.Copy;

/// <summary>
/// Copies a manifest graph children first: blobs, then child manifests by digest, then the root by digest. A tag is
/// written by the caller only after this returns, so a tag never points to something incomplete. A child manifest
/// already in the target is complete (the registry checked its blobs on push) and is not walked again.
/// </summary>
internal sealed class ManifestCopier(RegistryClient client, BlobCopier blobs, int parallelism)
{
    private readonly SingleFlight<bool> _flights = new();

    // Dry run: a child manifest's presence in a target repository and its bytes from the source, read once each.
    private readonly SingleFlight<Descriptor?> _present = new();
    private readonly SingleFlight<ManifestDocument> _fetched = new();

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
        // The hook for what refers to it (ReferrerCopier): its referrers are copied once the tag is written.
        stats.Subject(manifest.Digest);
    }

    private Task CopyChildAsync(RepositoryAccess source, RepositoryAccess target, Descriptor child, CopyStats stats, bool dryRun, CancellationToken cancellationToken) =>
        dryRun ? PlanChildAsync(source, target, child, stats, cancellationToken)
        : _flights.RunAsync($"{target.Name.Name}@{child.Digest}", async ct =>
        {
            if (await client.HeadManifestAsync(target, child.Digest.ToString(), ct).ConfigureAwait(false) is not null)
            {
                return true;
            }
            var manifest = await client.GetManifestAsync(source, child.Digest.ToString(), ct).ConfigureAwait(false);
            await CopyAsync(source, target, manifest, stats, dryRun, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>Dry run: every tag walks its whole graph (requests are shared), so each records all it needs.</summary>
    private async Task PlanChildAsync(RepositoryAccess source, RepositoryAccess target, Descriptor child, CopyStats stats, CancellationToken cancellationToken)
    {
        if (await _present.RunAsync($"{target.Name.Name}@{child.Digest}", ct => client.HeadManifestAsync(target, child.Digest.ToString(), ct), cancellationToken).ConfigureAwait(false) is not null)
        {
            return;
        }
        var manifest = await _fetched.RunAsync($"{source.Name.Name}@{child.Digest}", ct => client.GetManifestAsync(source, child.Digest.ToString(), ct), cancellationToken).ConfigureAwait(false);
        await CopyAsync(source, target, manifest, stats, dryRun: true, cancellationToken).ConfigureAwait(false);
    }
}

using ImageSync.Registry;

namespace ImageSync.Copy;

/// <summary>
/// Copies a manifest graph children first: blobs, then child manifests by digest, then the root by digest (or, when
/// the caller writes the root by its tag, not at all). A tag is written by the caller only after this returns, so a
/// tag never points to something incomplete. A child manifest already in the target is complete (the registry
/// checked its blobs on push) and is not walked again. Siblings never wait for each other: every child and every
/// blob of a manifest starts at once.
/// </summary>
internal sealed class ManifestCopier(RegistryClient client, BlobCopier blobs)
{
    private readonly SingleFlight<bool> _flights = new();

    // Dry run: a child manifest's presence in a target repository and its bytes from the source, read once each.
    private readonly SingleFlight<Descriptor?> _present = new();
    private readonly SingleFlight<ManifestDocument> _fetched = new();

    /// <param name="pushRoot">False when the caller writes the root itself (by its tag, the same bytes), so it is
    /// not pushed twice.</param>
    public async Task CopyAsync(RepositoryAccess source, RepositoryAccess target, ManifestDocument manifest, CopyStats stats, bool dryRun, CancellationToken cancellationToken, bool pushRoot = true)
    {
        if (manifest.IsIndex)
        {
            await AllAtOnceAsync(manifest.Children, (child, ct) => CopyChildAsync(source, target, child, stats, dryRun, ct), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var distributable = manifest.Blobs.Where(b => !b.IsNonDistributable).DistinctBy(b => b.Digest).ToList();
            // Windows base layers: registries do not serve them, and skopeo and crane leave them out by default.
            foreach (var foreign in manifest.Blobs.Where(b => b.IsNonDistributable).DistinctBy(b => b.Digest))
            {
                stats.Note($"non-distributable layer {foreign.Digest} ({foreign.MediaType}) not copied: it stays at its URLs ({Output.Untrusted.Line(foreign.Urls![0], 100)}), as skopeo and crane leave it by default");
            }
            await AllAtOnceAsync(distributable, (blob, ct) => blobs.CopyAsync(source, target, blob, stats, dryRun, ct), cancellationToken).ConfigureAwait(false);
        }
        if (!dryRun && pushRoot)
        {
            await client.PutManifestAsync(target, manifest.Digest.ToString(), manifest, cancellationToken).ConfigureAwait(false);
            stats.ManifestPushed();
        }
        // The hook for what refers to it (ReferrerCopier): its referrers are copied once the tag is written.
        stats.Subject(manifest.Digest);
    }

    /// <summary>
    /// Every child or blob at once: each begins with a latency-bound check, and nothing here waits for a sibling's
    /// round trip. Bytes in flight are bounded by the blob copier's transfer slots, requests by the host throttle.
    /// The first failure cancels the rest, and the manifest is not pushed.
    /// </summary>
    private static Task AllAtOnceAsync<T>(IReadOnlyList<T> items, Func<T, CancellationToken, Task> work, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, items.Count), CancellationToken = cancellationToken },
            (item, ct) => new ValueTask(work(item, ct)));

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

using System.Net;
using ImageSync.References;
using ImageSync.Registry;

namespace ImageSync.Copy;

/// <summary>
/// OCI 1.1 referrers (distribution-spec 1.1): the manifests whose <c>subject</c> names a digest. Read upstream
/// through the referrers API where the registry has it, else from the referrers fallback tag (<c>sha256-HEX</c>,
/// "Referrers Tag Schema"); each one the target lacks is copied after its subject, pushed by digest; a target with
/// the API lists it from its <c>subject</c>, one without it gets its fallback tag read, extended and pushed back
/// ("Pushing Manifests with Subject").
/// </summary>
internal sealed class OciReferrerCopier(RegistryClient client, ManifestCopier manifests, ArtifactDiscovery discovery, ReferrersApi api)
{
    /// <summary>More referrers than this for one digest are not copied in one run: each costs requests.</summary>
    public const int MaxReferrers = 128;

    public async Task CopyAsync(RepositoryAccess source, RepositoryAccess target, Digest subject, IReadOnlyList<string>? artifactTypes, CopyStats stats, bool dryRun, CancellationToken cancellationToken)
    {
        var (listed, upstreamIndex) = await UpstreamAsync(source, subject, artifactTypes, cancellationToken).ConfigureAwait(false);
        var wanted = ReferrersIndex.Filter(listed, artifactTypes);
        if (wanted.Count == 0)
        {
            return;
        }
        var held = await TargetAsync(target, subject, cancellationToken).ConfigureAwait(false);
        if (held is null)
        {
            stats.Note($"the target's {ArtifactTags.For(subject, "")} is not an image index, so it is no referrers list; its referrers were not copied");
            return;
        }
        var missing = wanted.Where(e => !held.Value.Listed.Contains(e.Manifest.Digest)).ToList();
        if (missing.Count > MaxReferrers)
        {
            stats.Note($"{missing.Count} referrers of {subject} are missing in the target; the first {MaxReferrers} are copied this run");
            missing = missing[..MaxReferrers];
        }
        var copied = new List<ReferrerEntry>();
        foreach (var entry in missing)
        {
            var what = $"referrer {entry.Manifest.Digest}{(entry.ArtifactType is null ? "" : $" ({Output.Untrusted.Line(entry.ArtifactType, 100)})")} of {subject}";
            if (dryRun)
            {
                stats.Note($"would be added: {what}");
                continue;
            }
            var manifest = await client.GetManifestAsync(source, entry.Manifest.Digest.ToString(), cancellationToken).ConfigureAwait(false);
            if (ReferrersIndex.Subject(manifest) is { } named && named != subject)
            {
                // Listed for this digest but attached to another: copying it would list it under the wrong image.
                stats.Note($"{what} names {named} as its subject; not copied");
                continue;
            }
            // ManifestCopier pushes its blobs, then the manifest by digest: the subject is already in the target.
            await manifests.CopyAsync(source, target, manifest, stats, dryRun: false, cancellationToken).ConfigureAwait(false);
            copied.Add(entry);
            stats.Note($"added {what}");
        }
        if (copied.Count > 0 && !held.Value.Api && ReferrersIndex.Merge(held.Value.FallbackIndex, copied, upstreamIndex) is { } merged)
        {
            await client.PutManifestAsync(target, ArtifactTags.For(subject, ""), ManifestDocument.Parse(merged, MediaTypes.OciIndex), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Upstream's referrers list, and the fallback index's bytes when that is where it came from.</summary>
    private async Task<(IReadOnlyList<ReferrerEntry> Listed, byte[]? FallbackIndex)> UpstreamAsync(RepositoryAccess source, Digest subject, IReadOnlyList<string>? artifactTypes, CancellationToken cancellationToken)
    {
        // The API filters by one artifactType per request; with several wanted, one unfiltered list serves them all.
        if (await api.ListAsync(source, subject, artifactTypes is [var one] ? one : null, cancellationToken).ConfigureAwait(false) is { } list)
        {
            return (ReferrersIndex.Parse(list), null);
        }
        var tag = ArtifactTags.For(subject, "");
        if (!await discovery.MayExistAsync(source, tag, cancellationToken).ConfigureAwait(false) || await FallbackAsync(source, tag, cancellationToken).ConfigureAwait(false) is not { } index)
        {
            return ([], null);
        }
        return index.IsIndex ? (ReferrersIndex.Parse(index.Raw), index.Raw) : ([], null);
    }

    /// <summary>What the target lists for the subject; null when its fallback tag holds something other than an index.</summary>
    private async Task<(HashSet<Digest> Listed, byte[]? FallbackIndex, bool Api)?> TargetAsync(RepositoryAccess target, Digest subject, CancellationToken cancellationToken)
    {
        if (await api.ListAsync(target, subject, null, cancellationToken).ConfigureAwait(false) is { } list)
        {
            return ([.. ReferrersIndex.Parse(list).Select(e => e.Manifest.Digest)], null, true);
        }
        var index = await FallbackAsync(target, ArtifactTags.For(subject, ""), cancellationToken).ConfigureAwait(false);
        if (index is { IsIndex: false })
        {
            return null;
        }
        return index is null ? ([], null, false) : ([.. ReferrersIndex.Parse(index.Raw).Select(e => e.Manifest.Digest)], index.Raw, false);
    }

    private async Task<ManifestDocument?> FallbackAsync(RepositoryAccess repository, string tag, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetManifestAsync(repository, tag, cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}

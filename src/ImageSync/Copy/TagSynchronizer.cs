using System.Diagnostics;
using ImageSync.Config;
using ImageSync.Errors;
using ImageSync.References;
using ImageSync.Registry;

namespace ImageSync.Copy;

/// <summary>
/// Brings one configured tag in sync. An unchanged tag costs one HEAD upstream and one HEAD on the target; only a
/// platform selection needs the source index as well, to know which digest the target should hold.
/// </summary>
internal sealed class TagSynchronizer(RegistryClient client, ManifestCopier manifests, SyncOptions options, TagListCache tagLists)
{
    private readonly SignatureGate _gate = new(client);
    private readonly ReferrerCopier _referrers = new(client, manifests, tagLists);
    private readonly TagBackups _backups = new(client, DateTimeOffset.UtcNow);
    private readonly NewRepositories _created = new(client);
    private readonly Signing.MirrorSigner _signer = new(client);

    /// <param name="again">The end-of-run retry of a tag that failed on a transient error: its image may have been
    /// written before the failure, so an in-sync tag still gets its signatures.</param>
    public async Task<TagResult> RunAsync(ImageSpec image, TagSpec tag, CancellationToken cancellationToken, bool again = false)
    {
        var clock = Stopwatch.StartNew();
        var sourceRef = tag.SourceReference(image.Upstream);
        var targetRef = image.Target.WithTag(tag.Target);
        var source = RepositoryAccess.Pull(image.Upstream);
        var target = options.Mode == SyncMode.Sync ? RepositoryAccess.PullPush(image.Target) : RepositoryAccess.Pull(image.Target);
        Digest? sourceDigest = null;
        Digest? before = null;
        // The digest the tag was written as, once it was: an error after that (the read-back, a signature) leaves it so.
        Digest? written = null;

        CopyStats? stats = null;
        TagBackup? backup = null;
        TagResult Result(TagAction action, Digest? after = null, long bytes = 0, string? error = null, IReadOnlyList<PlannedBlob>? plan = null, bool transient = false) =>
            new(image.Name, tag.Target, sourceRef, targetRef, sourceDigest, before, after, action, bytes, clock.Elapsed, error, plan, transient,
                Notes: stats?.Notes is { Count: > 0 } notes ? notes : null, Backup: backup);

        try
        {
            var upstream = await client.HeadManifestAsync(source, tag.Source, cancellationToken).ConfigureAwait(false);
            if (upstream is null)
            {
                return Result(TagAction.UpstreamMissing, error: $"{sourceRef} does not exist upstream");
            }
            sourceDigest = upstream.Digest;
            before = (await client.HeadManifestAsync(target, tag.Target, cancellationToken).ConfigureAwait(false))?.Digest;

            ManifestDocument? root = null;
            var desired = upstream.Digest;
            if (image.Platforms is not null || image.RequiredPlatforms.Count > 0)
            {
                var index = await client.GetManifestAsync(source, upstream.Digest.ToString(), cancellationToken).ConfigureAwait(false);
                var (selected, error) = await PlatformSelection.SelectAsync(client, source, index, image.Platforms, image.RequiredPlatforms, cancellationToken).ConfigureAwait(false);
                if (error is not null)
                {
                    return Result(TagAction.Error, before, error: error);
                }
                root = selected!;
                desired = root.Digest;
            }

            if (before == desired)
            {
                // "follow": what upstream attached since the tag was mirrored (the plan says what it would add).
                var follow = again ? options.Mode == SyncMode.Sync : image.Signatures == SignaturesMode.Follow && options.Mode is SyncMode.Sync or SyncMode.DryRun;
                if (follow && options.CopySignatures)
                {
                    stats = new CopyStats();
                    await _referrers.CopyAsync(image, source, target, [desired], stats, options.Mode == SyncMode.DryRun, cancellationToken).ConfigureAwait(false);
                    // The end-of-run retry (the tag may have been written before the failure), or upstream's .sig
                    // just replaced the target's: the mirror's signature goes on again.
                    if (options.Mode == SyncMode.Sync && (again || stats.SignatureTagRewritten))
                    {
                        await _signer.SignAsync(image, target, desired, stats, cancellationToken).ConfigureAwait(false);
                    }
                }
                return Result(TagAction.InSync, before);
            }
            if (before is not null && image.ImmutableTags)
            {
                return Result(TagAction.Conflict, before, error: $"{targetRef} is {before} but upstream is {desired}; immutable tags are never overwritten");
            }
            if (image.Verify is not null && await _gate.CheckAsync(image, source, upstream.Digest, cancellationToken).ConfigureAwait(false) is { Verified: false } refused)
            {
                return Result(TagAction.Unverified, before, error: refused.Reason);
            }
            stats = new CopyStats();
            Signing.MirrorSigner.Plan(image, desired, stats, options.Mode);
            if (options.Mode == SyncMode.Status)
            {
                backup = _backups.Plan(image, tag.Target, before);
                return Result(before is null ? TagAction.Missing : TagAction.Outdated, before);
            }

            // A tag the target lacks, on quay.io or ghcr.io: was the repository empty (the push creates it, private)?
            var created = before is null && options.Mode == SyncMode.Sync && await _created.WasEmptyAsync(target, cancellationToken).ConfigureAwait(false);
            if (await client.HeadManifestAsync(target, desired.ToString(), cancellationToken).ConfigureAwait(false) is null)
            {
                root ??= await client.GetManifestAsync(source, desired.ToString(), cancellationToken).ConfigureAwait(false);
                await manifests.CopyAsync(source, target, root, stats, options.Mode == SyncMode.DryRun, cancellationToken).ConfigureAwait(false);
            }
            // The tag is about to move: its old digest first kept under the backup tag, if the image keeps one.
            backup = await _backups.KeepAsync(image, target, tag.Target, before, options.Mode == SyncMode.DryRun, cancellationToken).ConfigureAwait(false);
            if (backup is { State: BackupState.Taken })
            {
                return Result(TagAction.Conflict, before, stats.BytesUploaded, $"{targetRef} was not moved: {backup.Describe()} (name each move's backup apart: {{digest12}} or {{time}} in the template)");
            }
            if (options.Mode == SyncMode.DryRun)
            {
                if (options.CopySignatures)
                {
                    await _referrers.CopyAsync(image, source, target, [.. stats.Subjects, desired], stats, dryRun: true, cancellationToken).ConfigureAwait(false);
                }
                return Result(TagAction.WouldCopy, before, plan: stats.Planned);
            }

            root ??= await client.GetManifestAsync(source, desired.ToString(), cancellationToken).ConfigureAwait(false);
            try
            {
                await client.PutManifestAsync(target, tag.Target, root, cancellationToken).ConfigureAwait(false);
                written = desired;
            }
            catch (RegistryException e) when (e.RefusesImmutableTag)
            {
                // Harbor's tag immutability rules, ECR's immutable repositories: the registry keeps the tag as it is.
                return Result(TagAction.Conflict, before, stats.BytesUploaded, $"{targetRef}: the registry keeps its immutable tag and refused to overwrite it: {e.Message}");
            }
            var after = await ReadBackAsync(target, tag.Target, desired, cancellationToken).ConfigureAwait(false);
            if (after != desired)
            {
                return Result(TagAction.Error, after, stats.BytesUploaded, $"after the copy {targetRef} resolves to {after?.ToString() ?? "nothing"}, not {desired}");
            }
            if (created && _created.NoteOnce(target) is { } privately)
            {
                stats.Note(privately);
            }
            if (options.CopySignatures)
            {
                await _referrers.CopyAsync(image, source, target, [.. stats.Subjects, desired], stats, dryRun: false, cancellationToken).ConfigureAwait(false);
            }
            await _signer.SignAsync(image, target, desired, stats, cancellationToken).ConfigureAwait(false);
            return Result(TagAction.Copied, after, stats.BytesUploaded);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException e)
        {
            // Not this tag's cancellation: work it shared with another tag was stopped. Say so; never drop the tag.
            return Result(TagAction.Error, written ?? before, error: $"interrupted: {e.Message}", transient: true);
        }
        catch (Exception e) when (e is ImageSyncException or IOException or InvalidDataException)
        {
            return Result(TagAction.Error, written ?? before, error: e.Message, transient: client.Retry.IsTransient(e));
        }
    }

    /// <summary>
    /// The tag just written, read back. Registries on eventually consistent storage can answer 404 (or the old
    /// digest) for a moment after the PUT: docker-archive/docker-registry#408 and #600 (S3's read-after-write, retried
    /// reads), dogestry/dogestry#45 (an image missing right after its push, found later); issue 18 names ECR and
    /// distribution on S3. The HEAD is asked again a few times, about 3 s in all, before the copy is an error.
    /// </summary>
    private async Task<Digest?> ReadBackAsync(RepositoryAccess target, string tag, Digest desired, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var after = (await client.HeadManifestAsync(target, tag, cancellationToken).ConfigureAwait(false))?.Digest;
            if (after == desired || attempt == ReadBackDelays.Length)
            {
                return after;
            }
            await Task.Delay(ReadBackDelays[attempt], cancellationToken).ConfigureAwait(false);
        }
    }

    private static readonly TimeSpan[] ReadBackDelays = [TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(800), TimeSpan.FromMilliseconds(1600)];
}

using ImageSync.Config;
using ImageSync.Registry;

namespace ImageSync.Copy;

/// <summary>
/// Runs every selected tag, up to <see cref="SyncOptions.Checks"/> at once (a tag in sync is two latency-bound
/// HEADs), with blob transfers bounded separately by <see cref="SyncOptions.Concurrency"/>; results keep config order.
/// </summary>
public sealed class SyncRunner
{
    private readonly TagSynchronizer _tags;
    private readonly BlobCopier _blobs;
    private readonly SyncOptions _options;

    public SyncRunner(RegistryClient client, SyncOptions options)
    {
        _options = options;
        var slots = new SemaphoreSlim(options.Concurrency);
        _blobs = new BlobCopier(client, slots, Progress);
        TagLists = new TagListCache(client);
        _tags = new TagSynchronizer(client, new ManifestCopier(client, _blobs, options.Concurrency), options, TagLists);
    }

    /// <summary>The run's upstream tag lists, each read once (artifact discovery reads them; so may tag rules).</summary>
    public TagListCache TagLists { get; }

    /// <summary>Progress: called as each tag finishes.</summary>
    public event Action<TagResult>? TagCompleted;

    /// <summary>Tags done, bytes uploaded and tags in flight, for a live display.</summary>
    public RunProgress Progress { get; } = new();

    public async Task<IReadOnlyList<TagResult>> RunAsync(IReadOnlyList<(ImageSpec Image, TagSpec Tag)> work, CancellationToken cancellationToken)
    {
        var results = new TagResult?[work.Count];
        using var failFast = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.Checks, CancellationToken = failFast.Token };
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, work.Count), parallel, async (i, ct) =>
            {
                var name = $"{work[i].Image.Name}:{work[i].Tag.Target}";
                Progress.Started(name);
                var result = await _tags.RunAsync(work[i].Image, work[i].Tag, ct).ConfigureAwait(false);
                Progress.Finished(name);
                results[i] = result;
                if (!IsRetried(result))
                {
                    Completed(result, failFast);
                }
            }).ConfigureAwait(false);
            // A flaky registry fails a few tags on errors that say "try again": once more, after all the others,
            // when the host throttle has slowed down for whatever answered 429 or 5xx.
            var again = Enumerable.Range(0, work.Count).Where(i => results[i] is { } r && IsRetried(r)).ToList();
            await Parallel.ForEachAsync(again, parallel, async (i, ct) =>
            {
                var first = results[i]!;
                var result = await _tags.RunAsync(work[i].Image, work[i].Tag, ct, again: true).ConfigureAwait(false);
                // The first attempt may have written the tag before it failed (a signature, the read-back): then this run copied it.
                var copiedBefore = result.Action == TagAction.InSync && first.TargetDigestAfter is { } wrote
                    && wrote == result.TargetDigestAfter && wrote != first.TargetDigestBefore;
                results[i] = result with
                {
                    Action = copiedBefore ? TagAction.Copied : result.Action,
                    TargetDigestBefore = copiedBefore ? first.TargetDigestBefore : result.TargetDigestBefore,
                    RetriedAfter = first.Error,
                    // A backup the first attempt wrote is this run's, though the second found it in place.
                    Backup = first.Backup is { State: BackupState.BackedUp } kept && result.Backup is { State: BackupState.AlreadyBackedUp } found && found.Tag == kept.Tag ? kept : result.Backup,
                    Duration = first.Duration + result.Duration,
                };
                Completed(results[i]!, failFast);
            }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && failFast.IsCancellationRequested)
        {
            // --fail-fast: the tags not yet finished are left out of the results.
        }
        finally
        {
            // Cancelled, a tag stops waiting before the upload it shares has stopped: wait for the uploads to end and
            // cancel their sessions, so the run says what it closed and the process exits with none open.
            await _blobs.DrainAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }
        var done = results.OfType<TagResult>().ToList();
        return _options.Mode == SyncMode.DryRun ? Attribute(done) : done;
    }

    /// <summary>Tried again at the end of the run: failed, only on transient errors, not with --fail-fast (which stops at the first).</summary>
    private bool IsRetried(TagResult result) => result is { Action: TagAction.Error, Transient: true } && !_options.FailFast;

    private void Completed(TagResult result, CancellationTokenSource failFast)
    {
        TagCompleted?.Invoke(result);
        if (_options.FailFast && result.Action is TagAction.Error or TagAction.Conflict or TagAction.UpstreamMissing or TagAction.Unverified)
        {
            failFast.Cancel();
        }
    }

    /// <summary>
    /// A dry run's bytes, as the copy would move them: each blob is counted once per target registry, for the first
    /// tag in configuration order that needs it; a repository that needs it after that would mount it, as would one
    /// whose source is on the same registry. The same state gives the same numbers, run after run.
    /// </summary>
    private static List<TagResult> Attribute(List<TagResult> results)
    {
        var uploaded = new HashSet<(string, string)>();
        var inRepository = new HashSet<(string, string, string)>();
        return [.. results.Select(result =>
        {
            long bytes = 0;
            foreach (var blob in (result.Plan ?? []).OrderBy(b => b.Digest.ToString(), StringComparer.Ordinal))
            {
                if (inRepository.Add((blob.Endpoint, blob.Repository, blob.Digest.ToString())) && !blob.MountedFromSource && uploaded.Add((blob.Endpoint, blob.Digest.ToString())))
                {
                    bytes += blob.Size;
                }
            }
            return result with { Bytes = bytes };
        })];
    }
}

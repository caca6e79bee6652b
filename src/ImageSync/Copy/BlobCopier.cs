using System.Collections.Concurrent;
using System.Net;
using ImageSync.Registry;

namespace ImageSync.Copy;

/// <summary>
/// Puts one blob into a target repository the cheapest way: already there (HEAD), mounted from a repository on
/// the same registry that has it, or streamed from the source. Each blob crosses the network at most once per
/// target registry in a run; a transfer slot bounds how many stream at once (bytes in flight, not requests: the
/// HEAD, the mount and a blob of at most 512 KiB hold none).
/// </summary>
internal sealed class BlobCopier(RegistryClient client, SemaphoreSlim transferSlots, RunProgress progress)
{
    private readonly SingleFlight<bool> _flights = new();
    // Transfers running now, for DrainAsync.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Task<bool>, byte> _active = new();
    private readonly Polly.ResiliencePipeline _retry = client.Retry.OperationPipeline();
    // Where each blob is known to be, per target endpoint, so another repository there can mount it.
    private readonly SingleFlight<RepositoryAccess> _locations = new();
    private readonly BlobStreamer _streamer = new(client, progress);
    // Dry run: each blob's existence in a target repository, asked once however many tags need it.
    private readonly SingleFlight<bool> _exists = new();

    public Task CopyAsync(RepositoryAccess source, RepositoryAccess target, Descriptor blob, CopyStats stats, bool dryRun, CancellationToken cancellationToken) =>
        dryRun ? PlanAsync(source, target, blob, stats, cancellationToken)
        : _flights.RunAsync($"{target.Name.Name}@{blob.Digest}", ct => CopyOnceAsync(source, target, blob, stats, ct), cancellationToken);

    /// <summary>
    /// Dry run: record that this tag needs the blob (every tag that needs it records it, so the run can attribute the
    /// bytes deterministically, in configuration order), reading only what a copy would read.
    /// </summary>
    private async Task PlanAsync(RepositoryAccess source, RepositoryAccess target, Descriptor blob, CopyStats stats, CancellationToken cancellationToken)
    {
        var exists = await _exists.RunAsync($"{target.Name.Name}@{blob.Digest}", ct => client.BlobExistsAsync(target, blob.Digest, ct), cancellationToken).ConfigureAwait(false);
        if (exists)
        {
            stats.Present(blob.Size);
            return;
        }
        var mountable = client.SameEndpoint(source, target) && source.Name != target.Name;
        stats.Plan(new PlannedBlob(client.Endpoints.BaseUri(target.Registry).ToString(), target.Name.Name, blob.Digest, blob.Size, mountable));
    }

    private async Task<bool> CopyOnceAsync(RepositoryAccess source, RepositoryAccess target, Descriptor blob, CopyStats stats, CancellationToken cancellationToken)
    {
        if (await client.BlobExistsAsync(target, blob.Digest, cancellationToken).ConfigureAwait(false))
        {
            stats.Present(blob.Size);
            _locations.Remember(LocationKey(target, blob), target);
            return true;
        }

        // The first repository on this endpoint to need the blob uploads it; the others wait and mount from it.
        var uploaded = false;
        RepositoryAccess holder;
        try
        {
            holder = await _locations.RunAsync(LocationKey(target, blob), async ct =>
            {
                uploaded = true;
                await CopyWithRetriesAsync(source, target, blob, stats, ct).ConfigureAwait(false);
                return target;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!uploaded && !cancellationToken.IsCancellationRequested)
        {
            // The other repository's upload failed or was cancelled with its own tag: upload ourselves.
            await CopyWithRetriesAsync(source, target, blob, stats, cancellationToken).ConfigureAwait(false);
            return true;
        }
        if (uploaded)
        {
            return true;
        }
        try
        {
            if (await TransferAsync(holder, target, blob, stats, mountOnly: true, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The mount was refused: upload ourselves.
        }
        await CopyWithRetriesAsync(source, target, blob, stats, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private string LocationKey(RepositoryAccess target, Descriptor blob) => $"{client.Endpoints.BaseUri(target.Registry)}|{blob.Digest}";

    /// <summary>
    /// A streamed upload cannot be replayed by the request pipeline, so the whole blob is retried here under the
    /// run's one retry policy. A 413 (or 416) means "not in one PUT": this blob, and every later one for this
    /// registry, goes in chunks.
    /// </summary>
    private async Task CopyWithRetriesAsync(RepositoryAccess source, RepositoryAccess target, Descriptor blob, CopyStats stats, CancellationToken cancellationToken)
    {
        var chunked = false;
        await _retry.ExecuteAsync(async ct =>
        {
            try
            {
                await TransferAsync(source, target, blob, stats, mountOnly: false, ct).ConfigureAwait(false);
            }
            catch (RegistryException e) when (e.StatusCode is HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.RequestedRangeNotSatisfiable && !chunked)
            {
                chunked = true;
                _streamer.NeedsChunks(target);
                await TransferAsync(source, target, blob, stats, mountOnly: false, ct).ConfigureAwait(false);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits (up to <paramref name="bound"/>) for every transfer still running to end, its upload session cancelled if
    /// it failed. A flight runs on after its callers gave up (<see cref="SingleFlight{T}"/>), so a cancelled run can
    /// return before its uploads stopped; waiting here keeps the process from exiting with a session open.
    /// </summary>
    public async Task DrainAsync(TimeSpan bound)
    {
        try
        {
            await Task.WhenAll(_active.Keys).WaitAsync(bound).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException or RegistryException or IOException or HttpRequestException or ImageSync.Errors.ImageSyncException)
        {
            // Their failures are their tags' to report; here only their end matters.
        }
    }

    /// <summary>Mount when the source is on the same endpoint, else stream. With mountOnly, false means "not mounted".</summary>
    private async Task<bool> TransferAsync(RepositoryAccess source, RepositoryAccess target, Descriptor blob, CopyStats stats, bool mountOnly, CancellationToken cancellationToken)
    {
        var transfer = TransferOnceAsync(source, target, blob, stats, mountOnly, cancellationToken);
        _active.TryAdd(transfer, 0);
        try
        {
            return await transfer.ConfigureAwait(false);
        }
        finally
        {
            _active.TryRemove(transfer, out _);
        }
    }

    /// <summary>
    /// A mount is one body-less POST and holds no transfer slot; only moving bytes does, so a run of blobs that are
    /// there or mountable is never queued behind the uploads in flight.
    /// </summary>
    private async Task<bool> TransferOnceAsync(RepositoryAccess source, RepositoryAccess target, Descriptor blob, CopyStats stats, bool mountOnly, CancellationToken cancellationToken)
    {
        var mountable = client.SameEndpoint(source, target) && source.Name != target.Name;
        if (mountOnly && !mountable)
        {
            return false;
        }
        UploadStart? opened = null;
        if (mountable)
        {
            opened = await client.StartUploadAsync(target, blob.Digest, source, cancellationToken).ConfigureAwait(false);
            if (opened.Mounted)
            {
                stats.Mounted(blob.Size);
                return true;
            }
            if (mountOnly)
            {
                await client.CancelUploadAsync(target, opened.Session!).ConfigureAwait(false);
                return false;
            }
        }
        var slot = blob.Size > SessionSettings.SlotFreeBlobBytes;
        try
        {
            if (slot)
            {
                await transferSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (opened is not null)
        {
            progress.UploadSessionClosed(await client.CancelUploadAsync(target, opened.Session!).ConfigureAwait(false), $"{target}@{blob.Digest}");
            throw;
        }
        try
        {
            await _streamer.SendAsync(source, target, blob, opened, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (slot)
            {
                transferSlots.Release();
            }
        }
        stats.Uploaded(blob.Size);
        return true;
    }
}

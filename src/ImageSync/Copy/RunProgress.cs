namespace ImageSync.Copy;

/// <summary>
/// How far a run is, for progress displays and for what an interrupted run says: tags done, bytes uploaded (as they
/// move), the tags in flight, and the upload sessions a failed or cancelled transfer closed. Thread-safe.
/// </summary>
public sealed class RunProgress
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _inFlight = new(StringComparer.Ordinal);
    private readonly List<string> _notCancelled = [];
    private long _bytes;
    private int _done;
    private int _cancelled;

    public long BytesUploaded => Interlocked.Read(ref _bytes);

    public int TagsDone => Volatile.Read(ref _done);

    /// <summary>One of the tags being worked on now, if any.</summary>
    public string? InFlight
    {
        get
        {
            lock (_lock)
            {
                return _inFlight.FirstOrDefault();
            }
        }
    }

    /// <summary>Every tag being worked on now, in name order.</summary>
    public IReadOnlyList<string> AllInFlight
    {
        get
        {
            lock (_lock)
            {
                return [.. _inFlight.Order(StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>Upload sessions of failed or cancelled transfers that the target cancelled.</summary>
    public int SessionsCancelled => Volatile.Read(ref _cancelled);

    /// <summary>Those it did not: the blob and why, each a line.</summary>
    public IReadOnlyList<string> SessionsNotCancelled
    {
        get
        {
            lock (_lock)
            {
                return [.. _notCancelled];
            }
        }
    }

    /// <summary>Bytes sent (negative: bytes of an attempt that failed, no longer counted).</summary>
    internal void Uploaded(long bytes) => Interlocked.Add(ref _bytes, bytes);

    /// <param name="refusal">Null: the session was cancelled; otherwise why it was not.</param>
    internal void UploadSessionClosed(string? refusal, string blob)
    {
        if (refusal is null)
        {
            Interlocked.Increment(ref _cancelled);
            return;
        }
        lock (_lock)
        {
            _notCancelled.Add($"{blob}: {refusal}");
        }
    }

    internal void Started(string tag)
    {
        lock (_lock)
        {
            _inFlight.Add(tag);
        }
    }

    internal void Finished(string tag)
    {
        lock (_lock)
        {
            _inFlight.Remove(tag);
        }
        Interlocked.Increment(ref _done);
    }
}

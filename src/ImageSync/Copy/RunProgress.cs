namespace ImageSync.Copy;

/// <summary>How far a run is, for progress displays: tags done, bytes uploaded, the tags in flight. Thread-safe.</summary>
public sealed class RunProgress
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _inFlight = new(StringComparer.Ordinal);
    private long _bytes;
    private int _done;

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

    internal void Uploaded(long bytes) => Interlocked.Add(ref _bytes, bytes);

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

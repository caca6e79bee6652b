namespace ImageSync.Copy;

/// <summary>What one tag's copy moved; thread-safe, since blobs are copied in parallel.</summary>
public sealed class CopyStats
{
    private long _uploaded;
    private long _mounted;
    private long _present;
    private int _blobsUploaded;
    private int _blobsMounted;
    private int _manifests;
    private readonly System.Collections.Concurrent.ConcurrentQueue<PlannedBlob> _planned = new();

    public long BytesUploaded => Interlocked.Read(ref _uploaded);
    public long BytesMounted => Interlocked.Read(ref _mounted);
    public long BytesAlreadyPresent => Interlocked.Read(ref _present);
    public int BlobsUploaded => _blobsUploaded;
    public int BlobsMounted => _blobsMounted;
    public int ManifestsPushed => _manifests;

    internal void Uploaded(long bytes)
    {
        Interlocked.Add(ref _uploaded, bytes);
        Interlocked.Increment(ref _blobsUploaded);
    }

    internal void Mounted(long bytes)
    {
        Interlocked.Add(ref _mounted, bytes);
        Interlocked.Increment(ref _blobsMounted);
    }

    internal void Present(long bytes) => Interlocked.Add(ref _present, bytes);

    /// <summary>Dry run: the blobs this tag would need, however other tags share them (the run attributes bytes in order).</summary>
    public IReadOnlyList<PlannedBlob> Planned => [.. _planned];

    internal void Plan(PlannedBlob blob) => _planned.Enqueue(blob);

    internal void ManifestPushed() => Interlocked.Increment(ref _manifests);

    private readonly System.Collections.Concurrent.ConcurrentQueue<References.Digest> _subjects = new();

    /// <summary>Every manifest this copy wrote (or, in a dry run, would write), children first: whose referrers follow them.</summary>
    public IReadOnlyList<References.Digest> Subjects => [.. _subjects];

    internal void Subject(References.Digest digest) => _subjects.Enqueue(digest);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _notes = new(StringComparer.Ordinal);

    /// <summary>What the user should know about a tag that did not fail: layers left out, a signature the registry kept.</summary>
    public IReadOnlyList<string> Notes => [.. _notes.Keys.Order(StringComparer.Ordinal)];

    internal void Note(string note) => _notes.TryAdd(note, true);

    private int _signatureTagsWritten;

    /// <summary>Whether this copy wrote upstream's <c>.sig</c> tag over the target's: a mirror that signs adds its signature again.</summary>
    public bool SignatureTagRewritten => Volatile.Read(ref _signatureTagsWritten) > 0;

    internal void SignatureTagWritten() => Interlocked.Increment(ref _signatureTagsWritten);
}

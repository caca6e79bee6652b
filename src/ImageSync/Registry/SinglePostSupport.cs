using System.Collections.Concurrent;

namespace ImageSync.Registry;

/// <summary>
/// Whether each endpoint takes a whole blob in one <c>POST .../blobs/uploads/?digest=</c> (distribution spec,
/// "Pushing a blob monolithically", single POST), learnt once a run from one small blob and remembered: a registry
/// that does not do it answers 202 with an upload session (the spec's fallback, and what distribution 2.8 does, its
/// body unread), and its blobs go as POST + PUT from then on. Until the answer is in, blobs go as POST + PUT too.
/// </summary>
internal sealed class SinglePostSupport(TextWriter? debugLog)
{
    private readonly ConcurrentDictionary<Uri, bool> _known = new();
    private readonly ConcurrentDictionary<Uri, byte> _probing = new();

    /// <summary>True: it takes them; false: it refused; null: not known yet.</summary>
    public bool? Accepts(Uri endpoint) => _known.TryGetValue(endpoint, out var accepts) ? accepts : null;

    /// <summary>True for the one caller that is to find out now (the others do not wait for it).</summary>
    public bool TryProbe(Uri endpoint) => !_known.ContainsKey(endpoint) && _probing.TryAdd(endpoint, 0);

    /// <summary>The probe failed before an answer either way (a dropped connection): a later blob asks again.</summary>
    public void Abandon(Uri endpoint) => _probing.TryRemove(endpoint, out _);

    /// <summary>Remembers the answer for the rest of the run, and says so in --debug when it is news.</summary>
    public void Record(Uri endpoint, bool accepts, string why)
    {
        var changed = false;
        _known.AddOrUpdate(endpoint, _ => { changed = true; return accepts; }, (_, was) => { changed = was != accepts; return accepts; });
        _probing.TryRemove(endpoint, out _);
        if (changed && debugLog is not null)
        {
            lock (debugLog)
            {
                debugLog.WriteLine($"debug: {endpoint.Authority} {why}: {(accepts ? "blobs go in one POST" : "blobs go as POST + PUT")} for the rest of the run");
            }
        }
    }
}

using System.Collections.Concurrent;

namespace ImageSync.Registry;

/// <summary>
/// What a run spent per registry: manifest GETs (the requests Docker Hub counts against its pull limit; HEADs are
/// free) and the pull allowance the registry last reported in its <c>ratelimit-limit</c>/<c>ratelimit-remaining</c>
/// headers.
/// </summary>
public sealed class RegistryUsage
{
    private readonly ConcurrentDictionary<string, Entry> _byRegistry = new(StringComparer.OrdinalIgnoreCase);

    public sealed class Entry
    {
        private int _manifestGets;

        public int ManifestGets => _manifestGets;

        /// <summary>As the registry wrote it, e.g. "100;w=21600".</summary>
        public string? Limit { get; internal set; }

        public string? Remaining { get; internal set; }

        internal void CountManifestGet() => Interlocked.Increment(ref _manifestGets);
    }

    public IReadOnlyDictionary<string, Entry> ByRegistry => _byRegistry;

    internal Entry For(string registry) => _byRegistry.GetOrAdd(registry, _ => new Entry());

    internal void Observe(string registry, HttpResponseMessage response)
    {
        // Docker Hub sometimes sends the headers with no count in them ("ratelimit-remaining: ;w=21600"): unknown, not zero.
        if (response.Headers.TryGetValues("ratelimit-remaining", out var remaining) && remaining.FirstOrDefault() is { } text && Leading(text) != long.MaxValue)
        {
            var entry = For(registry);
            lock (entry)
            {
                // Answers arrive out of order when requests run in parallel; within a run the allowance only shrinks.
                if (entry.Remaining is null || Leading(text) < Leading(entry.Remaining))
                {
                    entry.Remaining = text;
                }
                entry.Limit = response.Headers.TryGetValues("ratelimit-limit", out var limit) ? limit.FirstOrDefault() : entry.Limit;
            }
        }
    }

    private static long Leading(string value) =>
        long.TryParse(value.Split(';')[0].Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : long.MaxValue;

    /// <summary>One line per registry that was pulled from, for the end of a run.</summary>
    public IEnumerable<string> Describe() => _byRegistry
        .Where(kv => (kv.Value.ManifestGets > 0 || kv.Value.Remaining is not null) && !References.LayoutReference.IsLayoutRegistry(kv.Key))
        .OrderBy(kv => kv.Key, StringComparer.Ordinal)
        .Select(kv => $"{kv.Key}: {kv.Value.ManifestGets} manifest GET{(kv.Value.ManifestGets == 1 ? "" : "s")} this run"
            + (kv.Value.Remaining is { } left ? $"; pull allowance left: {Output.Untrusted.Line(left.Split(';')[0], 20)} of {(kv.Value.Limit?.Split(';')[0].Trim() is { Length: > 0 } limit ? Output.Untrusted.Line(limit, 20) : "?")}" : ""));
}

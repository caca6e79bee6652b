using System.Collections.Concurrent;

namespace ImageSync.Registry.Auth;

/// <summary>
/// Bearer tokens keyed by registry and the sorted set of scopes they were issued for, kept until five seconds
/// before they expire. Concurrent callers wanting the same token share one fetch.
/// </summary>
internal sealed class TokenCache(TimeProvider time)
{
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, Lazy<Task<(string Token, DateTimeOffset Expires)>>> _tokens = new();

    public static string Key(string registry, IEnumerable<string> scopes) =>
        registry + "|" + string.Join(" ", scopes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));

    public async Task<string> GetAsync(string key, Func<Task<(string Token, TimeSpan Lifetime)>> fetch)
    {
        while (true)
        {
            var entry = _tokens.GetOrAdd(key, _ => new Lazy<Task<(string, DateTimeOffset)>>(async () =>
            {
                var (token, lifetime) = await fetch().ConfigureAwait(false);
                return (token, time.GetUtcNow() + lifetime - Margin);
            }));
            try
            {
                var (token, expires) = await entry.Value.ConfigureAwait(false);
                if (expires > time.GetUtcNow())
                {
                    return token;
                }
            }
            catch
            {
                // A failed fetch is not cached: the next caller tries again.
                _tokens.TryRemove(new KeyValuePair<string, Lazy<Task<(string, DateTimeOffset)>>>(key, entry));
                throw;
            }
            _tokens.TryRemove(new KeyValuePair<string, Lazy<Task<(string, DateTimeOffset)>>>(key, entry));
        }
    }

    public void Invalidate(string key) => _tokens.TryRemove(key, out _);
}

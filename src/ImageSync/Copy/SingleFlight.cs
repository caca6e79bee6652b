using System.Collections.Concurrent;

namespace ImageSync.Copy;

/// <summary>
/// Runs work once per key while it is in flight; other callers wait for the same result instead of skipping ahead
/// (a manifest must not be pushed while a blob it names is still uploading). A failure is forgotten, so a later
/// caller tries again; a success is remembered for the rest of the run.
/// </summary>
internal sealed class SingleFlight
{
    private readonly ConcurrentDictionary<string, Lazy<Task>> _flights = new(StringComparer.Ordinal);

    public async Task RunAsync(string key, Func<Task> work)
    {
        var flight = _flights.GetOrAdd(key, _ => new Lazy<Task>(work));
        try
        {
            await flight.Value.ConfigureAwait(false);
        }
        catch
        {
            _flights.TryRemove(new KeyValuePair<string, Lazy<Task>>(key, flight));
            throw;
        }
    }
}

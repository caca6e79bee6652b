namespace ImageSync.Copy;

/// <summary>
/// Runs work once per key: callers that ask while it is in flight wait for the same result instead of starting it
/// again (a manifest must not be pushed while a blob it names is still uploading), and a success is remembered for
/// the rest of the run. A failure or cancellation is forgotten, so a later caller tries again.
/// The work runs under a token of its own, not its first caller's: one caller giving up (its tag failed under
/// --fail-fast, or it was the first of several) does not cancel what the others wait for; the work is cancelled only
/// when every caller waiting for it has given up.
/// </summary>
internal sealed class SingleFlight<T>
{
    private readonly Dictionary<string, Flight> _flights = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>
    /// The result of <paramref name="work"/> for <paramref name="key"/>, run at most once at a time; the factory
    /// is called only by the caller that starts a flight, so a caller can tell it led by what its factory did.
    /// </summary>
    public async Task<T> RunAsync(string key, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Flight flight;
        bool leads;
        lock (_gate)
        {
            leads = !_flights.TryGetValue(key, out flight!);
            if (leads)
            {
                flight = new Flight();
                _flights.Add(key, flight);
            }
            if (flight.Completion.Task.IsCompletedSuccessfully)
            {
                return flight.Completion.Task.Result;
            }
            flight.Waiters++;
        }
        if (leads)
        {
            _ = RunFlightAsync(key, flight, work);
        }
        try
        {
            return await flight.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Leave(key, flight);
            throw;
        }
    }

    /// <summary>Records a result found another way (a HEAD that showed the blob there), as if a flight had returned it.</summary>
    public void Remember(string key, T value)
    {
        lock (_gate)
        {
            if (!_flights.ContainsKey(key))
            {
                var flight = new Flight();
                flight.Completion.SetResult(value);
                _flights.Add(key, flight);
            }
        }
    }

    private async Task RunFlightAsync(string key, Flight flight, Func<CancellationToken, Task<T>> work)
    {
        try
        {
            var value = await work(flight.Cancellation.Token).ConfigureAwait(false);
            flight.Completion.TrySetResult(value);
        }
        catch (Exception e)
        {
            // Forget it before anyone hears of it, so that whoever asks next starts afresh.
            Forget(key, flight);
            if (e is OperationCanceledException cancelled)
            {
                flight.Completion.TrySetCanceled(cancelled.CancellationToken);
            }
            else
            {
                flight.Completion.TrySetException(e);
            }
        }
    }

    /// <summary>A caller stopped waiting; when it was the last, the work is cancelled and forgotten.</summary>
    private void Leave(string key, Flight flight)
    {
        lock (_gate)
        {
            if (--flight.Waiters > 0 || flight.Completion.Task.IsCompleted)
            {
                return;
            }
            if (_flights.TryGetValue(key, out var current) && current == flight)
            {
                _flights.Remove(key);
            }
        }
        flight.Cancellation.Cancel();
    }

    private void Forget(string key, Flight flight)
    {
        lock (_gate)
        {
            if (_flights.TryGetValue(key, out var current) && current == flight)
            {
                _flights.Remove(key);
            }
        }
    }

    private sealed class Flight
    {
        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenSource Cancellation { get; } = new();

        // Guarded by the owner's gate.
        public int Waiters { get; set; }
    }
}

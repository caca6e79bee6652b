using System.Collections.Concurrent;
using System.Diagnostics;

namespace DelayProxy;

/// <summary>
/// Waits a fixed delay, to within about half a millisecond. <c>Task.Delay(25)</c> waits 26-27 ms here (the timer
/// queue counts in whole milliseconds twice, at the start and at the wait), which is 8% more than the bench says
/// it adds. The delay is the same for every request, so deadlines come in the order requests do: one thread sleeps
/// until the oldest deadline (rounded to the nearest millisecond) and releases every waiter that is due. Nothing
/// spins; with no request waiting the thread blocks.
/// </summary>
internal sealed class DelayLine
{
    private readonly long _delayTicks;
    private readonly ConcurrentQueue<(long Due, TaskCompletionSource Done)> _waiting = new();
    private readonly object _gate = new();

    public DelayLine(int delayMs)
    {
        _delayTicks = delayMs * Stopwatch.Frequency / 1000;
        new Thread(Run) { IsBackground = true, Name = $"delay {delayMs} ms" }.Start();
    }

    public Task WaitAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting.Enqueue((Stopwatch.GetTimestamp() + _delayTicks, done));
        lock (_gate)
        {
            Monitor.Pulse(_gate);
        }
        return done.Task;
    }

    private void Run()
    {
        var ticksPerMs = Stopwatch.Frequency / 1000.0;
        while (true)
        {
            if (!_waiting.TryPeek(out var next))
            {
                lock (_gate)
                {
                    if (_waiting.IsEmpty)
                    {
                        Monitor.Wait(_gate);
                    }
                }
                continue;
            }
            var ms = (int)Math.Round((next.Due - Stopwatch.GetTimestamp()) / ticksPerMs);
            if (ms > 0)
            {
                Thread.Sleep(ms);
                continue;
            }
            _waiting.TryDequeue(out _);
            next.Done.SetResult();
        }
    }
}

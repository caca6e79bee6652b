using ImageSync.Copy;

namespace ImageSync.Tests.Copy;

/// <summary>The one single-flight: no timings, only gates the test opens.</summary>
public sealed class SingleFlightTests
{
    [Fact]
    public async Task Callers_that_ask_while_it_runs_share_one_run()
    {
        var flights = new SingleFlight<int>();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = 0;
        Func<CancellationToken, Task<int>> work = async _ =>
        {
            Interlocked.Increment(ref runs);
            await gate.Task;
            return 42;
        };

        var first = flights.RunAsync("k", work, CancellationToken.None);
        var second = flights.RunAsync("k", work, CancellationToken.None);
        gate.SetResult();

        var results = await Task.WhenAll(first, second);
        Assert.Equal([42, 42], results);
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task A_success_is_remembered_for_the_run()
    {
        var flights = new SingleFlight<int>();
        var runs = 0;

        await flights.RunAsync("k", _ => Task.FromResult(++runs), CancellationToken.None);
        var again = await flights.RunAsync("k", _ => Task.FromResult(++runs), CancellationToken.None);

        Assert.Equal(1, again);
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task A_failure_reaches_its_waiters_and_is_then_forgotten()
    {
        var flights = new SingleFlight<int>();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Func<CancellationToken, Task<int>> failing = async _ =>
        {
            await gate.Task;
            throw new IOException("reset");
        };

        var first = flights.RunAsync("k", failing, CancellationToken.None);
        var second = flights.RunAsync("k", failing, CancellationToken.None);
        gate.SetResult();

        await Assert.ThrowsAsync<IOException>(() => first);
        await Assert.ThrowsAsync<IOException>(() => second);
        Assert.Equal(7, await flights.RunAsync("k", _ => Task.FromResult(7), CancellationToken.None));
    }

    [Fact]
    public async Task A_cancelled_run_is_forgotten()
    {
        var flights = new SingleFlight<int>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            flights.RunAsync("k", _ => Task.FromCanceled<int>(new CancellationToken(true)), CancellationToken.None));

        Assert.Equal(3, await flights.RunAsync("k", _ => Task.FromResult(3), CancellationToken.None));
    }

    [Fact]
    public async Task The_first_caller_giving_up_does_not_cancel_what_another_waits_for()
    {
        var flights = new SingleFlight<int>();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workToken = CancellationToken.None;
        using var firstCaller = new CancellationTokenSource();
        Func<CancellationToken, Task<int>> work = async ct =>
        {
            workToken = ct;
            await gate.Task.WaitAsync(ct);
            return 5;
        };

        var first = flights.RunAsync("k", work, firstCaller.Token);
        var second = flights.RunAsync("k", work, CancellationToken.None);
        await firstCaller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.False(workToken.IsCancellationRequested);
        gate.SetResult();
        Assert.Equal(5, await second);
    }

    [Fact]
    public async Task When_every_caller_gives_up_the_work_is_cancelled_and_forgotten()
    {
        var flights = new SingleFlight<int>();
        var workToken = CancellationToken.None;
        using var caller = new CancellationTokenSource();
        var started = flights.RunAsync("k", async ct =>
        {
            workToken = ct;
            await Task.Delay(Timeout.Infinite, ct);
            return 0;
        }, caller.Token);

        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => started);
        Assert.True(workToken.IsCancellationRequested);
        Assert.Equal(9, await flights.RunAsync("k", _ => Task.FromResult(9), CancellationToken.None));
    }

    [Fact]
    public async Task Only_the_caller_that_starts_a_flight_runs_its_factory()
    {
        var flights = new SingleFlight<string>();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstLed = false;
        var secondLed = false;

        var first = flights.RunAsync("k", async _ => { firstLed = true; await gate.Task; return "a"; }, CancellationToken.None);
        var second = flights.RunAsync("k", _ => { secondLed = true; return Task.FromResult("b"); }, CancellationToken.None);
        gate.SetResult();

        var results = await Task.WhenAll(first, second);
        Assert.Equal(["a", "a"], results);
        Assert.True(firstLed);
        Assert.False(secondLed);
    }

    [Fact]
    public async Task A_result_found_another_way_is_remembered_like_a_run()
    {
        var flights = new SingleFlight<string>();

        flights.Remember("k", "seen");

        Assert.Equal("seen", await flights.RunAsync("k", _ => Task.FromResult("fetched"), CancellationToken.None));
    }

    [Fact]
    public async Task Keys_are_separate()
    {
        var flights = new SingleFlight<string>();

        Assert.Equal("a", await flights.RunAsync("a", _ => Task.FromResult("a"), CancellationToken.None));
        Assert.Equal("b", await flights.RunAsync("b", _ => Task.FromResult("b"), CancellationToken.None));
    }
}

using ImageSync.Tests.Support;

namespace ImageSync.Tests.Integration.Copy;

/// <summary>
/// Ctrl-C and SIGTERM in the middle of a blob's upload: the run stops, cancels the upload session after its PUT
/// stopped, says what was left undone, exits 130 or 143, and leaves nothing in the target (no tag, no upload data).
/// </summary>
public sealed class InterruptTests : IAsyncLifetime
{
    private SyncWorld _world = null!;

    public async Task InitializeAsync() => _world = await SyncWorld.StartAsync(proxyUpstream: true);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    /// <summary>A layer whose download trickles, so that the signal arrives while its PUT to the target is sending.</summary>
    private async Task<string> SlowLayerAsync(string name)
    {
        var image = TestImage.Create(name, ["linux/amd64"], [4 * 1024 * 1024]);
        await image.PushAsync(_world.Upstream, $"istio/{name}", "1.0");
        var layer = image.Blobs.Single(b => b.Content.Length == 4 * 1024 * 1024).Digest;
        _world.Proxy.Rule = (request, _) =>
            request.Method == "GET" && request.Path.Value!.EndsWith(layer, StringComparison.Ordinal) ? new Fault.Trickle(1024 * 1024, 64 * 1024, TimeSpan.FromMilliseconds(100)) : null;
        return _world.Config((name, $"istio/{name}", $"mirror/{name}", ["1.0"], ""));
    }

    /// <summary>Cancels <paramref name="interrupt"/> a second after the first blob is read: the layer's bytes flow into the target's PUT then.</summary>
    private void InterruptWhileUploading(CancellationTokenSource interrupt)
    {
        var rule = _world.Proxy.Rule;
        _world.Proxy.Rule = (request, count) =>
        {
            if (request.Method == "GET" && request.Path.Value!.Contains("/blobs/sha256:", StringComparison.Ordinal))
            {
                interrupt.CancelAfter(TimeSpan.FromSeconds(1));
            }
            return rule(request, count);
        };
    }

    private IEnumerable<string> UploadFolders(string repository)
    {
        var uploads = Path.Combine(_world.Target.Directory, "docker", "registry", "v2", "repositories", "mirror", repository, "_uploads");
        return Directory.Exists(uploads) ? Directory.EnumerateFileSystemEntries(uploads) : [];
    }

    [Theory]
    [InlineData("INT", 130)]
    [InlineData("TERM", 143)]
    public async Task A_signal_during_an_upload_cancels_its_session_says_what_was_left_undone_and_exits_128_plus_the_signal(string signal, int exitCode)
    {
        var name = $"interrupt-{signal.ToLowerInvariant()}";
        var config = await SlowLayerAsync(name);
        using var interrupt = new CancellationTokenSource();
        InterruptWhileUploading(interrupt);

        var run = await CliRunner.RunAsync(["SyncAll", "--config", config, .. _world.Mappings], new Dictionary<string, string> { ["HOME"] = Path.GetTempPath() }, cancellationToken: interrupt.Token, signal: signal);

        Assert.True(run.ExitCode == exitCode, run.Out + run.Error);
        Assert.Contains("SyncAll: cancelled", run.Error, StringComparison.Ordinal);
        Assert.Contains($"interrupted: 0 of 1 tag done; 1 left undone (stopped while working on {name}:1.0; their tags were not written)", run.Error, StringComparison.Ordinal);
        Assert.Contains("cancelled 1 open upload session in the target", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("could not cancel", run.Error, StringComparison.Ordinal);
        Assert.Null(await Skopeo.DigestAsync(_world.Target, $"mirror/{name}:1.0"));
        Assert.Empty(UploadFolders(name));
        var requests = await _world.Target.RequestsAsync();
        // distribution 2.8 answers the DELETE of a session whose PUT was cut 404 while it removes the upload (nothing
        // is left in _uploads, above), which the spec lets a client take as deleted.
        Assert.Contains(requests, r => r.Method == "DELETE" && r.Path.Contains("/blobs/uploads/", StringComparison.Ordinal));

    }

    [Fact]
    public async Task A_session_the_target_would_not_cancel_is_named()
    {
        // The proxy passes its own host on, so the session Locations the registry gives lead back through it.
        await using var target = await FaultProxy.StartAsync(_world.Target.Url, forwardHost: true);
        target.Rule = (request, _) => request.Method == "DELETE" ? new Fault.Status(403) : null;
        var config = await SlowLayerAsync("refused");
        using var interrupt = new CancellationTokenSource();
        InterruptWhileUploading(interrupt);

        var run = await CliRunner.RunAsync(["SyncAll", "--config", config, "--registry", $"upstream.test={_world.Proxy.Url}", "--registry", $"target.test={target.Url}"],
            new Dictionary<string, string> { ["HOME"] = Path.GetTempPath() }, cancellationToken: interrupt.Token);

        Assert.True(run.ExitCode == 130, run.Out + run.Error);
        Assert.True(run.Error.Contains("warning: could not cancel", StringComparison.Ordinal), run.Error + string.Join("\n", target.Seen));
        Assert.Matches(@"warning: could not cancel the upload session of target\.test/mirror/refused@sha256:[0-9a-f]{64}: 403 [^;]*; its bytes stay in the target's uploads", run.Error);
    }
}

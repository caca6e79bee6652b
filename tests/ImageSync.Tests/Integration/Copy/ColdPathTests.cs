using System.Net.Http.Headers;
using ImageSync.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace ImageSync.Tests.Integration.Copy;

/// <summary>
/// The cold copy's request pattern (issue 21): the transfer slots bound bytes in flight, not requests, so a blob's
/// HEAD and a mount never wait for an upload; a blob goes in one POST where the registry takes that, and where it
/// does not (distribution 2.8 answers 202 with a session), the run finds out once per registry and goes POST + PUT.
/// Request counts and orderings only: no timings.
/// </summary>
public sealed class ColdPathTests : IAsyncLifetime
{
    private SyncWorld _world = null!;

    public async Task InitializeAsync() => _world = await SyncWorld.StartAsync(proxyUpstream: true);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Blob_checks_and_mounts_go_on_while_the_only_transfer_slot_is_held()
    {
        // Layers large enough to need a transfer slot (a config does not).
        var copied = TestImage.Create("slot-copied", ["linux/amd64"], [1024 * 1024, 768 * 1024]);
        var large = copied.Blobs.Where(b => b.Content.Length > 512 * 1024).Select(b => b.Digest).ToHashSet();
        await copied.PushAsync(_world.Upstream, "istio/copied", "1.0");
        var mounted = TestImage.Create("slot-mounted", ["linux/amd64"], [32 * 1024, 16 * 1024]);
        await mounted.PushAsync(_world.Target, "src/mounted", "1.0");
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holding = 0;
        // The first layer read upstream holds the run's one transfer slot until the test lets it go.
        _world.Proxy.Rule = (request, _) =>
        {
            if (request.Method == "GET" && large.Contains(request.Path.Value!.Split("/blobs/").Last()) && Interlocked.Exchange(ref holding, 1) == 0)
            {
                held.TrySetResult();
                release.Task.Wait(TimeSpan.FromSeconds(180));
            }
            return null;
        };
        var (target, run) = await _world.TargetProxyAsync();
        // The image that mounts starts only once the slot is taken, so it cannot have taken the slot first.
        target.Rule = (request, _) =>
        {
            if (request.Method == "HEAD" && request.Path.Value!.StartsWith("/v2/src/mounted/manifests/", StringComparison.Ordinal))
            {
                held.Task.Wait(TimeSpan.FromSeconds(180));
            }
            return null;
        };
        var slots = _world.File("slots.json", """
            { "images": [
                { "name": "copied", "upstream": "upstream.test/istio/copied", "target": "target.test/mirror/copied", "tags": ["1.0"] },
                { "name": "mounted", "upstream": "target.test/src/mounted", "target": "target.test/mirror/mounted", "tags": ["1.0"] } ] }
            """);

        // A timeout longer than the test's wait: the held read must not be given up on and retried meanwhile.
        var running = run(["SyncAll", "--config", slots, "--concurrency", "1", "--timeout", "300"]);
        var config = copied.Blobs.Single(b => b.Content.Length < 4096).Digest;
        var checkedAll = await WaitUntilAsync(() =>
            target.Seen.Any(s => s.Method == "PUT" && s.Status == 201 && s.Path.EndsWith("digest=" + Uri.EscapeDataString(config), StringComparison.Ordinal))
            && copied.Blobs.All(b => target.Seen.Any(s => s.Method == "HEAD" && s.Path == $"/v2/mirror/copied/blobs/{b.Digest}"))
            && mounted.Blobs.All(b => target.Seen.Any(s => s.Method == "POST" && s.Status == 201 && s.Path.StartsWith("/v2/mirror/mounted/blobs/uploads/", StringComparison.Ordinal)
                && s.Path.Contains($"mount={Uri.EscapeDataString(b.Digest)}", StringComparison.Ordinal))));
        var heldThen = held.Task.IsCompleted && !release.Task.IsCompleted;
        release.TrySetResult();
        var result = await running;

        Assert.True(result.ExitCode == 0, result.Out + result.Error);
        Assert.True(heldThen, "the upload never held the slot");
        Assert.True(checkedAll, "while one upload held the only transfer slot, the other blobs were not all checked and mounted, and the config not uploaded: " + string.Join(", ", target.Seen.Select(s => $"{s.Method} {s.Path} {s.Status}")));
        Assert.Equal(copied.Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/copied:1.0"));
        Assert.Equal(mounted.Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/mounted:1.0"));
    }

    [Fact]
    public async Task A_registry_that_takes_a_blob_in_one_post_gets_one_request_per_blob_after_its_head()
    {
        var first = TestImage.Create("one-post-a", ["linux/amd64"], [16 * 1024]);
        var second = TestImage.Create("one-post-b", ["linux/amd64", "linux/arm64"], [700 * 1024, 16 * 1024]);
        await first.PushAsync(_world.Upstream, "istio/first", "1.0");
        await second.PushAsync(_world.Upstream, "istio/second", "1.0");
        var (target, run) = await _world.TargetProxyAsync();
        using var backend = new HttpClient();
        target.Rule = (request, _) => IsSinglePost(request) ? StoreInOnePost(backend, _world.Target.Url) : null;
        var config = _world.Config(("first", "istio/first", "mirror/first", ["1.0"], ""), ("second", "istio/second", "mirror/second", ["1.0"], ""));

        // One tag at a time: the first tag's blobs (one of them asks) are done before the second tag's start.
        var cold = await run(["SyncAll", "--config", config, "--checks", "1", "--debug"]);

        Assert.True(cold.ExitCode == 0, cold.Out + cold.Error);
        Assert.Equal(first.Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/first:1.0"));
        Assert.Equal(second.Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/second:1.0"));
        Assert.Contains(target.Seen, s => s.Path.StartsWith("/v2/mirror/first/blobs/uploads/?digest=", StringComparison.Ordinal) && s.Status == 201);
        // Then every blob in one POST answered 201, large or small: no session, no PUT.
        var uploads = target.Seen.Where(s => s.Path.StartsWith("/v2/mirror/second/blobs/uploads/", StringComparison.Ordinal)).ToList();
        Assert.Equal(second.Blobs.Select(b => b.Digest).Order(), uploads.Select(s => Uri.UnescapeDataString(s.Path.Split("digest=")[1])).Order());
        Assert.All(uploads, s => Assert.Equal(("POST", 201), (s.Method, s.Status)));
        Assert.Equal(second.Blobs.Count, target.Seen.Count(s => s.Method == "HEAD" && s.Path.StartsWith("/v2/mirror/second/blobs/", StringComparison.Ordinal)));
        Assert.Single(Lines(cold.Error, $"debug: {target.Url.Authority} took a blob in one POST (201): blobs go in one POST for the rest of the run"));
    }

    [Theory]
    [InlineData(202)]
    [InlineData(400)]
    public async Task A_registry_that_refuses_a_blob_in_one_post_is_asked_once_a_run_then_gets_post_and_put(int refusal)
    {
        var first = TestImage.Create("refused-a", ["linux/amd64", "linux/arm64"], [64 * 1024, 16 * 1024]);
        var second = TestImage.Create("refused-b", ["linux/amd64"], [48 * 1024, 300 * 1024]);
        await first.PushAsync(_world.Upstream, "istio/first", "1.0");
        await second.PushAsync(_world.Upstream, "istio/second", "1.0");
        var (target, run) = await _world.TargetProxyAsync();
        // 202: distribution 2.8 itself, which opens a session and leaves the body unread (the spec's fallback).
        // 400: a registry that answers the form with an error instead (the spec's endpoint table, end-4b, lists 400/404).
        target.Rule = (request, _) => refusal == 400 && IsSinglePost(request)
            ? Personality.Error(400, "UNSUPPORTED", "the operation is unsupported")
            : null;
        var config = _world.Config(("first", "istio/first", "mirror/first", ["1.0"], ""), ("second", "istio/second", "mirror/second", ["1.0"], ""));

        var cold = await run(["SyncAll", "--config", config, "--concurrency", "1", "--debug"]);

        Assert.True(cold.ExitCode == 0, cold.Out + cold.Error);
        Assert.Equal(first.Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/first:1.0"));
        Assert.Equal(second.Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/second:1.0"));
        var blobs = first.Blobs.Count + second.Blobs.Count;
        var asked = Assert.Single(target.Seen, s => s.Method == "POST" && s.Path.Contains("digest=", StringComparison.Ordinal));
        Assert.Equal(refusal, asked.Status);
        // Every blob once by PUT to a session: 2.8's own session for the one it was asked about, a POST's for the rest.
        Assert.Equal(blobs, target.Seen.Count(s => s.Method == "PUT" && s.Path.Contains("/blobs/uploads/", StringComparison.Ordinal) && s.Status == 201));
        Assert.Equal(refusal == 202 ? blobs - 1 : blobs, target.Seen.Count(s => s.Method == "POST" && s.Path.EndsWith("/blobs/uploads/", StringComparison.Ordinal) && s.Status == 202));
        var why = refusal == 202 ? "answered a blob in one POST with an upload session (202)" : "refused a blob in one POST (400)";
        Assert.Single(Lines(cold.Error, $"debug: {target.Url.Authority} {why}: blobs go as POST + PUT for the rest of the run"));
        Assert.Empty(Lines(cold.Error, "blobs go in one POST for the rest"));
    }

    private static bool IsSinglePost(HttpRequest request) =>
        request.Method == "POST" && request.Path.Value!.EndsWith("/blobs/uploads/", StringComparison.Ordinal) && request.Query.ContainsKey("digest");

    /// <summary>
    /// A registry that takes a blob in one POST with ?digest= and answers 201 (OCI distribution spec, "Pushing a blob
    /// monolithically", single POST; endpoint end-4b: 201 when stored), made from 2.8's POST + PUT behind the front.
    /// </summary>
    private static Fault.Respond StoreInOnePost(HttpClient backend, Uri registry) => new(async context =>
    {
        var request = context.Request;
        var digest = request.Query["digest"].ToString();
        var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        using var open = await backend.PostAsync(new Uri(registry, request.Path.Value!.TrimStart('/')), null);
        var session = open.Headers.Location!.IsAbsoluteUri ? open.Headers.Location : new Uri(registry, open.Headers.Location);
        using var content = new ByteArrayContent(body.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var stored = await backend.PutAsync($"{session}&digest={Uri.EscapeDataString(digest)}", content);
        context.Response.StatusCode = (int)stored.StatusCode;
        if (stored.IsSuccessStatusCode)
        {
            context.Response.Headers.Location = request.Path.Value!.Replace("/uploads/", "/" + digest, StringComparison.Ordinal);
            context.Response.Headers["Docker-Content-Digest"] = digest;
        }
    });

    private static IEnumerable<string> Lines(string text, string containing) =>
        text.Split('\n').Where(l => l.Contains(containing, StringComparison.Ordinal));

    /// <summary>Polls until the condition holds or a minute passes (a bound against a deadlock, not a timing).</summary>
    private static async Task<bool> WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 600; i++)
        {
            if (condition())
            {
                return true;
            }
            await Task.Delay(100);
        }
        return condition();
    }
}

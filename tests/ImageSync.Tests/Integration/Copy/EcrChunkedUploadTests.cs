using System.Collections.Concurrent;
using System.Text;
using ImageSync.Tests.Support;
using Microsoft.AspNetCore.Http;
using static ImageSync.Tests.Support.Personality;

namespace ImageSync.Tests.Integration.Copy;

/// <summary>
/// Amazon ECR's chunked uploads, as its clients' trackers found them: a PATCH is answered 201, not 202 (openai/tart#273);
/// the <c>Range</c> it answers stops advancing after the first part though every part is stored
/// (aws/containers-roadmap#2831, crashappsec/chalk#682); parts other than the last must be at least 5 MiB, S3's
/// multipart minimum underneath (S3 CompleteMultipartUpload, EntityTooSmall); and a closing PUT without a body gets a
/// 500 with no message (openai/tart#159). Blob mounting works only where the registry's BLOB_MOUNTING setting is on;
/// otherwise a mount POST opens an ordinary upload.
/// </summary>
public sealed class EcrChunkedUploadTests : IAsyncLifetime
{
    private const int MinPart = 5 * 1024 * 1024;
    private readonly string _dir = Directory.CreateTempSubdirectory("imagesync-ecr-").FullName;
    private RegistryServer _upstream = null!;
    private RegistryServer _target = null!;

    public async Task InitializeAsync()
    {
        var servers = await Task.WhenAll(RegistryServer.StartAsync(), RegistryServer.StartAsync());
        (_upstream, _target) = (servers[0], servers[1]);
    }

    public async Task DisposeAsync()
    {
        await _upstream.DisposeAsync();
        await _target.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private static bool IsUpload(HttpRequest request, string method) =>
        request.Method == method && request.Path.Value!.Contains("/blobs/uploads/", StringComparison.Ordinal) && !request.Path.Value.EndsWith("/uploads/", StringComparison.Ordinal);

    [Fact]
    public async Task A_chunked_upload_takes_201_ignores_the_stale_range_sends_the_last_part_in_the_put_and_a_refused_mount_uploads()
    {
        var image = TestImage.Create("ecr-chunks", ["linux/amd64"], [20 * 1024 * 1024]);
        await image.PushAsync(_upstream, "istio/big", "1.0");
        var layer = image.Blobs.Single(b => b.Content.Length == 20 * 1024 * 1024).Digest;
        var parts = new ConcurrentDictionary<string, ConcurrentQueue<long>>();
        var firstRange = new ConcurrentDictionary<string, string>();
        var closings = new ConcurrentQueue<(long Length, int Status)>();
        using var backend = new HttpClient();
        await using var ecr = await FaultProxy.StartAsync(_target.Url, forwardHost: true);
        ecr.Rule = (request, _) =>
        {
            var session = request.Path.Value!;
            // What sends a client into chunks here: a front that takes at most 10 MiB in one request (the one rule
            // of this stand-in that is not ECR's own).
            if (request.Method == "PUT" && request.ContentLength > 10 * 1024 * 1024)
            {
                return new Fault.Status(413);
            }
            if (IsUpload(request, "PATCH"))
            {
                parts.GetOrAdd(session, _ => new()).Enqueue(request.ContentLength ?? 0);
                return new Fault.Adjust(answer =>
                {
                    answer.StatusCode = 201;
                    answer.Headers.Range = firstRange.GetOrAdd(session, answer.Headers.Range.ToString());
                });
            }
            if (IsUpload(request, "PUT") && parts.TryGetValue(session, out var sent))
            {
                var length = request.ContentLength ?? 0;
                var status = length == 0 ? 500 : sent.Any(p => p < MinPart) ? 400 : 0;
                closings.Enqueue((length, status == 0 ? 201 : status));
                return status == 500 ? new Fault.Status(500)
                    : status == 400 ? Error(400, "BLOB_UPLOAD_INVALID", "Your proposed upload is smaller than the minimum allowed size")
                    : null;
            }
            return request.Method == "POST" && request.Query.ContainsKey("mount")
                ? OpenUploadInsteadOfMount(backend, _target.Url, () => ecr.Url, request)
                : null;
        };
        var config = Path.Combine(_dir, "config.json");
        await File.WriteAllTextAsync(config, $$"""
            { "images": [
                { "name": "big", "upstream": "upstream.test/istio/big", "target": "ecr.test/mirror/big", "tags": ["1.0"] },
                { "name": "copy", "upstream": "upstream.test/istio/big", "target": "ecr.test/mirror/copy", "tags": ["1.0"] } ],
              "registries": { "upstream.test": { "url": "{{_upstream.Url}}" }, "ecr.test": { "url": "{{ecr.Url}}" } } }
            """);
        var env = new Dictionary<string, string> { ["HOME"] = _dir };

        var status = await CliRunner.RunAsync(["Status", "--config", config], env);
        var cold = await CliRunner.RunAsync(["SyncAll", "--config", config, "--concurrency", "1"], env);
        var afterCold = ecr.Seen.Count;
        var warm = await CliRunner.RunAsync(["SyncAll", "--config", config], env);

        Assert.True(status.ExitCode == 2, status.Out + status.Error);
        Assert.True(cold.ExitCode == 0, cold.Out + cold.Error);
        Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(_target, "mirror/big:1.0"));
        Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(_target, "mirror/copy:1.0"));
        // 20 MiB in each repository: two 8 MiB PATCHes answered 201 with a Range stuck at the first, and 4 MiB in the PUT.
        Assert.Equal(2, parts.Count);
        Assert.All(parts.Values, p => Assert.Equal([8L * 1024 * 1024, 8L * 1024 * 1024], p));
        Assert.All(ecr.Seen.Where(s => s.Method == "PATCH"), s => Assert.Equal(201, s.Status));
        Assert.Equal([(4L * 1024 * 1024, 201), (4L * 1024 * 1024, 201)], closings);
        // The second repository asked to mount the layer from the first, was given an upload session, and uploaded.
        Assert.Contains(ecr.Seen, s => s.Method == "POST" && s.Path.Contains($"mount={Uri.EscapeDataString(layer)}", StringComparison.Ordinal) && s.Status == 202);
        Assert.True(warm.ExitCode == 0, warm.Out + warm.Error);
        Assert.Equal(["HEAD", "HEAD"], ecr.Seen.Skip(afterCold).Select(s => s.Method));
    }
}

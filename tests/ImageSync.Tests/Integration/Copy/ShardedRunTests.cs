using ImageSync.Config;
using ImageSync.Tests.Support;

namespace ImageSync.Tests.Integration.Copy;

/// <summary>--shard K/N splits the images for a CI matrix; Report --merge puts the shards' reports back together.</summary>
public sealed class ShardedRunTests : IAsyncLifetime
{
    private SyncWorld _world = null!;

    public async Task InitializeAsync() => _world = await SyncWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Three_shards_copy_every_image_once_and_their_merged_reports_give_one_summary_and_exit_code()
    {
        var images = Enumerable.Range(0, 6).Select(i => ($"shard-{i}", TestImage.Create($"shard-{i}", ["linux/amd64"], [1024]))).ToList();
        foreach (var (name, image) in images)
        {
            await image.PushAsync(_world.Upstream, $"istio/{name}", "1.0");
        }
        var config = _world.Config([.. images.Select(i => (i.Item1, $"istio/{i.Item1}", $"mirror/{i.Item1}", new[] { "1.0" }, ""))]);
        var reports = Directory.CreateTempSubdirectory("imagesync-shards-").FullName;

        var runs = new List<CliRun>();
        for (var k = 1; k <= 3; k++)
        {
            Directory.CreateDirectory(Path.Combine(reports, $"shard-{k}"));
            runs.Add(await _world.RunAsync(config, "SyncAll", "--shard", $"{k}/3", "--report", Path.Combine(reports, $"shard-{k}", "report.json")));
        }
        var summary = Path.Combine(reports, "summary.md");
        var merged = await _world.RunWithEnvironmentAsync(config, new Dictionary<string, string> { ["GITHUB_STEP_SUMMARY"] = summary },
            "Report", "--merge", reports, "--report", Path.Combine(reports, "..", Path.GetFileName(reports) + "-merged.json"));

        Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.Out + r.Error));
        var copied = runs.SelectMany(r => images.Where(i => r.Out.Contains($"] {i.Item1}:1.0 copied", StringComparison.Ordinal)).Select(i => i.Item1)).ToList();
        Assert.Equal(images.Select(i => i.Item1).Order(), copied.Order());
        foreach (var (name, image) in images)
        {
            Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(_world.Target, $"mirror/{name}:1.0"));
        }
        Assert.True(merged.ExitCode == 0, merged.Out + merged.Error);
        Assert.Contains("3 reports merged", merged.Out, StringComparison.Ordinal);
        Assert.Contains("6 tags: 6 copied", merged.Out, StringComparison.Ordinal);
        Assert.Contains("### imagesync Report", await File.ReadAllTextAsync(summary), StringComparison.Ordinal);
        Directory.Delete(reports, recursive: true);
    }

    [Fact]
    public async Task A_merged_report_with_an_error_in_one_shard_exits_1()
    {
        var reports = Directory.CreateTempSubdirectory("imagesync-merge-").FullName;
        await File.WriteAllTextAsync(Path.Combine(reports, "a.json"), """
            {"run":{"shard":"1/2"},"results":[{"image":"a","tag":"1.0","source":"docker.io/a/a:1.0","target":"quay.io/a/a:1.0","sourceDigest":null,"targetDigestBefore":null,"targetDigestAfter":null,"action":"copied","bytes":10,"durationMs":5,"error":null}],"summary":{}}
            """);
        await File.WriteAllTextAsync(Path.Combine(reports, "b.json"), """
            {"run":{"shard":"2/2"},"results":[{"image":"b","tag":"1.0","source":"docker.io/a/b:1.0","target":"quay.io/a/b:1.0","sourceDigest":null,"targetDigestBefore":null,"targetDigestAfter":null,"action":"error","bytes":0,"durationMs":5,"error":"boom"}],"summary":{}}
            """);

        var run = await CliRunner.RunAsync(["Report", "--merge", reports]);
        await File.WriteAllTextAsync(Path.Combine(reports, "c.json"), "{ not a report");
        var broken = await CliRunner.RunAsync(["Report", "--merge", reports]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("2 tags: 1 copied, 1 error", run.Out, StringComparison.Ordinal);
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("c.json: not an imagesync --report file", broken.Error, StringComparison.Ordinal);
        Directory.Delete(reports, recursive: true);
    }
}

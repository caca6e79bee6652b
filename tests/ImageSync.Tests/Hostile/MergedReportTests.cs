using System.Text.Json;
using System.Text.Json.Nodes;
using ImageSync.Tests.Support;

namespace ImageSync.Tests.Hostile;

/// <summary>
/// Report --merge reads files another job wrote: they are input from outside. Their strings are made inert wherever
/// they are shown, and the merge refuses a set of reports that is not one whole sharded run of one configuration.
/// </summary>
public sealed class MergedReportTests : IDisposable
{
    private const string Digest = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private const string OtherDigest = "sha256:2222222222222222222222222222222222222222222222222222222222222222";
    private readonly string _dir = Directory.CreateTempSubdirectory("imagesync-merge-hostile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Reports(string name, params (string Shard, string ConfigDigest, string Image, string Tag, string? Error)[] reports)
    {
        var folder = Path.Combine(_dir, name);
        Directory.CreateDirectory(folder);
        for (var i = 0; i < reports.Length; i++)
        {
            var (shard, digest, image, tag, error) = reports[i];
            var json = new JsonObject
            {
                ["run"] = new JsonObject { ["shard"] = shard, ["configDigest"] = digest },
                ["results"] = new JsonArray(new JsonObject
                {
                    ["image"] = image, ["tag"] = tag, ["source"] = "docker.io/a/a:1.0", ["target"] = "quay.io/a/a:1.0",
                    ["action"] = error is null ? "copied" : "error", ["bytes"] = 10, ["durationMs"] = 5, ["error"] = error,
                }),
            };
            File.WriteAllText(Path.Combine(folder, $"report-{i}.json"), json.ToJsonString());
        }
        return folder;
    }

    [Fact]
    public async Task Strings_from_a_shards_report_are_inert_in_the_console_and_the_step_summary()
    {
        const string image = "## Pwned <img src=https://evil.test/x.png> [click](https://evil.test) @octocat ##[error]x";
        const string error = "boom ::error::x\r::warning::after-cr <img src=x> [y](https://evil.test) | cell";
        var folder = Reports("inert", ("1/2", Digest, image, "1.0", null), ("2/2", Digest, "b", "1.0", error));
        var summary = Path.Combine(_dir, "inert-summary.md");

        var run = await CliRunner.RunAsync(["Report", "--merge", folder], new Dictionary<string, string> { ["GITHUB_STEP_SUMMARY"] = summary });

        Assert.Equal(1, run.ExitCode);
        var console = run.Out + run.Error;
        Assert.DoesNotContain(console.Split('\n', '\r'), l => l.TrimStart().StartsWith("::", StringComparison.Ordinal));
        Assert.DoesNotContain("##[", console, StringComparison.Ordinal);
        var page = await File.ReadAllTextAsync(summary);
        var rows = page.Split('\n').Where(l => l.Contains("Pwned", StringComparison.Ordinal) || l.Contains("boom", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, rows.Count);
        foreach (var row in rows)
        {
            var outsideCode = string.Concat(row.Split('`').Where((_, i) => i % 2 == 0));
            Assert.DoesNotContain("<img", outsideCode, StringComparison.Ordinal);
            Assert.DoesNotContain("](https", outsideCode, StringComparison.Ordinal);
            Assert.DoesNotContain("@octocat", outsideCode, StringComparison.Ordinal);
            Assert.Equal(7, row.Replace("\\|", "", StringComparison.Ordinal).Count(c => c == '|'));
        }
        Assert.DoesNotContain(page.Split('\n'), l => l.StartsWith("## Pwned", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_tag_in_a_shards_report_that_is_no_tag_fails_the_merge_naming_the_file()
    {
        var folder = Reports("bad-tag", ("1/1", Digest, "a", "1.0/../../x\n::error::y", null));

        var run = await CliRunner.RunAsync(["Report", "--merge", folder]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("report-0.json: a result's tag", run.Error, StringComparison.Ordinal);
        Assert.Contains("is not a tag", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing", "shard 2/3: no report in")]
    [InlineData("repeated", "shard 1/2 is reported more than once (report-0.json, report-1.json)")]
    [InlineData("other-config", "report-1.json (shard 2/2) was made from another configuration (" + OtherDigest + ")")]
    [InlineData("other-run", "report-1.json is shard 2/3 but report-0.json is shard 1/2")]
    public async Task A_merge_that_is_not_one_whole_run_of_one_configuration_fails_naming_the_shard(string kind, string message)
    {
        var folder = kind switch
        {
            "missing" => Reports(kind, ("1/3", Digest, "a", "1.0", null), ("3/3", Digest, "c", "1.0", null)),
            "repeated" => Reports(kind, ("1/2", Digest, "a", "1.0", null), ("1/2", Digest, "a", "1.0", null), ("2/2", Digest, "b", "1.0", null)),
            "other-config" => Reports(kind, ("1/2", Digest, "a", "1.0", null), ("2/2", OtherDigest, "b", "1.0", null)),
            _ => Reports(kind, ("1/2", Digest, "a", "1.0", null), ("2/3", Digest, "b", "1.0", null)),
        };

        var run = await CliRunner.RunAsync(["Report", "--merge", folder]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("merged from", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_report_records_its_run_and_every_summary_key_and_a_merge_of_its_shards_keeps_the_configuration()
    {
        await using var world = await SyncWorld.StartAsync();
        await TestImage.Create("run-record").PushAsync(world.Upstream, "istio/run-record", "1.0");
        var config = world.Config(("record", "istio/run-record", "mirror/record", ["1.0"], ""), ("other", "istio/run-record", "mirror/other", ["1.0"], ""));
        var shards = Path.Combine(_dir, "shards");
        Directory.CreateDirectory(shards);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        var runs = new List<CliRun>();
        foreach (var k in new[] { 1, 2 })
        {
            runs.Add(await world.RunAsync(config, "SyncAll", "--shard", $"{k}/2", "--report", Path.Combine(shards, $"shard-{k}.json")));
        }
        var merged = Path.Combine(_dir, "merged.json");
        var merge = await CliRunner.RunAsync(["Report", "--merge", shards, "--report", merged]);

        using var shard = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(shards, "shard-1.json")));
        var run = shard.RootElement.GetProperty("run");
        Assert.Equal("SyncAll", run.GetProperty("target").GetString());
        Assert.Equal("1/2", run.GetProperty("shard").GetString());
        Assert.Equal(config, run.GetProperty("config").GetString());
        Assert.Equal(ImageSync.References.Digest.Sha256(await File.ReadAllBytesAsync(config)).ToString(), run.GetProperty("configDigest").GetString());
        Assert.Matches("^[0-9a-f]{40}$", run.GetProperty("commit").GetString());
        Assert.False(string.IsNullOrEmpty(run.GetProperty("version").GetString()));
        Assert.InRange(DateTimeOffset.Parse(run.GetProperty("startedAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture), before, DateTimeOffset.Parse(run.GetProperty("endedAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(runs[0].ExitCode, run.GetProperty("exitCode").GetInt32());
        var keys = shard.RootElement.GetProperty("summary").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["total", "in-sync", "copied", "would-copy", "missing", "outdated", "conflict", "upstream-missing", "error", "unverified", "bytes", "durationMs"], keys);
        Assert.True(merge.ExitCode == runs.Max(r => r.ExitCode), merge.Out + merge.Error);
        using var all = JsonDocument.Parse(await File.ReadAllTextAsync(merged));
        Assert.Equal("Report", all.RootElement.GetProperty("run").GetProperty("target").GetString());
        Assert.Equal(run.GetProperty("configDigest").GetString(), all.RootElement.GetProperty("run").GetProperty("configDigest").GetString());
        Assert.Equal(2, all.RootElement.GetProperty("summary").GetProperty("total").GetInt32());
    }
}

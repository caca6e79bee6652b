using ImageSync.Build;
using ImageSync.Tests.Support;

namespace ImageSync.Tests.Cli;

/// <summary>List --max-shards: the shard plan the sync workflow sizes its matrix from.</summary>
public sealed class ListShardPlanTests
{
    [Fact]
    public async Task List_with_max_shards_prints_the_plan_and_writes_it_to_the_step_outputs()
    {
        var folder = Directory.CreateTempSubdirectory("imagesync-plan-").FullName;
        try
        {
            var outputs = Path.Combine(folder, "github-output");
            await File.WriteAllTextAsync(outputs, "earlier=1\n");
            var config = Path.Combine(TestPaths.RepositoryRoot, "image-sync-config.json");

            var run = await CliRunner.RunAsync(["List", "--config", config, "--max-shards", "3"], new Dictionary<string, string> { ["GITHUB_OUTPUT"] = outputs });
            var one = await CliRunner.RunAsync(["List", "--config", config, "--max-shards", "3", "--image", "examples-httpbin"]);
            var none = await CliRunner.RunAsync(["List", "--config", config]);

            Assert.True(run.ExitCode == 0, run.Out + run.Error);
            Assert.Contains("shards: 2 (at most 3; no shard without an image)", run.Out, StringComparison.Ordinal);
            Assert.Equal("earlier=1\nshard-count=2\nshards=[1,2]\n", await File.ReadAllTextAsync(outputs));
            Assert.Contains("shards: 1 (at most 3", one.Out, StringComparison.Ordinal);
            Assert.DoesNotContain("shards:", none.Out, StringComparison.Ordinal);
            Assert.Contains(ParameterTable.MaxShards, ParameterTable.All);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

using System.Text.RegularExpressions;
using ImageSync.Build;
using ImageSync.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace ImageSync.Tests.Cli;

/// <summary>
/// The GitHub workflows parse, every build.sh they run names targets and parameters that exist, and they work
/// together: one mirror a night, a matrix sized from the configuration, bounded jobs, superseded runs cancelled.
/// The rules about secrets and pull requests are in <see cref="WorkflowSecretTests"/>.
/// </summary>
public sealed partial class WorkflowTests
{
    /// <summary>Runs ./build.sh with the words after it; dry-run.sh runs ./build.sh DryRun with them.</summary>
    private static readonly Dictionary<string, string[]> Callers = new(StringComparer.Ordinal)
    {
        ["./build.sh"] = [],
        [".github/scripts/dry-run.sh"] = ["DryRun"],
    };

    public static TheoryData<string> Files() => [.. WorkflowFile.Names()];

    [GeneratedRegex(@"""[^""]*""|'[^']*'|\$\{\{.*?\}\}|[^\s;|&]+|[;|&]+")]
    private static partial Regex Word();

    /// <summary>The words after each ./build.sh (or dry-run.sh) in a script, up to the end of its command.</summary>
    internal static IEnumerable<List<string>> BuildCalls(string script)
    {
        foreach (var line in script.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n'))
        {
            var code = line.TrimStart().StartsWith('#') ? "" : line.Split(" #")[0];
            var words = Word().Matches(code).Select(m => m.Value).ToList();
            for (var i = 0; i < words.Count; i++)
            {
                if (Callers.TryGetValue(words[i], out var prefix))
                {
                    yield return [.. prefix, .. words.Skip(i + 1).TakeWhile(w => !Regex.IsMatch(w, "^[;|&]+$"))];
                }
            }
        }
    }

    private static void AssertKnown(string where, List<string> call)
    {
        var targets = Targets.All.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var parameters = ParameterTable.All.ToDictionary(p => p.Flag, StringComparer.Ordinal);
        Assert.NotEmpty(call);
        for (var i = 0; i < call.Count; i++)
        {
            var word = call[i];
            if (word == "\"$@\"")
            {
                continue; // dry-run.sh passes on what its callers give, and they are checked where they call it
            }
            if (word.StartsWith("--", StringComparison.Ordinal))
            {
                var flag = word.Split('=')[0];
                Assert.True(parameters.TryGetValue(flag, out var parameter), $"{where}: ./build.sh {string.Join(" ", call)}: no parameter {flag}");
                if (parameter.ValueName is not null && !word.Contains('=', StringComparison.Ordinal))
                {
                    i++;
                }
            }
            else
            {
                Assert.True(targets.Contains(word), $"{where}: ./build.sh {string.Join(" ", call)}: no target {word}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_build_sh_call_names_targets_and_parameters_that_exist(string file)
    {
        var workflow = WorkflowFile.Load(file);
        Assert.True(workflow.Root.Children.ContainsKey("permissions"), $"{file} sets no permissions");
        Assert.All(workflow.RunScripts().SelectMany(BuildCalls), call => AssertKnown(file, call));
    }

    [Fact]
    public void The_scripts_the_workflows_run_name_targets_and_parameters_that_exist()
    {
        var scripts = Directory.EnumerateFiles(Path.Combine(TestPaths.RepositoryRoot, ".github", "scripts"), "*.sh").ToList();
        Assert.NotEmpty(scripts);
        Assert.All(scripts, s => Assert.All(BuildCalls(File.ReadAllText(s)), call => AssertKnown(Path.GetFileName(s), call)));
        Assert.Equal(["--image", "examples-httpbin", "DryRun", "--image", "x"], [.. BuildCalls("./build.sh --image examples-httpbin; .github/scripts/dry-run.sh --image x").SelectMany(c => c)]);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_job_is_bounded_and_nothing_runs_on_always(string file)
    {
        var workflow = WorkflowFile.Load(file);
        foreach (var (id, job) in workflow.Jobs)
        {
            Assert.True(int.TryParse(WorkflowFile.Get(job, "timeout-minutes"), out var minutes) && minutes is > 0 and <= 180, $"{file}: job {id} has no timeout-minutes (GitHub's default is 6 hours)");
            var conditions = new[] { WorkflowFile.Get(job, "if") }.Concat(WorkflowFile.Steps(job).Select(s => WorkflowFile.Get(s, "if")));
            Assert.All(conditions.OfType<string>(), c => Assert.DoesNotContain("always()", c, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void The_three_workflows_users_run_are_there_and_the_mirror_runs_on_the_configs_schedule()
    {
        Assert.All(new[] { "ci.yml", "sync-images.yml", "update-deps.yml", "image-sync-pr.yml", "image-syncer.yml" }, f => Assert.True(File.Exists(Path.Combine(WorkflowFile.Folder, f)), f));
        var schedule = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "image-sync-config.json"))).RootElement.GetProperty("sync_schedule").GetString();
        var sync = WorkflowFile.Load("sync-images.yml");
        Assert.Equal(schedule, Cron(sync));
        Assert.Contains(new YamlScalarNode("workflow_dispatch"), sync.On.Children.Keys);
        Assert.All(sync.RunScripts().SelectMany(BuildCalls), call => Assert.DoesNotContain(call, w => w.Contains("inputs.", StringComparison.Ordinal)));
    }

    private static string? Cron(WorkflowFile workflow) =>
        workflow.On.Children.TryGetValue("schedule", out var schedule) ? WorkflowFile.Get((YamlMappingNode)((YamlSequenceNode)schedule)[0], "cron") : null;

    [Fact]
    public void One_mirror_a_night_update_deps_proposes_and_sync_images_copies()
    {
        string[] writers = ["Sync", "SyncAll", "AutoSync"];
        var configWorkflows = WorkflowFile.Names().Where(f => f != "image-syncer.yml");
        foreach (var file in configWorkflows)
        {
            var calls = WorkflowFile.Load(file).RunScripts().SelectMany(BuildCalls).ToList();
            var copies = calls.Where(c => c.Intersect(writers).Any()).ToList();
            Assert.True(file == "sync-images.yml" ? copies.Count == 1 : copies.Count == 0, $"{file}: {string.Join("; ", copies.Select(c => string.Join(" ", c)))}");
        }
        var update = WorkflowFile.Load("update-deps.yml");
        Assert.Contains(update.RunScripts().SelectMany(BuildCalls), c => c.Contains("AutoUpdate") && c.Contains("--pull-request"));
        Assert.NotEqual(Cron(update), Cron(WorkflowFile.Load("sync-images.yml")));

        // A merged pull request of new tags is mirrored when it reaches main, not the next night.
        var push = WorkflowFile.Map(WorkflowFile.Load("sync-images.yml").On, "push");
        Assert.NotNull(push);
        Assert.Contains("image-sync-config.json", WorkflowFile.Text(push), StringComparison.Ordinal);
    }

    [Fact]
    public void The_sync_matrix_is_sized_from_the_configuration_and_the_merge_runs_unless_cancelled()
    {
        var workflow = WorkflowFile.Load("sync-images.yml");
        var plan = workflow.Job("plan");
        var planCall = WorkflowFile.Steps(plan).Select(s => WorkflowFile.Get(s, "run")).OfType<string>().SelectMany(BuildCalls).Single(c => c.Contains("--max-shards"));
        Assert.Contains("List", planCall);
        var planStep = WorkflowFile.Steps(plan).Single(s => WorkflowFile.Get(s, "run") is { } r && r.Contains("--max-shards", StringComparison.Ordinal));
        Assert.Contains("steps." + WorkflowFile.Get(planStep, "id") + ".outputs.shards", WorkflowFile.Text(plan), StringComparison.Ordinal);

        var sync = workflow.Job("sync");
        Assert.Equal("${{ fromJSON(needs.plan.outputs.shards) }}", WorkflowFile.Get(WorkflowFile.Map(WorkflowFile.Map(sync, "strategy")!, "matrix")!, "shard"));
        var syncStep = WorkflowFile.Steps(sync).Single(s => WorkflowFile.Get(s, "run") is { } r && r.Contains("SyncAll", StringComparison.Ordinal));
        Assert.Equal("${{ needs.plan.outputs.shard-count }}", WorkflowFile.Get(WorkflowFile.Map(syncStep, "env")!, "SHARDS"));
        Assert.Contains("--shard \"$SHARD/$SHARDS\"", WorkflowFile.Get(syncStep, "run"), StringComparison.Ordinal);

        var report = workflow.Job("report");
        Assert.Contains("!cancelled()", WorkflowFile.Get(report, "if"), StringComparison.Ordinal);
        Assert.Contains("sync", WorkflowFile.Text(report["needs"]).Split('\n'));
    }

    [Theory]
    [InlineData("ci.yml")]
    [InlineData("image-sync-pr.yml")]
    public void A_new_push_to_a_pull_request_cancels_the_run_it_supersedes(string file)
    {
        var concurrency = WorkflowFile.Map(WorkflowFile.Load(file).Root, "concurrency");
        Assert.NotNull(concurrency);
        Assert.Contains("github.event.pull_request.number", WorkflowFile.Get(concurrency, "group"), StringComparison.Ordinal);
        var cancel = WorkflowFile.Get(concurrency, "cancel-in-progress");
        Assert.True(cancel is "true" or "${{ github.event_name == 'pull_request' }}", $"{file}: cancel-in-progress is {cancel}");
    }

    [Theory]
    [InlineData("sync-images.yml")]
    [InlineData("update-deps.yml")]
    public void A_scheduled_run_is_never_cancelled_half_way(string file)
    {
        var concurrency = WorkflowFile.Map(WorkflowFile.Load(file).Root, "concurrency");
        Assert.NotNull(concurrency);
        Assert.Equal("false", WorkflowFile.Get(concurrency, "cancel-in-progress"));
    }
}

using System.Text.RegularExpressions;
using ImageSync.Build;
using ImageSync.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace ImageSync.Tests.Cli;

/// <summary>The GitHub workflows parse, and every build.sh they run names targets and parameters that exist.</summary>
public sealed partial class WorkflowTests
{
    private static readonly string Workflows = Path.Combine(TestPaths.RepositoryRoot, ".github", "workflows");

    public static TheoryData<string> Files() => [.. Directory.EnumerateFiles(Workflows, "*.yml").Select(Path.GetFileName).OfType<string>()];

    private static YamlMappingNode Load(string file)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(Workflows, file))));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static IEnumerable<string> RunScripts(YamlMappingNode workflow) =>
        ((YamlMappingNode)workflow["jobs"]).Children.Values.OfType<YamlMappingNode>()
            .SelectMany(job => job.Children.TryGetValue("steps", out var steps) ? ((YamlSequenceNode)steps).OfType<YamlMappingNode>() : [])
            .Select(step => step.Children.TryGetValue("run", out var run) ? ((YamlScalarNode)run).Value : null)
            .OfType<string>();

    [GeneratedRegex(@"""[^""]*""|'[^']*'|\$\{\{.*?\}\}|[^\s;|&]+|[;|&]+")]
    private static partial Regex Word();

    /// <summary>The words after each ./build.sh in a script, up to the end of its command.</summary>
    private static IEnumerable<List<string>> BuildCalls(string script)
    {
        foreach (var line in script.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n'))
        {
            var words = Word().Matches(line.Split(" #")[0]).Select(m => m.Value).ToList();
            for (var i = words.IndexOf("./build.sh"); i >= 0 && i < words.Count; i = words.IndexOf("./build.sh", i + 1))
            {
                yield return [.. words.Skip(i + 1).TakeWhile(w => !Regex.IsMatch(w, "^[;|&]+$"))];
            }
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_build_sh_call_names_targets_and_parameters_that_exist(string file)
    {
        var targets = Targets.All.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var parameters = ParameterTable.All.ToDictionary(p => p.Flag, StringComparer.Ordinal);
        var workflow = Load(file);
        Assert.True(workflow.Children.ContainsKey("permissions"), $"{file} sets no permissions");

        foreach (var call in RunScripts(workflow).SelectMany(BuildCalls))
        {
            Assert.NotEmpty(call);
            for (var i = 0; i < call.Count; i++)
            {
                var word = call[i];
                if (word.StartsWith("--", StringComparison.Ordinal))
                {
                    var flag = word.Split('=')[0];
                    Assert.True(parameters.TryGetValue(flag, out var parameter), $"{file}: ./build.sh {string.Join(" ", call)}: no parameter {flag}");
                    if (parameter.ValueName is not null && !word.Contains('=', StringComparison.Ordinal))
                    {
                        i++;
                    }
                }
                else
                {
                    Assert.True(targets.Contains(word), $"{file}: ./build.sh {string.Join(" ", call)}: no target {word}");
                }
            }
        }
    }

    [Fact]
    public void The_three_workflows_users_run_are_there_and_the_mirror_runs_on_the_configs_schedule()
    {
        Assert.All(new[] { "ci.yml", "sync-images.yml", "update-deps.yml", "image-sync-pr.yml" }, f => Assert.True(File.Exists(Path.Combine(Workflows, f)), f));
        var schedule = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "image-sync-config.json"))).RootElement.GetProperty("sync_schedule").GetString();
        var on = (YamlMappingNode)Load("sync-images.yml")["on"];
        var cron = ((YamlScalarNode)((YamlMappingNode)((YamlSequenceNode)on["schedule"])[0])["cron"]).Value;
        Assert.Equal(schedule, cron);
        Assert.Contains(new YamlScalarNode("workflow_dispatch"), on.Children.Keys);
        Assert.All(RunScripts(Load("sync-images.yml")).SelectMany(BuildCalls), call => Assert.DoesNotContain(call, w => w.Contains("inputs.", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_pull_request_check_never_runs_with_secrets()
    {
        var text = File.ReadAllText(Path.Combine(Workflows, "image-sync-pr.yml"));
        Assert.DoesNotContain("pull_request_target", text, StringComparison.Ordinal);
        Assert.DoesNotContain("secrets.", text, StringComparison.Ordinal);
        Assert.Equal("read", ((YamlScalarNode)((YamlMappingNode)Load("image-sync-pr.yml")["permissions"])["contents"]).Value);
    }
}

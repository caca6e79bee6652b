using System.Text.RegularExpressions;
using ImageSync.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace ImageSync.Tests.Cli;

/// <summary>
/// Where the workflows' secrets and tokens go: registry secrets behind an environment and never beside a write
/// token, Docker Hub as an account when one is given, pull requests planned without secrets, and kyma's reusable
/// workflow safe under pull_request_target.
/// </summary>
public sealed partial class WorkflowSecretTests
{
    /// <summary>The tokens that can write to the repository, when the job's permissions let them.</summary>
    private static readonly string[] RepositoryTokens = ["secrets.GITHUB_TOKEN", "github.token", "secrets.IMAGE_SYNC_PR_TOKEN"];

    /// <summary>A copy with every condition of the reusable workflow's write path spelled out: push, schedule or dispatch, and no dry-run.</summary>
    private const string WritingEvents = "contains(fromJSON('[\"push\", \"schedule\", \"workflow_dispatch\"]'), github.event_name)";

    public static TheoryData<string> Files() => [.. WorkflowFile.Names()];

    [GeneratedRegex(@"secrets\.([A-Za-z0-9_-]+)")]
    private static partial Regex SecretReference();

    private static List<string> RegistrySecrets(YamlNode node) =>
        [.. SecretReference().Matches(WorkflowFile.Text(node)).Select(m => m.Groups[1].Value).Where(s => s is not "GITHUB_TOKEN" and not "IMAGE_SYNC_PR_TOKEN")];

    [Theory]
    [MemberData(nameof(Files))]
    public void Registry_secrets_sit_behind_an_environment_in_jobs_whose_token_cannot_write(string file)
    {
        var workflow = WorkflowFile.Load(file);
        foreach (var (id, job) in workflow.Jobs)
        {
            var permissions = workflow.Permissions(job);
            Assert.True(permissions.Count > 0, $"{file}: job {id} has the default token permissions");
            var writes = permissions.Any(p => p.Value == "write");
            foreach (var step in WorkflowFile.Steps(job))
            {
                var secrets = RegistrySecrets(step);
                var text = WorkflowFile.Text(step);
                var tokens = RepositoryTokens.Where(t => text.Contains(t, StringComparison.Ordinal)).ToList();
                Assert.False(secrets.Count > 0 && writes && tokens.Count > 0, $"{file}: job {id}: a step has {string.Join(", ", secrets)} beside the write token {string.Join(", ", tokens)}");
                if (secrets.Count > 0)
                {
                    Assert.True(job.Children.ContainsKey("environment"), $"{file}: job {id} reads {string.Join(", ", secrets)} but names no environment");
                    Assert.False(writes, $"{file}: job {id} reads {string.Join(", ", secrets)} with a token that can write ({string.Join(", ", permissions)})");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void No_checkout_leaves_its_token_in_git_config_for_the_steps_after_it(string file)
    {
        var checkouts = WorkflowFile.Load(file).Jobs.SelectMany(j => WorkflowFile.Steps(j.Job))
            .Where(s => WorkflowFile.Get(s, "uses") is { } uses && uses.StartsWith("actions/checkout@", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(checkouts);
        Assert.All(checkouts, s => Assert.Equal("false", WorkflowFile.Get(WorkflowFile.Map(s, "with") ?? new YamlMappingNode(), "persist-credentials")));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void No_workflow_of_this_repository_runs_a_pull_requests_code_with_the_bases_secrets(string file)
    {
        // pull_request_target and workflow_run start with the base's secrets and a write token for an event anyone
        // can cause; only the reusable workflow, which is called and checked above, is written for that.
        var triggers = WorkflowFile.Load(file).On.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value).ToList();
        Assert.DoesNotContain("pull_request_target", triggers);
        Assert.DoesNotContain("workflow_run", triggers);
        Assert.Equal(file == "image-syncer.yml", triggers.SequenceEqual(["workflow_call"]));
    }

    [Fact]
    public void The_pull_request_check_never_runs_with_secrets()
    {
        var text = File.ReadAllText(Path.Combine(WorkflowFile.Folder, "image-sync-pr.yml"));
        Assert.DoesNotContain("pull_request_target", text, StringComparison.Ordinal);
        Assert.DoesNotContain("secrets.", text, StringComparison.Ordinal);
        Assert.Equal("read", WorkflowFile.Get(WorkflowFile.Map(WorkflowFile.Load("image-sync-pr.yml").Root, "permissions")!, "contents"));
        Assert.All(WorkflowFile.Load("image-sync-pr.yml").RunScripts().SelectMany(WorkflowTests.BuildCalls).Where(c => c.Contains("DryRun")),
            _ => Assert.Contains(".github/scripts/dry-run.sh", string.Join("\n", WorkflowFile.Load("image-sync-pr.yml").RunScripts()), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("sync-images.yml", "sync")]
    [InlineData("image-syncer.yml", "sync")]
    public void The_jobs_that_copy_pull_from_Docker_Hub_as_the_account_the_secrets_name(string file, string jobId)
    {
        var job = WorkflowFile.Load(file).Job(jobId);
        var steps = WorkflowFile.Steps(job).ToList();
        var login = steps.FindIndex(s => RegistrySecrets(s).Contains("DOCKERHUB_USERNAME") && RegistrySecrets(s).Contains("DOCKERHUB_TOKEN"));
        var copy = steps.FindIndex(s => WorkflowFile.Get(s, "run") is { } r && r.Contains("./build.sh SyncAll", StringComparison.Ordinal));
        Assert.True(login >= 0 && login < copy, $"{file}: no step before SyncAll logs in to Docker Hub from DOCKERHUB_USERNAME/DOCKERHUB_TOKEN");
        var script = WorkflowFile.Get(steps[login], "run")!;
        Assert.Contains("https://index.docker.io/v1/", script, StringComparison.Ordinal);
        Assert.Contains("DOCKER_CONFIG=", script, StringComparison.Ordinal);
        Assert.Contains("exit 0", script, StringComparison.Ordinal); // optional: without them, anonymous
    }

    [Fact]
    public void Kymas_reusable_workflow_takes_kymas_inputs_and_optional_secrets()
    {
        var call = WorkflowFile.Map(WorkflowFile.Load("image-syncer.yml").On, "workflow_call")!;
        var inputs = WorkflowFile.Map(call, "inputs")!;
        Assert.Equal("boolean", WorkflowFile.Get(WorkflowFile.Map(inputs, "dry-run")!, "type"));
        Assert.Equal("boolean", WorkflowFile.Get(WorkflowFile.Map(inputs, "debug")!, "type"));
        Assert.Equal("external-images.yaml", WorkflowFile.Get(WorkflowFile.Map(inputs, "images-file")!, "default"));
        var secrets = WorkflowFile.Map(call, "secrets")!;
        Assert.All(secrets.Children.Values.OfType<YamlMappingNode>(), s => Assert.Equal("false", WorkflowFile.Get(s, "required")));
        Assert.Contains(new YamlScalarNode("DOCKERHUB_TOKEN"), secrets.Children.Keys);
    }

    [Fact]
    public void Under_pull_request_target_the_reusable_workflow_plans_without_secrets_and_never_runs_the_pull_requests_files()
    {
        var workflow = WorkflowFile.Load("image-syncer.yml");
        var dryRun = workflow.Job("dry-run");
        var sync = workflow.Job("sync");

        // Writing takes an event only the repository's own people cause; everything else, pull_request_target too, plans.
        Assert.Equal("${{ !inputs.dry-run && " + WritingEvents + " }}", WorkflowFile.Get(sync, "if"));
        Assert.Equal("${{ inputs.dry-run || !" + WritingEvents + " }}", WorkflowFile.Get(dryRun, "if"));
        Assert.DoesNotContain("pull_request", WorkflowFile.Get(sync, "if"), StringComparison.Ordinal);

        Assert.Empty(RegistrySecrets(dryRun));
        Assert.DoesNotContain("secrets.", WorkflowFile.Text(dryRun), StringComparison.Ordinal);
        Assert.False(dryRun.Children.ContainsKey("environment"));
        Assert.Equal(new Dictionary<string, string> { ["contents"] = "read" }, workflow.Permissions(dryRun));

        var steps = WorkflowFile.Steps(dryRun).ToList();
        var tool = steps.Single(s => WorkflowFile.Get(WorkflowFile.Map(s, "with") ?? new YamlMappingNode(), "repository") == "${{ inputs.imagesync-repository }}");
        var toolPath = WorkflowFile.Get(WorkflowFile.Map(tool, "with")!, "path")!;
        var pullRequest = steps.Single(s => WorkflowFile.Text(s).Contains("github.event.pull_request.head", StringComparison.Ordinal));
        var with = WorkflowFile.Map(pullRequest, "with")!;
        var dataPath = WorkflowFile.Get(with, "path")!;
        Assert.StartsWith("actions/checkout@", WorkflowFile.Get(pullRequest, "uses"), StringComparison.Ordinal);
        Assert.Equal("${{ inputs.images-file }}", WorkflowFile.Get(with, "sparse-checkout"));
        Assert.Equal("false", WorkflowFile.Get(with, "persist-credentials"));
        Assert.NotEqual(toolPath, dataPath);

        foreach (var step in steps.Where(s => s.Children.ContainsKey("run")))
        {
            // The pull request's folder is never where a script runs, nor named by one: only a variable points the tool at its file.
            Assert.Equal(toolPath, WorkflowFile.Get(step, "working-directory"));
            Assert.DoesNotContain(dataPath, WorkflowFile.Get(step, "run"), StringComparison.Ordinal);
            Assert.Contains("/" + dataPath + "/${{ inputs.images-file }}", WorkflowFile.Get(WorkflowFile.Map(step, "env")!, "SYNCER_IMAGES_FILE"), StringComparison.Ordinal);
        }
        Assert.All(steps, s => Assert.False(WorkflowFile.Get(s, "uses") is { } uses && uses.StartsWith("./", StringComparison.Ordinal), "a local action would come from the caller's checkout"));
        Assert.Contains(steps, s => WorkflowFile.Get(s, "run") is { } r && r.Contains(".github/scripts/dry-run.sh", StringComparison.Ordinal));
        Assert.Equal("${{ inputs.environment }}", WorkflowFile.Get(sync, "environment"));
        Assert.Equal("false", WorkflowFile.Get(WorkflowFile.Map(sync, "concurrency")!, "cancel-in-progress"));
        Assert.Contains("github.event.pull_request.number", WorkflowFile.Get(WorkflowFile.Map(dryRun, "concurrency")!, "group"), StringComparison.Ordinal);
    }
}

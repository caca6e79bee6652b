using System.Diagnostics;
using ImageSync.Registry.Auth;
using ImageSync.Tests.Support;

namespace ImageSync.Tests.Cli;

/// <summary>
/// The copying jobs' Docker Hub step, run by bash as Actions runs it: with DOCKERHUB_USERNAME and DOCKERHUB_TOKEN it
/// leaves a Docker config.json that imagesync reads for docker.io; without them it says so and leaves nothing.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DockerHubLoginStepTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("imagesync-dockerhub-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    public static TheoryData<string> Files() => ["sync-images.yml", "image-syncer.yml"];

    private static string Script(string file) =>
        WorkflowFile.Steps(WorkflowFile.Load(file).Job("sync"))
            .Select(s => WorkflowFile.Get(s, "run"))
            .OfType<string>()
            .Single(r => r.Contains("DOCKERHUB_TOKEN", StringComparison.Ordinal));

    private async Task<(CliRun Run, string Env)> RunAsync(string file, string? user, string? token)
    {
        var env = Path.Combine(_root, "github-env");
        File.WriteAllText(env, "");
        var start = new ProcessStartInfo("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", Script(file)]) { WorkingDirectory = _root };
        start.Environment["RUNNER_TEMP"] = _root;
        start.Environment["GITHUB_ENV"] = env;
        start.Environment["DOCKERHUB_USERNAME"] = user ?? "";
        start.Environment["DOCKERHUB_TOKEN"] = token ?? "";
        var run = await ChildProcess.RunAsync(start, TimeSpan.FromMinutes(1));
        return (run, await File.ReadAllTextAsync(env));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task With_the_secrets_imagesync_reads_docker_io_as_the_account_and_the_log_shows_neither(string file)
    {
        const string token = "dckr_pat_0123456789\"\\x";
        var (run, env) = await RunAsync(file, "mirror-bot", token);

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Equal($"DOCKER_CONFIG={_root}/docker\n", env);
        var credential = await new DockerConfigCredentials(Path.Combine(_root, "docker", "config.json")).GetAsync("docker.io", CancellationToken.None);
        Assert.NotNull(credential);
        Assert.Equal(("mirror-bot", token), (credential.Username, credential.Password));
        Assert.DoesNotContain(token, run.Out + run.Error, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(_root, "docker")));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Without_them_the_step_says_docker_io_is_read_anonymously_and_changes_nothing(string file)
    {
        var (run, env) = await RunAsync(file, "mirror-bot", null);

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Contains("docker.io is read anonymously", run.Out, StringComparison.Ordinal);
        Assert.Equal("", env);
        Assert.False(Directory.Exists(Path.Combine(_root, "docker")));
    }

    [Fact]
    public void Both_copying_workflows_run_the_same_step()
    {
        // Written out twice because a called workflow cannot use a local action of its own repository.
        Assert.Equal(Script("sync-images.yml").Replace("pass the secrets", "set the secrets", StringComparison.Ordinal), Script("image-syncer.yml").Replace("pass the secrets", "set the secrets", StringComparison.Ordinal));
    }
}

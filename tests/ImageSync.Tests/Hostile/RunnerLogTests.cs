using System.Text;
using ImageSync.Config;
using ImageSync.Output;
using ImageSync.References;
using ImageSync.Reporting;
using ImageSync.AutoUpdate;
using ImageSync.Tests.Support;
using ImageSync.Upstream;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ImageSync.Tests.Hostile;

/// <summary>
/// What reaches the runner's log: GitHub's runner splits lines on \n and on a bare \r, reads ::command:: at a line's
/// start and the legacy ##[command] anywhere in a line. A registry that puts them in its reason phrase, its error
/// messages, its platforms and its tag list, and upstream text in the bot's commit message, act on nothing.
/// </summary>
public sealed class RunnerLogTests : IAsyncLifetime
{
    private const string Child = "sha256:0000000000000000000000000000000000000000000000000000000000000001";
    private readonly string _dir = Directory.CreateTempSubdirectory("imagesync-runner-log-").FullName;
    private HostileServer _registry = null!;

    public async Task InitializeAsync() => _registry = await HostileServer.StartAsync(AnswerAsync);

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>Every line as the runner cuts them: on \n and on a bare \r.</summary>
    private static string[] RunnerLines(string text) => text.Split('\n', '\r');

    private static void AssertNoRunnerCommand(string text)
    {
        Assert.DoesNotContain(RunnerLines(text), line => line.TrimStart().StartsWith("::", StringComparison.Ordinal));
        Assert.DoesNotContain("##[", text, StringComparison.Ordinal);
    }

    /// <summary>
    /// a/b: an index whose one platform is written to inject commands; a/c: found by HEAD, then GET answers 403 with a reason phrase and an error
    /// message that do the same; tag lists with commands and paths in them; everything else 404.
    /// </summary>
    private static async Task AnswerAsync(HttpContext context, string body)
    {
        var path = context.Request.Path.Value!;
        // By tag or by digest: the client GETs by the digest HEAD gave.
        if (path.StartsWith("/v2/a/b/manifests/", StringComparison.Ordinal))
        {
            var index = $$$"""
                {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{Child}}}","size":300,
                 "platform":{"os":"linux\r::error::from-os","architecture":"amd64 ##[error]from-arch","variant":"v1\n::warning::from-variant"}}]}
                """;
            context.Response.ContentType = "application/vnd.oci.image.index.v1+json";
            context.Response.Headers["Docker-Content-Digest"] = ImageSync.References.Digest.Sha256(Encoding.UTF8.GetBytes(index)).ToString();
            context.Response.ContentLength = Encoding.UTF8.GetByteCount(index);
            if (context.Request.Method != "HEAD")
            {
                await context.Response.WriteAsync(index);
            }
            return;
        }
        if (path.StartsWith("/v2/a/c/manifests/", StringComparison.Ordinal) && context.Request.Method == "HEAD")
        {
            context.Response.ContentType = "application/vnd.oci.image.manifest.v1+json";
            context.Response.Headers["Docker-Content-Digest"] = Child;
            context.Response.ContentLength = 300;
            return;
        }
        if (path.StartsWith("/v2/a/c/manifests/", StringComparison.Ordinal))
        {
            context.Response.StatusCode = 403;
            context.Features.Get<IHttpResponseFeature>()!.ReasonPhrase = "Forbidden ##[error]from-reason";
            await HostileServer.Json(context, 403, """{"errors":[{"code":"DENIED","message":"denied\r::error::from-message ##[add-mask]x\n::stop-commands::y"}]}""");
            return;
        }
        if (path.EndsWith("/tags/list", StringComparison.Ordinal))
        {
            await HostileServer.Json(context, 200, """{"name":"a/b","tags":["1.0","2.0\r::error::from-tag","3.0##[error]x","../../../x/manifests/y"]}""");
            return;
        }
        context.Response.StatusCode = 404;
    }

    private string Config() => Path.Combine(_dir, "config.json") is var path && File.Exists(path) ? path : WriteConfig(path);

    private string WriteConfig(string path)
    {
        File.WriteAllText(path, $$"""
            { "images": [
                { "name": "p", "upstream": "hostile.test/a/b", "target": "hostile.test/m/b", "tags": ["1.0"], "platforms": ["linux/s390x"] },
                { "name": "d", "upstream": "hostile.test/a/c", "target": "hostile.test/m/c", "tags": ["1.0"] } ],
              "registries": { "hostile.test": { "url": "{{_registry.Url}}" } } }
            """);
        return path;
    }

    [Theory]
    [InlineData("GET manifest: 500 Oops ##[error]mid-line")]
    [InlineData("first line ok\r::error::after a bare carriage return")]
    [InlineData("ok\r\n  ::add-mask::indented")]
    [InlineData("##[set-output name=x;]y")]
    public void The_guard_leaves_no_runner_command_anywhere_in_a_line_or_after_a_bare_carriage_return(string text)
    {
        var cleaned = new OutputGuard().Clean(text);

        AssertNoRunnerCommand(cleaned);
        // Made inert, not removed: every word is still there to read.
        Assert.All(text.Split(' ', '\r', '\n', ':', '#', '[', ']', ';', '='), word => Assert.Contains(word, cleaned, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reason_phrases_error_messages_and_platforms_from_a_registry_never_form_a_runner_command()
    {
        var summary = Path.Combine(_dir, "summary.md");
        var report = Path.Combine(_dir, "report.json");

        var run = await CliRunner.RunAsync(["SyncAll", "--config", Config(), "--report", report, "--retries", "0"],
            new Dictionary<string, string> { ["HOME"] = _dir, ["GITHUB_STEP_SUMMARY"] = summary });

        var everything = string.Join("\n", run.Out, run.Error, await File.ReadAllTextAsync(summary), await File.ReadAllTextAsync(report));
        Assert.True(run.ExitCode == 1, everything);
        foreach (var mark in new[] { "from-os", "from-arch", "from-variant", "from-reason", "from-message" })
        {
            Assert.Contains(mark, everything, StringComparison.Ordinal);
        }
        AssertNoRunnerCommand(everything);
    }

    [Fact]
    public async Task Tags_from_a_tag_list_that_are_no_tags_are_left_out_and_never_form_a_runner_command()
    {
        var run = await CliRunner.RunAsync(["Discover", "--config", Config(), "--image", "p"], new Dictionary<string, string> { ["HOME"] = _dir });

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Contains("1.0", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("from-tag", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("../", run.Out, StringComparison.Ordinal);
        AssertNoRunnerCommand(run.Out + run.Error);
    }

    [Fact]
    public void Upstream_text_in_the_commit_message_cannot_mention_reference_or_close_anything()
    {
        const string path = "samples/@octocat fixes #1 closes owner/repo#2 resolves https://github.com/o/r/issues/3.yaml";
        var image = new ImageSpec("hello", Reference.Parse("docker.io/istio/hello"), Reference.Parse("quay.io/m/hello"),
            [new TagSpec("1.0", "1.0", new SourcePosition("c.json", 1, 1))], null, [], false, new FieldPositions("images[0]", new SourcePosition("c.json", 1, 1), new Dictionary<string, SourcePosition>()));
        var evidence = new ImageOccurrence(path, 3, 5, "docker.io/istio/hello:1.1", Reference.Parse("docker.io/istio/hello:1.1"), "https://github.com/istio/istio/blob/master/x.yaml#L3");
        var plan = new AutoUpdatePlan("c.json", [new ImageUpdate(image, evidence.Reference, "1.0", "1.1", evidence, [])], [], [], [], [], "samples");

        var message = AutoUpdateReport.CommitMessage(plan, UpstreamSampleSource.Default with { Ref = "release @octocat#4" });

        Assert.Contains("octocat", message, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(?<![A-Za-z0-9_])@[A-Za-z0-9]", message);
        Assert.DoesNotMatch(@"#[0-9]", message);
        Assert.DoesNotMatch(@"(?i)\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\b", message);
    }
}

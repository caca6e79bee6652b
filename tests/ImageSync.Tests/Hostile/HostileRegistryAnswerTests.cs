using System.Text;
using ImageSync.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace ImageSync.Tests.Hostile;

/// <summary>Answers that never end or make no sense: endless tag pages, a Link header that loops, credential helpers that misbehave.</summary>
public sealed class HostileRegistryAnswerTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("imagesync-answers-").FullName;
    private SyncWorld _world = null!;

    public async Task InitializeAsync() => _world = await SyncWorld.StartAsync(proxyUpstream: true);

    public async Task DisposeAsync()
    {
        await _world.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private Task<CliRun> RunAsync(string config, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        _world.RunWithEnvironmentAsync(config, environment ?? new Dictionary<string, string>(), args);

    [Theory]
    [InlineData(false, "more than 200000 tags")]
    [InlineData(true, "the Link header leads back to a page already read")]
    public async Task A_tag_list_that_never_ends_stops_at_a_limit_with_a_clear_error(bool loop, string message)
    {
        var config = _world.Config(("endless", "istio/endless", "mirror/endless", ["1.0"], ""));
        var pages = 0;
        _world.Proxy.Rule = (request, _) => request.Path.Value!.EndsWith("/tags/list", StringComparison.Ordinal)
            ? new Fault.Respond(async context =>
            {
                var page = Interlocked.Increment(ref pages);
                var next = loop ? "/v2/istio/endless/tags/list?n=1000" : $"/v2/istio/endless/tags/list?n=1000&last=p{page}";
                context.Response.Headers["Link"] = $"<{next}>; rel=\"next\"";
                var tags = string.Join(",", Enumerable.Range(0, 1000).Select(i => $"\"{page}.{i}.0\""));
                await HostileServer.Json(context, 200, $$"""{"name":"istio/endless","tags":[{{tags}}]}""");
            })
            : null;

        var run = await RunAsync(config, null, "Discover");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.True(pages <= 201, $"{pages} pages");
    }

    [Theory]
    [InlineData("garbage", "echo 'HELPER-SECRET-garbage is not json'", "did not print a JSON object with Username and Secret")]
    [InlineData("fails", "echo 'HELPER-SECRET-fails'; exit 3", "failed (exit code 3)")]
    [InlineData("floods", "yes HELPER-SECRET-floods | head -c 300000", "printed more than 64 KiB")]
    [InlineData("array", "echo '[\"HELPER-SECRET-array\"]'", "did not print a JSON object with Username and Secret")]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task A_credential_helper_that_misbehaves_is_named_in_a_one_line_error_and_its_output_is_never_shown(string name, string script, string message)
    {
        var bin = Path.Combine(_dir, "bin-" + name);
        Directory.CreateDirectory(bin);
        var helper = Path.Combine(bin, $"docker-credential-imagesync-{name}");
        await File.WriteAllTextAsync(helper, $"#!/bin/sh\nread server\n{script}\n");
        File.SetUnixFileMode(helper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // The helper is found on PATH, as Docker finds it; adding a folder does not disturb other tests.
        Environment.SetEnvironmentVariable("PATH", $"{Environment.GetEnvironmentVariable("PATH")}:{bin}");
        var dockerConfig = Path.Combine(_dir, "docker-" + name);
        Directory.CreateDirectory(dockerConfig);
        await File.WriteAllTextAsync(Path.Combine(dockerConfig, "config.json"), $$"""{ "credHelpers": { "{{_world.Target.Host}}": "imagesync-{{name}}" } }""");
        await TestImage.Create("helper-" + name).PushAsync(_world.Upstream, "istio/helper", "1.0");
        var config = _world.Config(("helper", "istio/helper", "mirror/helper", ["1.0"], ""));

        var run = await RunAsync(config, new Dictionary<string, string> { ["DOCKER_CONFIG"] = dockerConfig }, "Status");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"credential helper docker-credential-imagesync-{name} {message}", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("HELPER-SECRET", run.Out + run.Error, StringComparison.Ordinal);
    }
}

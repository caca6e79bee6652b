using System.Diagnostics;
using System.Text;
using ImageSync.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace ImageSync.Tests.Hostile;

/// <summary>
/// Requests go only where they should: a tag cannot steer a request by path, an https registry cannot send an
/// upload over plain http, a manifest that reads two ways is refused before anything is written, and --report
/// writes only the file it names.
/// </summary>
public sealed class RequestSteeringTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("imagesync-steering-").FullName;
    private HostileServer _registry = null!;

    /// <summary>A registry that writes everything it is sent down and accepts every write, as a careless one would.</summary>
    public async Task InitializeAsync() => _registry = await HostileServer.StartAsync(AcceptingAsync);

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private static Task AcceptingAsync(HttpContext context, string body)
    {
        context.Response.StatusCode = context.Request.Method switch
        {
            "POST" => 202,
            "PUT" or "PATCH" => 201,
            _ => 404,
        };
        if (context.Request.Method == "POST")
        {
            context.Response.Headers.Location = "/v2/upload/1";
        }
        return Task.CompletedTask;
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private string Config(string upstreamUrl, string targetUrl, string extra = "") => Write($"config-{Guid.NewGuid():N}.json", $$"""
        { "images": [ { "name": "x", "upstream": "up.test/a/b", "target": "down.test/m/b", "tags": ["1.0"] } ],
          "registries": { "up.test": { "url": "{{upstreamUrl}}" }, "down.test": { "url": "{{targetUrl}}"{{extra}} } } }
        """);

    [Theory]
    [InlineData("command line")]
    [InlineData("IMAGE_SYNC_TAG")]
    [InlineData("parameters file")]
    public async Task A_tag_from_any_source_is_checked_against_the_grammar_before_any_request(string source)
    {
        const string steering = "1.0/../../../other/repo/manifests/latest";
        var config = Config(_registry.Url.ToString(), _registry.Url.ToString());
        var root = Path.Combine(_dir, "root-" + source.Replace(' ', '-'));
        Directory.CreateDirectory(root);
        string[] args = ["Sync", "--config", config, "--image", "x"];
        var env = new Dictionary<string, string> { ["HOME"] = _dir };
        switch (source)
        {
            case "command line":
                args = [.. args, "--tag", steering];
                break;
            case "IMAGE_SYNC_TAG":
                env["IMAGE_SYNC_TAG"] = steering;
                break;
            default:
                Write(Path.Combine(root, ".nuke", "parameters.json"), $$"""{ "tag": "{{steering}}" }""");
                break;
        }

        var run = await CliRunner.RunAsync(args, env, root);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"\"{steering}\" is not a tag", run.Error, StringComparison.Ordinal);
        Assert.Empty(_registry.Seen);
    }

    [Fact]
    public async Task An_https_registrys_upload_location_on_plain_http_fails_the_upload_and_sends_no_bytes()
    {
        await using var upstream = await RegistryServer.StartAsync();
        await TestImage.Create("downgrade").PushAsync(upstream, "a/b", "1.0");
        await using var thief = await HostileServer.StartAsync(AcceptingAsync);
        await using var target = await HostileServer.StartAsync((context, _) =>
        {
            if (context.Request.Method == "POST")
            {
                context.Response.StatusCode = 202;
                context.Response.Headers.Location = new Uri(thief.Url, "v2/m/b/blobs/uploads/stolen").ToString();
                return Task.CompletedTask;
            }
            return AcceptingAsync(context, "");
        }, tls: true);
        var config = Config(upstream.Url.ToString(), target.Url.ToString(), ", \"insecure\": true");

        var run = await CliRunner.RunAsync(["SyncAll", "--config", config, "--retries", "0"], new Dictionary<string, string> { ["HOME"] = _dir });

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("an https registry's uploads stay on https, so no blob bytes were sent", run.Out, StringComparison.Ordinal);
        Assert.Contains(target.Seen, r => r.Method == "POST");
        Assert.Empty(thief.Seen);
    }

    [Fact]
    public async Task A_document_that_is_both_an_index_and_an_image_is_refused_before_anything_is_written()
    {
        var config = Encoding.UTF8.GetBytes("{}");
        var layer = Encoding.UTF8.GetBytes("layer bytes");
        string Descriptor(string type, byte[] content) => $$"""{"mediaType":"{{type}}","digest":"{{ImageSync.References.Digest.Sha256(content)}}","size":{{content.Length}}}""";
        // No mediaType: read as an image (as its Content-Type says) it names a config and a layer; read as an index
        // it names another manifest, which an image reading never copies (CVE-2021-41190).
        var document = Encoding.UTF8.GetBytes($$"""
            {"schemaVersion":2,"config":{{Descriptor("application/vnd.oci.image.config.v1+json", config)}},"layers":[{{Descriptor("application/vnd.oci.image.layer.v1.tar", layer)}}],
             "manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:3333333333333333333333333333333333333333333333333333333333333333","size":500}]}
            """);
        await using var upstream = await HostileServer.StartAsync(async (context, _) =>
        {
            var path = context.Request.Path.Value!;
            var content = path.Contains("/manifests/", StringComparison.Ordinal) ? document
                : path.EndsWith(ImageSync.References.Digest.Sha256(config).ToString(), StringComparison.Ordinal) ? config
                : path.EndsWith(ImageSync.References.Digest.Sha256(layer).ToString(), StringComparison.Ordinal) ? layer : null;
            if (content is null)
            {
                context.Response.StatusCode = 404;
                return;
            }
            context.Response.ContentType = content == document ? "application/vnd.oci.image.manifest.v1+json" : "application/octet-stream";
            context.Response.Headers["Docker-Content-Digest"] = ImageSync.References.Digest.Sha256(content).ToString();
            context.Response.ContentLength = content.Length;
            if (context.Request.Method != "HEAD")
            {
                await context.Response.Body.WriteAsync(content);
            }
        });

        var run = await CliRunner.RunAsync(["SyncAll", "--config", Config(upstream.Url.ToString(), _registry.Url.ToString())], new Dictionary<string, string> { ["HOME"] = _dir });

        Assert.Equal(1, run.ExitCode);
        Assert.True(run.Out.Contains("CVE-2021-41190", StringComparison.Ordinal), run.Out + run.Error);
        Assert.DoesNotContain(_registry.Seen, r => r.Method is "POST" or "PUT" or "PATCH");
    }

    /// <summary>A report run that needs no registry: one shard's report merged, written to <paramref name="report"/>.</summary>
    private Task<CliRun> ReportToAsync(string report)
    {
        var shards = Path.Combine(_dir, "shards");
        Write(Path.Combine(shards, "shard.json"), """{"run":{"shard":"1/1"},"results":[],"summary":{}}""");
        return CliRunner.RunAsync(["Report", "--merge", shards, "--report", report]);
    }

    private static async Task<string> ShellAsync(string script)
    {
        var start = new ProcessStartInfo("sh", ["-c", script]) { RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output.Trim();
    }

    [Fact]
    public async Task A_report_to_a_fifo_is_streamed_to_it_and_the_fifo_is_never_replaced()
    {
        var fifo = Path.Combine(_dir, "report.fifo");
        var received = Path.Combine(_dir, "received.json");
        await ShellAsync($"mkfifo '{fifo}'");
        // A reader that gives up after a while, so a run that never writes to the fifo cannot hang the test.
        var reader = ShellAsync($"timeout 30 cat '{fifo}' > '{received}'");

        var run = await ReportToAsync(fifo);
        await reader;

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Equal("fifo", await ShellAsync($"stat -c %F '{fifo}'"));
        Assert.Contains("\"results\"", await File.ReadAllTextAsync(received), StringComparison.Ordinal);
        Assert.Equal(["received.json", "report.fifo", "shards"], Directory.EnumerateFileSystemEntries(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_report_to_dev_stdout_is_streamed_and_never_replaces_it()
    {
        var run = await ReportToAsync("/dev/stdout");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Equal("symbolic link", await ShellAsync("stat -c %F /dev/stdout"));
        Assert.False(File.Exists("/dev/stdout.tmp"));
    }

    [Fact]
    public async Task A_report_path_that_is_a_link_to_another_file_is_refused_and_neither_is_touched()
    {
        var victim = Write("victim.txt", "keep me\n");
        var link = Path.Combine(_dir, "report.json");
        File.CreateSymbolicLink(link, victim);

        var run = await ReportToAsync(link);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"error: --report {link}: is a link (to {victim})", run.Error, StringComparison.Ordinal);
        Assert.Equal(victim, new FileInfo(link).LinkTarget);
        Assert.Equal("keep me\n", await File.ReadAllTextAsync(victim));
    }

    [Fact]
    public async Task A_report_in_a_folder_that_does_not_exist_is_a_one_line_error_and_leaves_no_temporary_file()
    {
        var file = Write("plain.txt", "a file, not a folder\n");
        var report = Path.Combine(file, "y.json");

        var run = await ReportToAsync(report);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"error: --report {report}: no such folder", run.Error.Trim());
        Assert.Equal(["plain.txt", "shards"], Directory.EnumerateFileSystemEntries(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_report_over_a_regular_file_replaces_it_whole_and_leaves_nothing_beside_it()
    {
        var report = Write("out/report.json", "old report\n");

        var run = await ReportToAsync(report);

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.StartsWith("{", await File.ReadAllTextAsync(report), StringComparison.Ordinal);
        Assert.Equal(["report.json"], Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(report)!).Select(Path.GetFileName));
    }
}

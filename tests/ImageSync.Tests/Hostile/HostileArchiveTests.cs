using System.IO.Compression;
using ImageSync.Registry.Http;
using ImageSync.Tests.Support;
using ImageSync.Upstream;

namespace ImageSync.Tests.Hostile;

/// <summary>
/// The upstream tarball is hostile input: hand-built archives served by the GitHub stand-in where GitHub's codeload
/// would answer, against AutoUpdate as users run it. Metadata bombs, archives that unpack without end, entry names
/// outside the archive's one top folder, and a download that must keep the run's --timeout and --retries.
/// </summary>
public sealed class HostileArchiveTests : IAsyncLifetime, IDisposable
{
    private const string Top = "istio-istio-abc1234/";
    private const string Legit = "kind: Pod\nspec:\n  containers:\n  - image: docker.io/istio/examples-helloworld-v1:1.0\n";
    private readonly DownstreamRepo _repo = new();
    private GitHubApiServer _github = null!;

    public async Task InitializeAsync()
    {
        _github = await GitHubApiServer.StartAsync("istio", "istio", new Dictionary<string, string> { ["master"] = TestPaths.IstioMaster });
        _repo.Write("image-sync-config.json", """
            {
              "images": [
                {
                  "name": "examples-helloworld-v1",
                  "upstream": "docker.io/istio/examples-helloworld-v1",
                  "target": "quay.io/sail-dev/examples-helloworld-v1",
                  "tags": ["1.0"]
                }
              ],
              "check_new_tags": false
            }

            """);
        _repo.Write("samples/helloworld/helloworld.yaml", Legit.Replace("docker.io/istio", "quay.io/sail-dev", StringComparison.Ordinal));
        _repo.CommitAll("downstream");
    }

    public async Task DisposeAsync() => await _github.DisposeAsync();

    public void Dispose() => _repo.Dispose();

    private Task<CliRun> AutoUpdateAsync(params string[] extra) => CliRunner.RunAsync(
        ["AutoUpdate", "--config", _repo.ConfigPath, "--samples", _repo.SamplesPath, "--github-api-url", _github.Url.ToString(), "--upstream-ref", "master", .. extra],
        new Dictionary<string, string> { ["HOME"] = _repo.Root });

    private void Serve(byte[] gzip) => _github.ArchiveBody = (response, ct) => response.Body.WriteAsync(gzip, ct).AsTask();

    private static byte[] WithLegitSample(params byte[][] hostile) =>
        HostileTar.Gzip([HostileTar.Folder(Top), HostileTar.File(Top + "samples/helloworld/helloworld.yaml", Legit), .. hostile, HostileTar.End()]);

    /// <summary>A metadata record of <paramref name="bytes"/> bytes: gzip makes 16 MiB of one letter about 16 KiB.</summary>
    private static byte[] MetadataBomb(char type, int bytes)
    {
        var record = new byte[bytes];
        Array.Fill(record, (byte)'a');
        if (type == 'x')
        {
            var prefix = System.Text.Encoding.ASCII.GetBytes($"{bytes} path=");
            prefix.CopyTo(record, 0);
            record[^1] = (byte)'\n';
        }
        return [.. HostileTar.Header(type == 'x' ? "PaxHeaders/bomb" : "././@LongLink", type, bytes), .. record, .. HostileTar.Padding(bytes), .. HostileTar.File(Top + "samples/bomb.yaml", Legit)];
    }

    [Theory]
    [InlineData('x', "PAX header")]
    [InlineData('L', "long name")]
    public async Task A_metadata_record_larger_than_the_bound_is_refused_before_it_is_read(char type, string what)
    {
        var archive = WithLegitSample(MetadataBomb(type, 16 * 1024 * 1024));
        Serve(archive);

        var run = await AutoUpdateAsync();

        Assert.True(archive.Length < 1024 * 1024, $"{archive.Length} bytes");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"error: istio/istio@master: the archive from GitHub holds a {what} record of {16 * 1024 * 1024} bytes, more than the {ArchiveLimits.Default.MaxHeaderRecordBytes / 1024} KiB imagesync reads of one; refused", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_entry_larger_than_github_stores_is_refused_at_its_header()
    {
        // The header claims 200 MiB; nothing of it follows, so only a reader that looks at the size first says why.
        Serve(HostileTar.Gzip(HostileTar.Folder(Top), HostileTar.Header(Top + "big.bin", '0', 200L * 1024 * 1024)));

        var run = await AutoUpdateAsync();

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"the archive from GitHub holds an entry of {200L * 1024 * 1024} bytes, more than the 100 MiB imagesync reads of one", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_archive_that_unpacks_past_the_bound_is_refused_though_every_entry_is_passed_over()
    {
        // Entries of 100 MiB of zeros that no path filter keeps, sent as gzip members of 1 MiB each (about 1 KiB on
        // the wire): a reader that only counts what it keeps reads this without end.
        var zeros = HostileTar.Gzip(new byte[1024 * 1024]);
        const long entry = 100L * 1024 * 1024;
        var sent = 0L;
        _github.ArchiveBody = async (response, ct) =>
        {
            await response.Body.WriteAsync(HostileTar.Gzip(HostileTar.Folder(Top)), ct);
            for (var i = 0; i < 12; i++)
            {
                await response.Body.WriteAsync(HostileTar.Gzip(HostileTar.Header($"{Top}filler-{i}.bin", '0', entry)), ct);
                for (var mib = 0; mib < 100; mib++)
                {
                    await response.Body.WriteAsync(zeros, ct);
                    Interlocked.Add(ref sent, zeros.Length);
                }
            }
            await response.Body.WriteAsync(HostileTar.Gzip(HostileTar.End()), ct);
        };

        var run = await AutoUpdateAsync();

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"the archive from GitHub unpacks to more than the {ArchiveLimits.Default.MaxUnpackedBytes / 1024 / 1024} MiB imagesync reads of one; refused", run.Error, StringComparison.Ordinal);
        Assert.True(Interlocked.Read(ref sent) < 16 * 1024 * 1024, $"{sent} bytes on the wire");
    }

    [Fact]
    public async Task An_archive_whose_bytes_keep_coming_ends_at_the_time_bound()
    {
        // One block every 50 ms: the idle timer (--timeout 1) never fires while bytes flow.
        _github.ArchiveBody = async (response, ct) =>
        {
            await using var gzip = new GZipStream(response.Body, CompressionLevel.Fastest);
            await gzip.WriteAsync(HostileTar.Folder(Top), ct);
            await gzip.WriteAsync(HostileTar.Header(Top + "slow.bin", '0', 90L * 1024 * 1024), ct);
            while (!ct.IsCancellationRequested)
            {
                await gzip.WriteAsync(new byte[HostileTar.Block], ct);
                await gzip.FlushAsync(ct);
                await Task.Delay(50, ct);
            }
        };
        var settings = new TransportSettings { Timeouts = Timeouts.FromSeconds(1), Retry = RetryPolicy.Default with { MaxRetries = 0 } };
        using var http = GitHubTransport.CreateArchiveClient(settings);
        var archive = new GitHubArchive(http, GitHubSampleReader.ApiBaseFor(_github.Url), null, settings.Retry, ArchiveLimits.Default with { MaxTime = TimeSpan.FromSeconds(3) });
        using var safety = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var e = await Assert.ThrowsAsync<ImageSync.Errors.ImageSyncException>(() =>
            archive.ReadAsync("istio/istio", "master", () => 0, (_, _, _) => Task.CompletedTask, safety.Token));

        Assert.Equal("istio/istio@master: reading the archive from GitHub took longer than 3 s; stopped", e.Message);
    }

    [Theory]
    [InlineData(Top + "samples/../samples/evil.yaml", "it has a \".\" or \"..\" component")]
    [InlineData(Top + "samples/./evil.yaml", "it has a \".\" or \"..\" component")]
    [InlineData("/samples/evil.yaml", "it is absolute")]
    [InlineData("other-repo-0000000/samples/evil.yaml", "it lies outside the archive's top folder istio-istio-abc1234/")]
    [InlineData("pax:" + Top + "samples/../../evil.yaml", "it has a \".\" or \"..\" component")]
    public async Task An_entry_named_outside_the_one_top_folder_refuses_the_archive_and_pins_nothing(string name, string problem)
    {
        var evil = Legit.Replace(":1.0", ":6.6.6", StringComparison.Ordinal);
        var pax = name.StartsWith("pax:", StringComparison.Ordinal);
        var entryName = pax ? name[4..] : name;
        Serve(WithLegitSample(pax ? [.. HostileTar.Pax("path", entryName), .. HostileTar.File(Top + "samples/innocent.yaml", evil)] : HostileTar.File(entryName, evil)));
        var config = File.ReadAllBytes(_repo.ConfigPath);

        var run = await AutoUpdateAsync();

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"error: istio/istio@master: the archive from GitHub holds an entry named \"{entryName}\" ({problem}); GitHub's archives hold only plain paths under one top folder, so it is refused", run.Error, StringComparison.Ordinal);
        Assert.Equal(config, File.ReadAllBytes(_repo.ConfigPath));
        Assert.DoesNotContain("6.6.6", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_plain_archive_is_still_read()
    {
        Serve(WithLegitSample());

        var run = await AutoUpdateAsync();

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Contains("1 upstream files read.", run.Out, StringComparison.Ordinal);
        Assert.Contains("Nothing to update", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2, 0)]
    [InlineData(1, 1)]
    public async Task The_archive_request_is_retried_as_retries_says(int retries, int expectedExit)
    {
        _github.Unavailable["/tarball/"] = 2;

        var run = await AutoUpdateAsync("--retries", retries.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.True(run.ExitCode == expectedExit, run.Out + run.Error);
        Assert.Equal(retries + 1, _github.Calls.Count(c => c.Contains("/tarball/", StringComparison.Ordinal)));
        if (expectedExit == 1)
        {
            Assert.Contains("error: istio/istio@master: GitHub answered 503", run.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_archive_body_that_stalls_fails_after_timeout_and_is_read_again_as_retries_says()
    {
        _github.ArchiveBody = async (response, ct) =>
        {
            await response.Body.WriteAsync(HostileTar.Gzip(HostileTar.Folder(Top)).AsMemory(0, 20), ct);
            await response.Body.FlushAsync(ct);
            await Task.Delay(TimeSpan.FromMinutes(5), ct);
        };

        var run = await AutoUpdateAsync("--timeout", "1", "--retries", "1");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error: istio/istio@master: the archive from GitHub could not be read (", run.Error, StringComparison.Ordinal);
        Assert.Contains("no data for 1 s", run.Error, StringComparison.Ordinal);
        Assert.Equal(2, _github.Calls.Count(c => c.Contains("/codeload/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_pull_request_call_that_meets_an_outage_is_retried_as_retries_says()
    {
        _github.Unavailable["/pulls"] = 1;
        var pulls = new ImageSync.Git.PullRequests(GitHubTransport.CreateClient(_github.Url, "ghp_x", new TransportSettings { Retry = RetryPolicy.Default with { MaxRetries = 1, BaseDelay = TimeSpan.FromMilliseconds(10) } }));

        var created = await pulls.OpenOrUpdateAsync("istio-ecosystem/sail-operator", "istio-ecosystem", "image-sync/update-tags", "main", "Update", "body", default);

        Assert.True(created.Created);
        Assert.Equal(2, _github.Calls.Count(c => c.StartsWith("GET /api/v3/repos/istio-ecosystem/sail-operator/pulls", StringComparison.Ordinal)));
    }
}

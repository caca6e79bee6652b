using ImageSync.Tests.Support;

namespace ImageSync.Tests.Integration.Copy;

/// <summary>A target served over https with a certificate nobody trusts: refused, unless the config says insecure.</summary>
public sealed class TlsIntegrationTests : IAsyncLifetime
{
    private SyncWorld _world = null!;

    public async Task InitializeAsync() => _world = await SyncWorld.StartAsync(targetTls: true);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private string Config(bool insecure) => _world.File($"tls-{insecure}.json", $$"""
        { "images": [ { "name": "tls", "upstream": "upstream.test/istio/tls", "target": "target.test/mirror/tls", "tags": ["1.0"] } ],
          "registries": { "target.test": { "url": "{{_world.Target.Url}}", "insecure": {{(insecure ? "true" : "false")}} } } }
        """);

    [Fact]
    public async Task An_untrusted_certificate_is_an_error_and_insecure_true_lets_the_copy_through()
    {
        var image = TestImage.Create("tls");
        await image.PushAsync(_world.Upstream, "istio/tls", "1.0");
        string[] upstream = ["--registry", $"upstream.test={_world.Upstream.Url}"];
        var env = new Dictionary<string, string> { ["HOME"] = Path.GetTempPath() };

        var refused = await CliRunner.RunAsync(["SyncAll", "--config", Config(false), .. upstream], env);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("TLS failed", refused.Out, StringComparison.Ordinal);
        Assert.Empty(await _world.Target.RequestsAsync());

        var run = await CliRunner.RunAsync(["SyncAll", "--config", Config(true), .. upstream], env);

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Contains($"warning: TLS certificates of {_world.Target.Host} are not verified (insecure: true)", run.Error, StringComparison.Ordinal);
        // Go's TLS server offers HTTP/2 and the client takes it (skopeo, below, speaks HTTP/1.1).
        Assert.Equal(["HTTP/2.0"], await _world.Target.ProtocolsAsync());
        Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/tls:1.0"));
    }
}

using ImageSync.Tests.Support;

namespace ImageSync.Tests.Integration.Copy;

[CollectionDefinition(nameof(MeasuresAllocations), DisableParallelization = true)]
public sealed class MeasuresAllocations;

/// <summary>
/// A 50 MB layer streams through: what the process allocates while copying it stays far below the layer's size.
/// Run alone so that no other test's allocations are counted.
/// </summary>
[Collection(nameof(MeasuresAllocations))]
public sealed class LargeLayerTests : IAsyncLifetime
{
    private const int LayerSize = 50 * 1024 * 1024;
    private SyncWorld _world = null!;

    public async Task InitializeAsync() => _world = await SyncWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task A_50_MB_layer_is_streamed_not_buffered_and_verified_by_skopeo()
    {
        var image = TestImage.Create("large", ["linux/amd64"], [LayerSize]);
        await image.PushAsync(_world.Upstream, "istio/large", "1.0");
        var config = _world.Config(("large", "istio/large", "mirror/large", ["1.0"], ""));
        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var run = await _world.RunAsync(config, "SyncAll");

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/large:1.0"));
        Assert.True(allocated < LayerSize / 4, $"copying a {LayerSize / 1024 / 1024} MiB layer allocated {allocated / 1024 / 1024} MiB");
    }
}

using ImageSync.AutoUpdate;
using ImageSync.Tests.Support;

namespace ImageSync.Tests.AutoUpdate;

/// <summary>AutoSync's rule: a proposed upstream move is not followed by the mirror until its pull request is merged.</summary>
public sealed class PendingMovesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("imagesync-moves-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_moved_image_is_copied_from_its_old_upstream_and_said_so_others_are_left_as_written()
    {
        var before = await ConfigText.LoadAsync(_dir, ("tcp", "docker.io/istio/tcp-echo-server", ["1.2"]), ("pilot", "docker.io/istio/pilot", ["1.0"]));
        var after = await ConfigText.LoadAsync(_dir, ("tcp", "registry.istio.io/release/tcp-echo-server", ["1.3"]), ("pilot", "docker.io/istio/pilot", ["1.1"]));

        var pending = PendingMoves.Apply(before, after);

        var tcp = pending.Config.FindImage("tcp")!;
        Assert.Equal("docker.io/istio/tcp-echo-server", tcp.Upstream.ToString());
        Assert.Equal(["1.3"], tcp.Tags.Select(t => t.Target));
        Assert.Equal(after.FindImage("pilot"), pending.Config.FindImage("pilot"));
        Assert.Equal("tcp: the move to registry.istio.io/release/tcp-echo-server waits for its pull request; copied from docker.io/istio/tcp-echo-server until then", Assert.Single(pending.Notes));
    }

    [Fact]
    public async Task An_image_new_in_the_update_is_taken_as_written()
    {
        var before = await ConfigText.LoadAsync(_dir, ("pilot", "docker.io/istio/pilot", ["1.0"]));
        var after = await ConfigText.LoadAsync(_dir, ("pilot", "docker.io/istio/pilot", ["1.0"]), ("new", "ghcr.io/istio/new", ["1.0"]));

        var pending = PendingMoves.Apply(before, after);

        Assert.Equal("ghcr.io/istio/new", pending.Config.FindImage("new")!.Upstream.ToString());
        Assert.Empty(pending.Notes);
    }
}

using ImageSync.Errors;
using ImageSync.AutoUpdate;

namespace ImageSync.Tests.AutoUpdate;

public sealed class WorkTreeTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("imagesync-worktree-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Write(string relative)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "x");
        return path;
    }

    [Fact]
    public void Regular_files_are_listed_in_path_order_and_links_passed_over()
    {
        var b = Write("samples/b.yaml");
        var a = Write("samples/a/a.yaml");
        var outside = Write("elsewhere/secret.yaml");
        File.CreateSymbolicLink(Path.Combine(_root, "samples/link.yaml"), outside);
        Directory.CreateSymbolicLink(Path.Combine(_root, "samples/linked-folder"), Path.GetDirectoryName(outside)!);

        Assert.Equal([a, b], WorkTree.RegularFiles(Path.Combine(_root, "samples")));
    }

    [Fact]
    public void A_path_reached_through_a_link_is_not_inside_the_folder_the_link_sits_in()
    {
        var outside = Write("elsewhere/x.yaml");
        Directory.CreateDirectory(Path.Combine(_root, "samples"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "samples/out"), Path.GetDirectoryName(outside)!);

        Assert.False(WorkTree.IsInside(Path.Combine(_root, "samples"), Path.Combine(_root, "samples/out/x.yaml")));
        Assert.True(WorkTree.IsInside(_root, Path.Combine(_root, "samples/out/x.yaml")));
    }

    [Fact]
    public void The_folder_itself_and_what_lies_below_are_inside()
    {
        var file = Write("samples/a.yaml");

        Assert.True(WorkTree.IsInside(Path.Combine(_root, "samples"), Path.Combine(_root, "samples")));
        Assert.True(WorkTree.IsInside(Path.Combine(_root, "samples"), file));
        Assert.False(WorkTree.IsInside(Path.Combine(_root, "samples"), Path.Combine(_root, "samples-2/a.yaml")));
    }

    [Fact]
    public void RealPath_resolves_every_link_on_the_way()
    {
        var target = Write("real/x.yaml");
        Directory.CreateSymbolicLink(Path.Combine(_root, "alias"), Path.Combine(_root, "real"));

        Assert.Equal(WorkTree.RealPath(target), WorkTree.RealPath(Path.Combine(_root, "alias/x.yaml")));
    }

    [Fact]
    public void Writing_through_a_link_is_refused()
    {
        var target = Write("samples/real.yaml");
        var link = Path.Combine(_root, "samples/link.yaml");
        File.CreateSymbolicLink(link, target);

        var e = Assert.Throws<ImageSyncException>(() => WorkTree.EnsureWritable(Path.Combine(_root, "samples"), link));
        Assert.EndsWith("is a symbolic link; AutoUpdate writes only regular files", e.Message);
    }

    [Fact]
    public void Writing_outside_the_folder_is_refused()
    {
        var outside = Write("other/a.yaml");

        var e = Assert.Throws<ImageSyncException>(() => WorkTree.EnsureWritable(Path.Combine(_root, "samples"), outside));
        Assert.EndsWith("AutoUpdate writes nothing there", e.Message);
    }

    [Fact]
    public void A_regular_file_inside_may_be_written()
    {
        var file = Write("samples/a.yaml");

        WorkTree.EnsureWritable(Path.Combine(_root, "samples"), file);
    }
}

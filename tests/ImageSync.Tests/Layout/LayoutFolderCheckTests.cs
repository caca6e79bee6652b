using System.Text;
using ImageSync.Config;

namespace ImageSync.Tests.Layout;

/// <summary>Validate's word on ocidir:// folders, at the field's line, before any run touches them.</summary>
public sealed class LayoutFolderCheckTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("imagesync-layout-check-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ConfigLoadResult Load(string upstream, string target) => ConfigLoader.Load(ConfigSource.Json("c.json"), Encoding.UTF8.GetBytes(
        $"{{\n  \"images\": [\n    {{ \"name\": \"app\",\n      \"upstream\": \"{upstream}\",\n      \"target\": \"{target}\",\n      \"tags\": [\"1.0\"] }}\n  ]\n}}\n"));

    private string Layout(string name, string version = "1.0.0", bool index = true)
    {
        var path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.Combine(path, "blobs", "sha256"));
        File.WriteAllText(Path.Combine(path, "oci-layout"), $"{{\"imageLayoutVersion\":\"{version}\"}}");
        if (index)
        {
            File.WriteAllText(Path.Combine(path, "index.json"), "{\"schemaVersion\":2,\"manifests\":[]}");
        }
        return path;
    }

    [Fact]
    public void A_layout_upstream_and_a_target_folder_not_made_yet_are_fine()
    {
        var result = Load($"ocidir://{Layout("up")}", $"ocidir://{Path.Combine(_dir, "new", "app")}");

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.True(result.Config!.Images[0].Target.IsLayout);
    }

    [Fact]
    public void Folders_that_are_no_layout_are_errors_at_their_field()
    {
        var other = Directory.CreateDirectory(Path.Combine(_dir, "home")).FullName;
        File.WriteAllText(Path.Combine(other, "notes.txt"), "mine");

        Assert.Equal($"c.json:4:19: images[0].upstream: ocidir://{_dir}/missing: no such folder ({_dir}/missing)",
            Assert.Single(Load($"ocidir://{_dir}/missing", "registry.example/app").Errors).ToString());
        Assert.Equal($"c.json:5:17: images[0].target: ocidir://{other} holds files and no oci-layout; imagesync writes a layout only into an empty folder or an OCI layout",
            Assert.Single(Load("registry.example/app", $"ocidir://{other}").Errors).ToString());
        Assert.Contains("imageLayoutVersion 2.0.0; imagesync reads and writes 1.0.0",
            Assert.Single(Load($"ocidir://{Layout("v2", "2.0.0")}", "registry.example/app").Errors).Message, StringComparison.Ordinal);
        Assert.Contains("has no index.json",
            Assert.Single(Load($"ocidir://{Layout("noindex", index: false)}", "registry.example/app").Errors).Message, StringComparison.Ordinal);
        Assert.Contains("is a file, not a folder",
            Assert.Single(Load("registry.example/app", $"ocidir://{Path.Combine(other, "notes.txt")}").Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_path_outside_the_grammar_is_an_error_at_its_field()
    {
        Assert.Contains("letters, digits, / _ - . and space only", Assert.Single(Load("ocidir://a$b", "registry.example/app").Errors).ToString(), StringComparison.Ordinal);
    }
}

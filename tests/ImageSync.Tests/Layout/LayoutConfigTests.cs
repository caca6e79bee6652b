using System.Text;
using ImageSync.Config;

namespace ImageSync.Tests.Layout;

/// <summary>ocidir:// in kyma's external-images.yaml: as a source, and as the target prefix.</summary>
public class LayoutConfigTests
{
    private static ConfigLoadResult Load(string yaml, string? prefix) =>
        ConfigLoader.Load(ConfigSource.ExternalImages("e.yaml", prefix), Encoding.UTF8.GetBytes(yaml));

    [Fact]
    public void A_prefix_that_is_a_layout_folder_gives_each_image_a_layout_of_its_own()
    {
        var result = Load("images:\n- source: \"busybox:1.31.1\"\n- source: \"ghcr.io/org/tool:2.0\"\n", "ocidir:///mnt/usb");

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Equal(["ocidir:///mnt/usb/library/busybox", "ocidir:///mnt/usb/ghcr.io/org/tool"], result.Config!.Images.Select(i => i.Target.Name));
        Assert.NotEqual(result.Config.Images[0].Target.Registry, result.Config.Images[1].Target.Registry);
    }

    [Fact]
    public void A_layout_source_is_copied_under_the_prefix_by_its_path()
    {
        // Lowercase: the path becomes a repository name under the prefix.
        var dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"imagesync-layout-source-{Guid.NewGuid():N}")).FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "istio", "pilot"));
            File.WriteAllText(Path.Combine(dir, "istio", "pilot", "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
            File.WriteAllText(Path.Combine(dir, "istio", "pilot", "index.json"), "{\"schemaVersion\":2,\"manifests\":[]}");

            var result = Load($"images:\n- source: \"ocidir://{dir}/istio/pilot:1.24.0\"\n", "registry.internal/mirror");

            Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
            var image = Assert.Single(result.Config!.Images);
            Assert.Equal($"ocidir://{dir}/istio/pilot", image.Upstream.Name);
            Assert.Equal($"registry.internal/mirror{dir}/istio/pilot", image.Target.Name);
            Assert.Equal("1.24.0", Assert.Single(image.Tags).Source);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

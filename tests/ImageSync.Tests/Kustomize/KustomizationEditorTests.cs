using System.Text;
using ImageSync.Config;
using ImageSync.Kustomize;

namespace ImageSync.Tests.Kustomize;

/// <summary>The in-place rename of images[].name: only the name's bytes change, whatever the quoting and line endings.</summary>
public sealed class KustomizationEditorTests
{
    private static byte[] Rename(string text, string oldName, string newName)
    {
        // As File.ReadAllText gives it to the reader: without a byte-order mark, which the editor still finds in the bytes.
        var kustomization = KustomizationReader.Read("k.yaml", "/x", text.TrimStart('\uFEFF'));
        var entry = kustomization.Images.Single(i => i.Name == oldName);
        return KustomizationEditor.Rename(Encoding.UTF8.GetBytes(text), entry.NamePosition, oldName, newName);
    }

    [Theory]
    [InlineData("images:\n  - name: docker.io/istio/x\n    newName: quay.io/m/x", "images:\n  - name: registry.istio.io/release/x\n    newName: quay.io/m/x")]
    [InlineData("images:\r\n- name: \"docker.io/istio/x\" # moved\r\n  newName: quay.io/m/x\r\n", "images:\r\n- name: \"registry.istio.io/release/x\" # moved\r\n  newName: quay.io/m/x\r\n")]
    [InlineData("\uFEFFimages:\n- newName: quay.io/m/x\n  name: 'docker.io/istio/x'\n", "\uFEFFimages:\n- newName: quay.io/m/x\n  name: 'registry.istio.io/release/x'\n")]
    public void Only_the_name_changes(string before, string after)
    {
        Assert.Equal(after, Encoding.UTF8.GetString(Rename(before, "docker.io/istio/x", "registry.istio.io/release/x")));
    }

    [Fact]
    public void A_file_that_no_longer_holds_the_name_there_is_refused()
    {
        var bytes = Encoding.UTF8.GetBytes("images:\n  - name: docker.io/istio/xy\n");

        var e = Assert.Throws<ImageSync.Errors.ImageSyncException>(() => KustomizationEditor.Rename(bytes, new SourcePosition("k.yaml", 2, 11), "docker.io/istio/x", "r/x"));

        Assert.StartsWith("k.yaml:2:11: expected the image name docker.io/istio/x here", e.Message, StringComparison.Ordinal);
    }
}

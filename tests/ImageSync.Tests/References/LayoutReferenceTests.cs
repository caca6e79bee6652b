using ImageSync.References;

namespace ImageSync.Tests.References;

public class LayoutReferenceTests
{
    [Theory]
    [InlineData("ocidir:///mnt/usb/istio/pilot", "/mnt/usb/istio/pilot", null)]
    [InlineData("ocidir://mirror/app:1.24.0", "mirror/app", "1.24.0")]
    [InlineData("ocidir://./my disk/app_1-x", "./my disk/app_1-x", null)]
    public void Reads_regclients_spelling_with_the_folder_as_the_repository(string text, string path, string? tag)
    {
        Assert.True(Reference.TryParseLocation(text, out var reference, out var error), error);

        Assert.Equal(path, reference!.Layout);
        Assert.Equal(tag, reference.Tag);
        Assert.Equal("ocidir://" + path, reference.Name);
        Assert.Equal(text, reference.ToString());
        Assert.EndsWith(LayoutReference.RegistrySuffix, reference.Registry, StringComparison.Ordinal);
        Assert.Equal(reference, Reference.ParseLocation(reference.ToString()));
    }

    [Fact]
    public void Two_spellings_of_one_folder_are_one_layout_and_two_folders_two()
    {
        Assert.Equal(Reference.ParseLocation("ocidir://a/../m").Registry, Reference.ParseLocation($"ocidir://{Path.GetFullPath("m")}").Registry);
        Assert.NotEqual(Reference.ParseLocation("ocidir://m").Registry, Reference.ParseLocation("ocidir://n").Registry);
    }

    [Theory]
    [InlineData("ocidir://", "empty")]
    [InlineData("ocidir://a:b:c", "invalid tag")]
    [InlineData("ocidir://a:.x", "invalid tag")]
    [InlineData("ocidir://a@sha256:12", "not a valid sha256 digest")]
    [InlineData("ocidir://a\nb", "letters, digits")]
    [InlineData("ocidir://a$(id)", "letters, digits")]
    [InlineData("ocidir:// a", "starts or ends with a space")]
    public void A_path_outside_regclients_grammar_is_refused_with_why(string text, string expected)
    {
        Assert.False(Reference.TryParseLocation(text, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_registry_reference_never_reads_as_a_layout()
    {
        // Names from upstream's samples are parsed with TryParse: the local disk is not theirs to name.
        Assert.False(Reference.TryParse("ocidir:///etc", out _, out _));
        Assert.False(Reference.TryParse("0123456789abcdef.ocidir.invalid/layout:1.0", out _, out var error));
        Assert.Contains("reserved for OCI layouts", error, StringComparison.Ordinal);
    }
}

using ImageSync.References;

namespace ImageSync.Tests.References;

public sealed class ArtifactTagsTests
{
    private static readonly Digest Subject = Digest.Parse("sha256:" + new string('a', 64));

    [Fact]
    public void Cosign_and_the_referrers_fallback_name_their_tags_after_the_subject() =>
        Assert.Equal(
            [$"sha256-{new string('a', 64)}.sig", $"sha256-{new string('a', 64)}.att", $"sha256-{new string('a', 64)}.sbom", $"sha256-{new string('a', 64)}"],
            ArtifactTags.Suffixes.Select(s => ArtifactTags.For(Subject, s)));

    [Theory]
    [InlineData("sha256-abc.sig", true)]
    [InlineData("sha256-abc", true)]
    [InlineData("sha512-abc.att", true)]
    [InlineData("1.29.0", false)]
    [InlineData("latest", false)]
    [InlineData("v-sha256-x", false)]
    public void Artifact_tags_are_never_taken_for_releases(string tag, bool artifact) =>
        Assert.Equal(artifact, ArtifactTags.IsArtifactTag(tag));
}

using System.Text;
using ImageSync.Registry;

namespace ImageSync.Tests.Registry;

/// <summary>The referrers list read, filtered and merged as the OCI distribution-spec 1.1 says (no request).</summary>
public sealed class ReferrersIndexTests
{
    private const string Bundle = "application/vnd.dev.sigstore.bundle.v0.3+json";
    private const string Spdx = "application/spdx+json";

    private static string Entry(char hex, string? type, string annotations = "") =>
        $"{{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:{new string(hex, 64)}\",\"size\":{(int)hex}{(type is null ? "" : $",\"artifactType\":\"{type}\"")}{annotations}}}";

    private static byte[] Index(params string[] entries) =>
        Encoding.UTF8.GetBytes($"{{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{string.Join(",", entries)}]}}");

    [Fact]
    public void A_target_without_a_fallback_tag_gets_upstream_s_own_index_when_it_lists_the_same()
    {
        var upstream = Index(Entry('a', Bundle), Entry('b', Spdx));
        var added = ReferrersIndex.Parse(upstream);

        Assert.Same(upstream, ReferrersIndex.Merge(null, added, upstream));
    }

    [Fact]
    public void An_existing_list_keeps_its_entries_as_they_are_and_gains_only_what_it_lacks()
    {
        var existing = Index(Entry('a', Bundle, ",\"annotations\":{\"org.example\":\"kept\"}"));
        var added = ReferrersIndex.Parse(Index(Entry('a', Bundle), Entry('c', Spdx, ",\"annotations\":{\"created\":\"now\"}")));

        var merged = ReferrersIndex.Merge(existing, added, upstream: Index(Entry('c', Spdx)));

        var entries = ReferrersIndex.Parse(merged!);
        Assert.Equal(["sha256:" + new string('a', 64), "sha256:" + new string('c', 64)], entries.Select(e => e.Manifest.Digest.ToString()));
        Assert.Contains("\"org.example\":\"kept\"", entries[0].Json, StringComparison.Ordinal);
        Assert.Contains("\"created\":\"now\"", entries[1].Json, StringComparison.Ordinal);
        Assert.Equal(MediaTypes.OciIndex, ManifestDocument.Parse(merged!, null).MediaType);
    }

    [Fact]
    public void Nothing_new_changes_nothing()
    {
        var existing = Index(Entry('a', Bundle));

        Assert.Null(ReferrersIndex.Merge(existing, ReferrersIndex.Parse(existing)));
        Assert.Null(ReferrersIndex.Merge(null, []));
    }

    [Fact]
    public void The_filter_keeps_only_the_artifact_types_asked_for_and_none_without_a_type()
    {
        var entries = ReferrersIndex.Parse(Index(Entry('a', Bundle), Entry('b', Spdx), Entry('c', null)));

        Assert.Equal(3, ReferrersIndex.Filter(entries, null).Count);
        Assert.Equal([Bundle], ReferrersIndex.Filter(entries, [Bundle]).Select(e => e.ArtifactType));
        Assert.Equal([Bundle, Spdx], ReferrersIndex.Filter(entries, [Spdx, Bundle]).Select(e => e.ArtifactType));
        // Media types are compared exactly, as the API's ?artifactType= is.
        Assert.Empty(ReferrersIndex.Filter(entries, ["application/vnd.dev.sigstore.bundle"]));
    }

    [Fact]
    public void Entries_without_a_valid_digest_or_size_are_not_listed_and_duplicates_count_once()
    {
        var entries = ReferrersIndex.Parse(Index(Entry('a', Bundle), Entry('a', Bundle), "{\"digest\":\"sha256:nothex\",\"size\":1}", "{\"digest\":\"sha256:" + new string('d', 64) + "\",\"size\":-1}", "7"));

        Assert.Single(entries);
    }

    [Fact]
    public void A_pushed_referrer_is_described_by_its_artifact_type_else_its_config_media_type_with_its_annotations()
    {
        var typed = ManifestDocument.Parse(Encoding.UTF8.GetBytes(
            $"{{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"artifactType\":\"{Bundle}\",\"config\":{{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"sha256:{new string('e', 64)}\",\"size\":2}},\"layers\":[],\"annotations\":{{\"a\":\"b\"}},\"subject\":{{\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"digest\":\"sha256:{new string('f', 64)}\",\"size\":9}}}}"), null);
        var untyped = ManifestDocument.Parse(Encoding.UTF8.GetBytes(
            $"{{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{{\"mediaType\":\"{Spdx}\",\"digest\":\"sha256:{new string('e', 64)}\",\"size\":2}},\"layers\":[]}}"), null);

        var entry = ReferrersIndex.Describe(typed);

        Assert.Equal(Bundle, entry.ArtifactType);
        Assert.Equal(typed.Digest, entry.Manifest.Digest);
        Assert.Contains("\"annotations\":{\"a\":\"b\"}", entry.Json, StringComparison.Ordinal);
        Assert.Equal("sha256:" + new string('f', 64), ReferrersIndex.Subject(typed).ToString());
        Assert.Equal(Spdx, ReferrersIndex.Describe(untyped).ArtifactType);
        Assert.Null(ReferrersIndex.Subject(untyped));
    }

    [Fact]
    public void A_list_that_is_no_json_object_is_refused()
    {
        Assert.Throws<InvalidDataException>(() => ReferrersIndex.Parse("[1]"u8.ToArray()));
        Assert.Throws<InvalidDataException>(() => ReferrersIndex.Parse("{"u8.ToArray()));
    }
}

using ImageSync.Config;
using ImageSync.References;

namespace ImageSync.Tests.Config;

/// <summary>The backup tag template (issue 20 §3): its placeholders, what it refuses and where, and its names.</summary>
public class BackupTemplateTests
{
    private static readonly Digest Old = Digest.Parse("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    private static readonly DateTimeOffset Started = new(2026, 12, 1, 23, 4, 5, TimeSpan.FromHours(2));

    private static BackupTemplate Parse(string text)
    {
        Assert.True(BackupTemplate.TryParse(text, out var template, out var error, out _), error);
        return template!;
    }

    [Theory]
    [InlineData("{tag}-{date}", "1.0-20261201")]
    [InlineData("{tag}-{date}{time}", "1.0-20261201210405")]
    [InlineData("{tag}-{digest12}", "1.0-0123456789ab")]
    [InlineData("backup_{tag}.{digest}", "backup_1.0.0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("{date}-{tag}", "20261201-1.0")]
    public void Placeholders_take_the_tag_the_run_s_utc_start_and_the_old_digest(string text, string expected) =>
        Assert.Equal(expected, Parse(text).Render("1.0", Old, Started));

    [Theory]
    [InlineData("", 0, "must contain {tag}")]
    [InlineData("{tag}", 0, "must contain {date}, {time}, {digest12} or {digest}: an existing backup tag is never overwritten")]
    [InlineData("{tag}-old", 0, "must contain {date}, {time}, {digest12} or {digest}")]
    [InlineData("{date}", 0, "must contain {tag}: without it every tag of the image would be kept under the same names")]
    [InlineData("{tag}-{dat}", 6, "unknown placeholder \"{dat}\" (did you mean \"date\"?); known: {tag}, {date}, {time}, {digest12}, {digest}")]
    [InlineData("{tag}-{Date}", 6, "unknown placeholder \"{Date}\"")]
    [InlineData("{tag}-{date", 6, "a \"{\" without its \"}\"")]
    [InlineData("{tag}/{date}", 5, "\"/\" cannot be in a tag")]
    [InlineData("{tag}:{date}", 5, "\":\" cannot be in a tag")]
    [InlineData("{tag} {date}", 5, "a space cannot be in a tag")]
    [InlineData("{tag}\u00e9{date}", 5, "U+00E9 cannot be in a tag")]
    [InlineData("{tag}-{date}}", 12, "\"}\" cannot be in a tag")]
    [InlineData("-{tag}-{date}", 0, "a tag cannot start with \".\" or \"-\"")]
    [InlineData(".{tag}-{date}", 0, "a tag cannot start with \".\" or \"-\"")]
    public void A_template_that_cannot_name_backups_is_refused_at_the_character_it_is_about(string text, int offset, string expected)
    {
        Assert.False(BackupTemplate.TryParse(text, out var template, out var error, out var at));
        Assert.Null(template);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
        Assert.Equal(offset, at);
    }

    [Fact]
    public void A_backup_longer_than_a_tag_may_be_is_refused_for_the_tag_it_would_be_for()
    {
        var template = Parse("{tag}-{digest}");
        var tag = new string('a', 64);

        Assert.Null(template.Refusal(new string('a', 63), []));
        Assert.Equal($"for tag \"{tag}\" it gives \"{tag}-{Digest.Sha256([]).Hex}\" (129 characters), which is not a tag (at most 128)", template.Refusal(tag, []));
    }

    [Fact]
    public void A_backup_that_would_be_taken_for_a_cosign_tag_is_refused() =>
        Assert.StartsWith("for tag \"1.0\" it gives \"sha256-1.0-19700101\", which would be taken for a cosign or referrers tag", Parse("sha256-{tag}-{date}").Refusal("1.0", []));

    [Theory]
    [InlineData("{tag}-{date}", "1.0", "1.0-20250101")]
    [InlineData("{tag}-{digest12}", "latest", "latest-abcdefabcdef")]
    [InlineData("{tag}.{time}", "1", "1.120000")]
    public void A_backup_that_could_be_named_as_another_of_the_image_s_tags_is_refused(string text, string tag, string other) =>
        Assert.Equal($"a backup of tag \"{tag}\" could be named \"{other}\", which is a tag of the image itself", Parse(text).Refusal(tag, ["2.0", other]));

    [Fact]
    public void Tags_that_only_look_alike_do_not_collide() =>
        Assert.Null(Parse("{tag}-{date}").Refusal("1.0", ["1.0-2025", "1.0-202501011", "1.0-rc1", "1x0-20250101"]));
}

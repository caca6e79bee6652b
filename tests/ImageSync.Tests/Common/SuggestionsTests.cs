using ImageSync.Common;

namespace ImageSync.Tests.Common;

public sealed class SuggestionsTests
{
    private static readonly string[] Known = ["SyncAll", "Status", "Validate", "upstream_samples", "max_tags_to_check"];

    [Theory]
    [InlineData("SyncAl", "SyncAll")]
    [InlineData("syncall", "SyncAll")]
    [InlineData("Statsu", "Status")]
    [InlineData("upstream_sample", "upstream_samples")]
    [InlineData("max_tag_to_check", "max_tags_to_check")]
    public void A_near_miss_gets_the_known_word(string given, string expected) =>
        Assert.Equal(expected, Suggestions.Closest(given, Known));

    [Theory]
    [InlineData("Deploy")]
    [InlineData("x")]
    public void A_word_far_from_all_gets_none(string given) =>
        Assert.Null(Suggestions.Closest(given, Known));

    [Fact]
    public void Did_you_mean_reads_as_a_clause_or_nothing()
    {
        Assert.Equal(" (did you mean \"Status\"?)", Suggestions.DidYouMean("Statu", Known));
        Assert.Equal("", Suggestions.DidYouMean("Deploy", Known));
    }
}

using ImageSync.Common;

namespace ImageSync.Tests.Common;

public sealed class PluralTests
{
    [Theory]
    [InlineData(0, "0 tags")]
    [InlineData(1, "1 tag")]
    [InlineData(2, "2 tags")]
    public void Counts_read_as_people_say_them(int n, string expected) => Assert.Equal(expected, Plural.Of(n, "tag"));
}

using ImageSync.Discovery;

namespace ImageSync.Tests.Discovery;

public sealed class TagVersionTests
{
    [Fact]
    public void Versions_sort_newest_first_with_other_tags_after()
    {
        Assert.Equal(["v2.15.0", "1.10", "1.3", "1.3-rc.2", "1.3-rc.1", "1.2", "latest", "main"],
            TagVersion.NewestFirst(["1.2", "latest", "1.3-rc.1", "1.10", "main", "1.3", "v2.15.0", "1.3-rc.2"]));
    }
}

using ImageSync.Common;

namespace ImageSync.Tests.Common;

public sealed class OriginTests
{
    [Theory]
    [InlineData("https://quay.io/v2/", "https://quay.io/v2/x/tags/list?n=50", true)]
    [InlineData("https://QUAY.io/", "https://quay.io/", true)]
    [InlineData("https://quay.io/", "http://quay.io/", false)]
    [InlineData("https://quay.io/", "https://quay.io:8443/", false)]
    [InlineData("https://quay.io/", "https://cdn.quay.io/", false)]
    [InlineData("http://127.0.0.1:5000/", "http://127.0.0.1:5001/", false)]
    public void Scheme_host_and_port_decide(string a, string b, bool same) =>
        Assert.Equal(same, Origin.Same(new Uri(a), new Uri(b)));
}

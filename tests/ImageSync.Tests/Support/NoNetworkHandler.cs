namespace ImageSync.Tests.Support;

/// <summary>The bottom of a handler stack that must never be reached: it counts and fails every request it sees.</summary>
internal sealed class NoNetworkHandler : HttpMessageHandler
{
    public int Seen { get; private set; }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Seen++;
        throw new HttpRequestException("the network was asked");
    }
}

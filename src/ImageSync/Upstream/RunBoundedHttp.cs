using Octokit;
using Octokit.Internal;

namespace ImageSync.Upstream;

/// <summary>
/// Octokit's HTTP client with its per-request deadline (100 s on every <see cref="Request"/>) removed: the handlers
/// under it bound each attempt by --timeout and retry by --retries, and a fixed overall deadline would cut that short.
/// </summary>
internal sealed class RunBoundedHttp(HttpClientAdapter inner) : IHttpClient
{
    public Task<IResponse> Send(IRequest request, CancellationToken cancellationToken, Func<object, object>? preprocessResponseBody = null)
    {
        if (request is Request mutable)
        {
            mutable.Timeout = TimeSpan.Zero;
        }
        return inner.Send(request, cancellationToken, preprocessResponseBody);
    }

    public void SetRequestTimeout(TimeSpan timeout)
    {
        // The run's --timeout applies (see GitHubTransport).
    }

    public void Dispose() => inner.Dispose();
}

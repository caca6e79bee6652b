using Polly;

namespace ImageSync.Registry.Http;

/// <summary>
/// Runs each request through the run's <see cref="RetryPolicy.RequestPipeline"/> (Polly). A request whose body is a
/// one-shot stream is sent once: the caller retries the whole operation with a fresh body instead.
/// </summary>
internal sealed class RetryHandler(ResiliencePipeline<HttpResponseMessage> pipeline) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (RegistryRequestOptions.IsOneShot(request))
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        return await pipeline.ExecuteAsync(async ct => await base.SendAsync(request, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }
}

using System.Net;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace ImageSync.Registry.Http;

/// <summary>
/// The one retry policy of a run, driven by --retries. What is transient (408, 429, 5xx, a dropped or stalled
/// connection, a timeout; never a TLS or DNS failure, never a digest mismatch), how long to wait (exponential backoff
/// with jitter, or the registry's Retry-After up to <see cref="MaxRetryAfter"/>), and how many times. Three places
/// apply it: every request (<see cref="RequestPipeline"/>), a whole blob upload whose streamed body cannot be replayed
/// (<see cref="OperationPipeline"/>), and a download resumed with Range (<see cref="Backoff"/>).
/// </summary>
public sealed record RetryPolicy
{
    public static RetryPolicy Default { get; } = new();

    /// <summary>Retries of a request unless --retries says otherwise.</summary>
    public const int DefaultMaxRetries = 4;

    public int MaxRetries { get; init; } = DefaultMaxRetries;

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A registry that asks us to come back later than this is not waited for: the request fails and says when.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The wait before retry number <paramref name="retry"/> (1-based): exponential, capped, with jitter.</summary>
    public TimeSpan Backoff(int retry)
    {
        var exponential = BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, retry - 1));
        var capped = Math.Min(exponential, MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + (Random.Shared.NextDouble() / 2)));
    }

    /// <summary>Retry-After as a delay, or null when the response has none.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }
        return header?.Date is { } date ? date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero : null;
    }

    public bool IsTransient(HttpResponseMessage response) => IsTransient(response.StatusCode, RetryAfter(response));

    /// <summary>408, 429 and 5xx (but 501 and 505, which will not change), unless the registry asked for too long a wait.</summary>
    private bool IsTransient(HttpStatusCode status, TimeSpan? retryAfter) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError
        && status is not (HttpStatusCode.NotImplemented or HttpStatusCode.HttpVersionNotSupported)
        && !(retryAfter > MaxRetryAfter);

    public bool IsTransient(Exception exception) => exception switch
    {
        DigestMismatchException => false,
        RegistryException { StatusCode: null } r => r.InnerException is not null && IsTransient(r.InnerException),
        RegistryException { StatusCode: { } status } r => IsTransient(status, r.RetryAfter),
        // A certificate that does not verify or a name that does not resolve will not fix itself in seconds.
        HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError or HttpRequestError.NameResolutionError } => false,
        HttpRequestException or IOException or TimeoutRejectedException => true,
        _ => false,
    };

    /// <summary>Every request (through <see cref="RetryHandler"/>): retried on a transient answer or failure.</summary>
    public ResiliencePipeline<HttpResponseMessage> RequestPipeline()
    {
        if (MaxRetries == 0)
        {
            return ResiliencePipeline<HttpResponseMessage>.Empty;
        }
        var options = new RetryStrategyOptions<HttpResponseMessage>
        {
            MaxRetryAttempts = MaxRetries,
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e ? IsTransient(e) : args.Outcome.Result is { } r && IsTransient(r)),
            DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                args.Outcome.Result is { } response && RetryAfter(response) is { } wait ? wait : Backoff(args.AttemptNumber + 1)),
        };
        return new ResiliencePipelineBuilder<HttpResponseMessage>().AddRetry(options).Build();
    }

    /// <summary>A whole operation (a blob streamed from source to target), retried as a unit.</summary>
    public ResiliencePipeline OperationPipeline()
    {
        if (MaxRetries == 0)
        {
            return ResiliencePipeline.Empty;
        }
        return new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = MaxRetries,
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && IsTransient(e)),
            DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                args.Outcome.Exception is RegistryException { RetryAfter: { } wait } ? wait : Backoff(args.AttemptNumber + 1)),
        }).Build();
    }
}

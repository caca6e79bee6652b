using System.Globalization;
using System.Net;

namespace ImageSync.Upstream;

/// <summary>
/// What a GitHub 403 or 429 means: the primary limit used up (X-RateLimit-Remaining: 0, until X-RateLimit-Reset), or
/// a secondary limit (Retry-After). The message says when it resets and that GITHUB_TOKEN raises the anonymous 60 an
/// hour to 5,000.
/// </summary>
public sealed record GitHubRateLimit(string Message, TimeSpan? WaitFor)
{
    public static GitHubRateLimit? From(HttpResponseMessage response, bool authenticated)
    {
        if (response.StatusCode is not (HttpStatusCode.Forbidden or HttpStatusCode.TooManyRequests))
        {
            return null;
        }
        if (response.Headers.RetryAfter?.Delta is { } wait)
        {
            return new GitHubRateLimit($"GitHub's secondary rate limit: it asked to wait {wait.TotalSeconds:0} s", wait);
        }
        string? Header(string name) => response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
        if (Header("X-RateLimit-Remaining") != "0")
        {
            return null;
        }
        var reset = long.TryParse(Header("X-RateLimit-Reset"), NumberStyles.None, CultureInfo.InvariantCulture, out var epoch)
            ? DateTimeOffset.FromUnixTimeSeconds(epoch) : (DateTimeOffset?)null;
        return new GitHubRateLimit(UsedUp(Header("X-RateLimit-Limit") ?? "?", reset, authenticated), null);
    }

    /// <summary>The one wording of a used-up primary limit, whether read from headers or from Octokit's exception.</summary>
    public static string UsedUp(string limit, DateTimeOffset? reset, bool authenticated)
    {
        var when = reset is { } r ? $"; it resets at {r.UtcDateTime:yyyy-MM-dd HH:mm} UTC" : "";
        var hint = authenticated ? "" : " (anonymous callers get 60 requests an hour; set GITHUB_TOKEN for 5,000)";
        return $"GitHub's API rate limit ({limit} an hour) is used up{when}{hint}";
    }
}

using System.Net;
using System.Text.Json;
using ImageSync.References;

namespace ImageSync.Registry;

/// <summary>A registry answered with an error. The message names the operation and the registry's own words.</summary>
public class RegistryException : Errors.ImageSyncException
{
    public RegistryException(string message, HttpStatusCode? statusCode = null, IReadOnlyList<string>? codes = null, Exception? inner = null, TimeSpan? retryAfter = null)
        : base(message, inner)
    {
        StatusCode = statusCode;
        Codes = codes ?? [];
        RetryAfter = retryAfter;
    }

    /// <summary>How long the registry asked us to wait before trying again (429, 503), when it said.</summary>
    public TimeSpan? RetryAfter { get; }

    public HttpStatusCode? StatusCode { get; }

    public IReadOnlyList<string> Codes { get; }

    public bool IsAuthentication => StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;

    /// <summary>
    /// A manifest PUT the registry refused because the tag is immutable there: Harbor answers 412 PRECONDITION
    /// ("configured as immutable"), ECR 400 TAG_INVALID ("cannot be overwritten because the tag is immutable"),
    /// others 403 or 409 with "immutable" in their words.
    /// </summary>
    public bool RefusesImmutableTag =>
        StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.BadRequest or HttpStatusCode.Forbidden or HttpStatusCode.Conflict
        && (Codes.Contains("PRECONDITION") || Codes.Contains("TAG_INVALID") || Codes.Contains("TAG_IMMUTABLE") || Codes.Contains("DENIED"))
        && Message.Contains("immutable", StringComparison.OrdinalIgnoreCase);

    private const int MaxErrorBody = 64 * 1024;

    /// <summary>Builds the exception from a failed response: <c>{"errors":[{"code","message","detail"}]}</c>, or plain text.</summary>
    public static async Task<RegistryException> FromResponseAsync(string operation, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var codes = new List<string>();
        var detail = "";
        if (response.RequestMessage?.Method != HttpMethod.Head)
        {
            try
            {
                var (body, _) = await Http.ResponseBody.ReadAtMostAsync(response, MaxErrorBody, cancellationToken).ConfigureAwait(false);
                (codes, detail) = ParseErrors(System.Text.Encoding.UTF8.GetString(body));
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                detail = "";
            }
        }
        var status = $"{(int)response.StatusCode} {Output.Untrusted.Line(response.ReasonPhrase, 60)}".Trim();
        var text = detail.Length > 0 ? $"{operation}: {status}: {detail}" : $"{operation}: {status}";
        var (hint, notCredentials) = RefusalHint.For(response, detail);
        if (hint is not null)
        {
            text += " " + hint;
        }
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden && !notCredentials
            && response.RequestMessage?.Options.TryGetValue(Http.RegistryRequestOptions.CredentialSource, out var source) == true)
        {
            text += source.Length > 0
                ? $" (credentials from {source})"
                : " (no credentials found for it; looked in the config's username_env/password_env and Docker's config.json)";
        }
        var retryAfter = Http.RetryPolicy.RetryAfter(response);
        if (retryAfter is { } wait)
        {
            text += $" (the registry asked to come back in {wait.TotalSeconds:0} s, at {DateTimeOffset.UtcNow + wait:yyyy-MM-dd HH:mm:ss} UTC)";
        }
        return new RegistryException(text, response.StatusCode, codes, retryAfter: retryAfter);
    }

    internal static (List<string> Codes, string Detail) ParseErrors(string body)
    {
        var codes = new List<string>();
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                var parts = new List<string>();
                foreach (var error in errors.EnumerateArray())
                {
                    var code = error.TryGetProperty("code", out var c) ? c.GetString() ?? "" : "";
                    var message = error.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
                    var detail = error.TryGetProperty("detail", out var d) && d.ValueKind is JsonValueKind.String ? d.GetString() : null;
                    codes.Add(code);
                    parts.Add(string.Join(" ", new[] { code, message, detail is null ? null : $"({detail})" }.Where(s => !string.IsNullOrEmpty(s))));
                }
                return (codes, Output.Untrusted.Line(string.Join("; ", parts)));
            }
        }
        catch (JsonException)
        {
            // 2.8 answers unknown routes with text/plain "404 page not found".
        }
        return (codes, Output.Untrusted.Line(body.Split('\n', 2)[0], 200));
    }
}

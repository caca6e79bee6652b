namespace ImageSync.Registry.Http;

/// <summary>What the handlers need to know about a request, carried on the request itself.</summary>
public static class RegistryRequestOptions
{
    /// <summary>The registry name (docker.io, quay.io) whose credentials apply.</summary>
    public static readonly HttpRequestOptionsKey<string> Registry = new("imagesync.registry");

    /// <summary>Token scopes the request needs, e.g. <c>repository:a/b:pull,push</c>.</summary>
    public static readonly HttpRequestOptionsKey<string[]> Scopes = new("imagesync.scopes");

    /// <summary>The body is a one-shot stream: a failed send is retried by the caller with a new upload, not here.</summary>
    public static readonly HttpRequestOptionsKey<bool> OneShotBody = new("imagesync.one-shot-body");

    /// <summary>Where the credentials sent with the request came from ("" for none), for error messages; never the secret.</summary>
    public static readonly HttpRequestOptionsKey<string> CredentialSource = new("imagesync.credential-source");

    /// <summary>The response body is a blob: handed on as a stream, never buffered.</summary>
    public static readonly HttpRequestOptionsKey<bool> StreamedBody = new("imagesync.streamed-body");

    public static bool IsStreamed(HttpRequestMessage request) =>
        request.Options.TryGetValue(StreamedBody, out var streamed) && streamed;

    public static bool IsOneShot(HttpRequestMessage request) =>
        request.Options.TryGetValue(OneShotBody, out var oneShot) && oneShot;
}

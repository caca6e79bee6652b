using System.Net;
using ImageSync.References;

namespace ImageSync.Registry;

/// <summary>
/// Where a registry name is reached. Image names stay as configured; only the transport changes. Docker Hub's
/// API lives at registry-1.docker.io. Plain HTTP only when the URL says so or the host is loopback.
/// </summary>
public sealed class RegistryEndpoints(IReadOnlyDictionary<string, Uri> overrides)
{
    public const string DockerHubApiHost = "registry-1.docker.io";

    public static RegistryEndpoints Default { get; } = new(new Dictionary<string, Uri>());

    public Uri BaseUri(string registry)
    {
        if (overrides.TryGetValue(registry, out var uri))
        {
            return uri;
        }
        if (registry == Reference.DockerHub)
        {
            return new Uri($"https://{DockerHubApiHost}/");
        }
        var host = new Uri($"http://{registry}/").Host;
        return new Uri($"{(IsLoopback(host) ? "http" : "https")}://{registry}/");
    }

    public static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>Parses <c>NAME=URL</c> as given to --registry; the message says what is wrong.</summary>
    public static bool TryParseMapping(string text, out string name, out Uri? url, out string error)
    {
        name = "";
        url = null;
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0 || eq == text.Length - 1)
        {
            error = $"\"{text}\" is not NAME=URL (e.g. docker.io=http://127.0.0.1:5000)";
            return false;
        }
        var rawName = text[..eq].Trim();
        if (!Reference.TryParseRegistryName(rawName, out var registry, out error))
        {
            return false;
        }
        var rawUrl = text[(eq + 1)..].Trim();
        if (!Reference.TryParseRegistryUrl(rawUrl, out url, out error))
        {
            return false;
        }
        name = registry;
        return true;
    }
}

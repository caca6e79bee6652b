using System.Security.Cryptography;
using System.Text;

namespace ImageSync.Tests.Support;

/// <summary>skopeo as the independent oracle: what a different client sees in the registry.</summary>
internal static class Skopeo
{
    /// <summary>The digest of the manifest bytes skopeo reads for the reference, or null when it does not exist.</summary>
    public static async Task<string?> DigestAsync(RegistryServer registry, string repositoryAndTag, (string User, string Password)? credentials = null)
    {
        var args = new List<string> { "inspect", "--raw", "--tls-verify=false" };
        if (credentials is { } c)
        {
            args.Add($"--creds={c.User}:{c.Password}");
        }
        args.Add($"docker://{registry.Host}/{repositoryAndTag}");
        try
        {
            var raw = await RegistryServer.RunAsync("skopeo", [.. args]);
            return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(raw)));
        }
        catch (InvalidOperationException e) when (e.Message.Contains("manifest unknown", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("not found", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
    }
}

using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace ImageSync.References;

/// <summary>
/// <c>ocidir://PATH[:TAG][@DIGEST]</c>, regclient's spelling of an OCI image layout folder (types/ref/ref.go): the
/// path of letters, digits, <c>/ _ - .</c> and space, so no <c>:</c> or <c>@</c> can be read two ways; the tag and
/// digest by the same grammar as a registry's. The layout is one repository. Its registry name is made from the
/// folder (<c>HASH.ocidir.invalid</c>): unique per folder, so no two layouts look like one endpoint (no mounts
/// between them), and under the reserved <c>.invalid</c> top-level domain (RFC 2606), so a request for it that
/// ever missed the layout handler could not resolve to any host.
/// </summary>
public static partial class LayoutReference
{
    public const string Scheme = "ocidir://";

    /// <summary>What every layout's registry name ends with.</summary>
    public const string RegistrySuffix = ".ocidir.invalid";

    /// <summary>The repository part of a layout's reference: a layout holds one repository.</summary>
    public const string Repository = "layout";

    private const int MaxPathLength = 4096;

    [GeneratedRegex(@"^[/A-Za-z0-9_\-. ]+$")]
    private static partial Regex PathPattern();

    public static bool IsLayoutRegistry(string registry) => registry.EndsWith(RegistrySuffix, StringComparison.OrdinalIgnoreCase);

    public static bool TryParse(string text, out Reference? reference, out string error)
    {
        reference = null;
        var rest = text[Scheme.Length..];
        Digest? digest = null;
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            if (!Digest.TryParse(rest[(at + 1)..], out var d, out var digestError))
            {
                error = $"\"{Output.Untrusted.Line(text, 200)}\": {digestError}";
                return false;
            }
            digest = d;
            rest = rest[..at];
        }
        string? tag = null;
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
            if (!Reference.IsValidTag(tag))
            {
                error = $"\"{Output.Untrusted.Line(text, 200)}\" has an invalid tag \"{Output.Untrusted.Line(tag, 140)}\"";
                return false;
            }
        }
        if (!IsValidPath(rest, out error))
        {
            error = $"\"{Output.Untrusted.Line(text, 200)}\": {error}";
            return false;
        }
        reference = new Reference(RegistryFor(rest), Repository, tag, digest, rest);
        return true;
    }

    /// <summary>The folder as written: regclient's characters, not empty, no leading or trailing space.</summary>
    public static bool IsValidPath(string path, out string error)
    {
        error = path.Length == 0 ? "the layout's path is empty (want ocidir://PATH)"
            : path.Length > MaxPathLength ? $"the layout's path is longer than {MaxPathLength} characters"
            : !PathPattern().IsMatch(path) ? "the layout's path may hold letters, digits, / _ - . and space only (no : or @, which would read as a tag or digest)"
            : path.Trim() != path ? "the layout's path starts or ends with a space"
            : "";
        return error.Length == 0;
    }

    /// <summary>One name per folder (its full path from the current folder, as skopeo and regclient read a relative one).</summary>
    public static string RegistryFor(string path) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(path))))[..16] + RegistrySuffix;
}

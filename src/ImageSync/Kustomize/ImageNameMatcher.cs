using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using ImageSync.Config;

namespace ImageSync.Kustomize;

/// <summary>
/// Whether an <c>images:</c> entry's name selects an image value, exactly as kustomize v5's <c>IsImageMatched</c>:
/// the value must be the name, then optionally <c>:tag</c> (tag characters <c>[a-zA-Z0-9_.{}-]</c>), then optionally
/// <c>@sha256:...</c>. There is no normalisation: <c>nginx</c> does not match <c>docker.io/library/nginx</c> nor
/// <c>docker.io/nginx</c>, and <c>docker.io/x/y</c> does not match <c>x/y</c>. A name with a tag or digest matches only
/// that tag or digest. kustomize puts the name into its regular expression unescaped, so a '.' in the name matches
/// any character (<c>registry.istio.io/a</c> matches <c>registryXistio.io/a</c>): that is kept, since it is what
/// kubectl kustomize prints. Names with other regular-expression characters are refused rather than guessed at
/// (kustomize panics on some of them). Checked against kustomize v5.5 by KustomizeDifferentialTests.
/// </summary>
public static partial class ImageNameMatcher
{
    private const string TagAndDigest = "(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?";

    private static readonly ConcurrentDictionary<string, Regex> Patterns = new(StringComparer.Ordinal);

    /// <summary>Characters whose meaning is the same in Go's RE2 and .NET, literal except '.'.</summary>
    [GeneratedRegex("^[A-Za-z0-9._/:@-]*$")]
    private static partial Regex Supported();

    public static bool IsSupported(string name) => Supported().IsMatch(name) && name.Length <= 512;

    /// <exception cref="KustomizeException">The name holds characters kustomize would read as a regular expression.</exception>
    public static void Check(ImageTransform entry)
    {
        if (!IsSupported(entry.Name))
        {
            throw new KustomizeException(entry.NamePosition, $"images: name \"{Output.Untrusted.Line(entry.Name, 100)}\" holds characters kustomize reads as a regular expression; imagesync takes names of letters, digits and . _ / : @ - only");
        }
    }

    public static bool IsImageMatched(string value, string name)
    {
        if (!IsSupported(name))
        {
            return false;
        }
        // \A and \z: Go's ^ and $ (without the m flag) are the text's ends; .NET's $ would also match before a final \n.
        var pattern = Patterns.GetOrAdd(name, n => new Regex(@"\A" + n + TagAndDigest + @"\z", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking));
        return pattern.IsMatch(value);
    }
}

using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ImageSync.Kustomize;

/// <summary>
/// How kustomize reads a plain YAML scalar: as YAML 1.1 (go-yaml v2 under sigs.k8s.io/yaml), where <c>1.0</c> is a
/// number and <c>yes</c>, <c>on</c> and <c>y</c> are booleans, so a field that must be a string (newTag) refuses them
/// unquoted. Checked against kustomize v5.5: <c>newTag: 1.0</c> fails with "cannot unmarshal number".
/// </summary>
internal static partial class YamlScalars
{
    private static readonly string[] Booleans = ["y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "n", "N", "no", "No", "NO", "off", "Off", "OFF", "true", "True", "TRUE", "false", "False", "FALSE"];
    private static readonly string[] Nulls = ["", "~", "null", "Null", "NULL"];

    [GeneratedRegex("^[-+]?(0b[01]+|0o?[0-7]+|0x[0-9a-fA-F]+|[0-9]+)$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$")]
    private static partial Regex Float();

    /// <summary>What YAML 1.1 makes of the scalar: "a string", "null", "a boolean" or "a number".</summary>
    public static string KindOf(YamlScalarNode scalar)
    {
        if (scalar.Style != ScalarStyle.Plain || !scalar.Tag.IsEmpty)
        {
            return "a string";
        }
        var text = scalar.Value ?? "";
        if (Nulls.Contains(text))
        {
            return "null";
        }
        if (Booleans.Contains(text))
        {
            return "a boolean";
        }
        var digits = text.Replace("_", "", StringComparison.Ordinal);
        return Integer().IsMatch(digits) || Float().IsMatch(digits) ? "a number" : "a string";
    }
}

using System.Text.RegularExpressions;
using ImageSync.Signing;

namespace ImageSync.Config;

/// <summary>
/// Reads an image's (or the defaults') <c>sign</c> object: <c>{"cosign": {"key_env": "IMAGE_SYNC_SIGNING_KEY"}}</c>,
/// the name of the environment variable that holds the mirror's PEM private key. Never the key itself: a value that
/// looks like one is refused without being quoted. The variable is read when the run's environment is known
/// (<see cref="SigningKeys"/>).
/// </summary>
internal sealed partial class SigningPolicyReader(JsonValues values)
{
    internal static readonly string[] SignKeys = ["cosign"];
    internal static readonly string[] CosignKeys = ["key_env"];

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvNamePattern();

    public SigningPolicy? Read(JsonNodeAt node, string path)
    {
        if (values.Object(node, path) is not { } sign)
        {
            return null;
        }
        var fields = values.Fields(sign, path, SignKeys);
        if (!fields.TryGetValue("cosign", out var cosignNode))
        {
            values.Diagnostics.Error(values.At(sign), path, "missing \"cosign\": say which key signs ({\"cosign\": {\"key_env\": \"IMAGE_SYNC_SIGNING_KEY\"}})");
            return null;
        }
        path += ".cosign";
        if (values.Object(cosignNode, path) is not { } cosign)
        {
            return null;
        }
        var c = values.Fields(cosign, path, CosignKeys);
        if (!c.TryGetValue("key_env", out var keyNode))
        {
            values.Diagnostics.Error(values.At(cosign), path, "missing \"key_env\": the environment variable that holds the PEM private key");
            return null;
        }
        if (keyNode is not JsonScalarAt { Token: System.Text.Json.JsonTokenType.String, Text: { Length: > 0 } name })
        {
            values.Error(keyNode, $"{path}.key_env", $"expected the name of an environment variable, got {keyNode.KindName}");
            return null;
        }
        if (!EnvNamePattern().IsMatch(name))
        {
            // Never quoted: someone may have pasted the key itself here.
            values.Error(keyNode, $"{path}.key_env", "is not an environment variable name; name the variable that holds the key, never the key itself");
            return null;
        }
        return new SigningPolicy(name, values.At(keyNode), $"{path}.key_env");
    }
}

using System.Security.Cryptography;
using System.Text.Json;
using ImageSync.Verification;

namespace ImageSync.Config;

/// <summary>
/// Reads an image's (or the defaults') <c>verify</c> object into a <see cref="SignaturePolicy"/>:
/// <c>{"cosign": {"key": "keys/istio.pub"}}</c> or <c>{"cosign": {"identity" (or "identity_regexp"), "issuer", "trusted_root"}}</c>, with
/// optional <c>trusted_root</c> for a key and <c>match_repository</c>. The key and trusted root are files in the
/// repository, resolved against the configuration's folder and read now, so Validate names a missing or broken one
/// at its field; nothing is ever fetched.
/// </summary>
internal sealed class VerifyPolicyReader(JsonValues values)
{
    internal static readonly string[] VerifyKeys = ["cosign"];
    internal static readonly string[] CosignKeys = ["key", "identity", "identity_regexp", "issuer", "trusted_root", "match_repository"];

    /// <summary>A public key is well under 2 KiB; sigstore's trusted root is about 6 KiB.</summary>
    private const int MaxKeyBytes = 64 * 1024;
    private const int MaxRootBytes = 1024 * 1024;

    public SignaturePolicy? Read(JsonNodeAt node, string path)
    {
        if (values.Object(node, path) is not { } verify)
        {
            return null;
        }
        var fields = values.Fields(verify, path, VerifyKeys);
        if (!fields.TryGetValue("cosign", out var cosignNode))
        {
            values.Diagnostics.Error(values.At(verify), path, "missing \"cosign\": say which signatures to require ({\"cosign\": {\"key\": \"keys/cosign.pub\"}})");
            return null;
        }
        path += ".cosign";
        if (values.Object(cosignNode, path) is not { } cosign)
        {
            return null;
        }
        var c = values.Fields(cosign, path, CosignKeys);
        var keyPath = Text(c, "key", path);
        var exactIdentity = Text(c, "identity", path);
        var identityRegexp = Text(c, "identity_regexp", path);
        if (exactIdentity is not null && identityRegexp is not null)
        {
            values.Diagnostics.Error(values.At(cosign), path, "\"identity\" and \"identity_regexp\" exclude each other: give the identity, or an expression it must match");
            return null;
        }
        var identity = exactIdentity ?? identityRegexp;
        IdentityPattern? pattern = null;
        if (identityRegexp is { } regexp)
        {
            try
            {
                pattern = IdentityPattern.Parse(regexp.Text);
            }
            catch (ArgumentException e)
            {
                values.Diagnostics.Error(values.At(regexp.Node), $"{path}.identity_regexp", $"not a usable regular expression: {Output.Untrusted.Line(e.Message)}");
                return null;
            }
        }
        var issuer = Text(c, "issuer", path);
        var rootPath = Text(c, "trusted_root", path);
        var matchRepository = c.TryGetValue("match_repository", out var m) && values.Bool(m, $"{path}.match_repository") == true;
        if ((keyPath is null) == (identity is null && issuer is null))
        {
            values.Diagnostics.Error(values.At(cosign), path, keyPath is null
                ? "give \"key\" (a public key file) or \"identity\" and \"issuer\" (keyless, with \"trusted_root\")"
                : "\"key\" and \"identity\"/\"issuer\" exclude each other: a signature is checked against a key or against a certificate identity");
            return null;
        }
        if (keyPath is null && (identity is null || issuer is null))
        {
            values.Diagnostics.Error(values.At(cosign), path, $"keyless verification needs both \"identity\" and \"issuer\"; \"{(identity is null ? "identity" : "issuer")}\" is missing");
            return null;
        }
        if (keyPath is null && rootPath is null)
        {
            values.Diagnostics.Error(values.At(cosign), path, "keyless verification needs \"trusted_root\": a trusted_root.json file in the repository (sigstore's format; it is never fetched)");
            return null;
        }
        var key = keyPath is null ? null : Load(keyPath.Value, $"{path}.key", MaxKeyBytes, bytes => VerificationKey.FromPem(System.Text.Encoding.UTF8.GetString(bytes)));
        var root = rootPath is null ? null : Load(rootPath.Value, $"{path}.trusted_root", MaxRootBytes, TrustedRoot.Parse);
        if ((keyPath is not null && key is null) || (rootPath is not null && root is null))
        {
            return null;
        }
        var description = key is not null ? $"key {keyPath!.Value.Text}"
            : pattern is not null ? $"an identity matching {pattern.Pattern} from {issuer!.Value.Text}"
            : $"identity {identity!.Value.Text} from {issuer!.Value.Text}";
        return new SignaturePolicy(description, key, exactIdentity?.Text, issuer?.Text, root, matchRepository, pattern);
    }

    private T? Load<T>((string Text, JsonNodeAt Node) file, string field, int maxBytes, Func<byte[], T> parse)
        where T : class
    {
        var full = Path.IsPathRooted(file.Text) ? file.Text : Path.Combine(Path.GetDirectoryName(values.At(1, 1).File) ?? "", file.Text);
        try
        {
            var info = new FileInfo(full);
            if (!info.Exists)
            {
                values.Diagnostics.Error(values.At(file.Node), field, $"\"{file.Text}\": no such file (relative paths start at the configuration's folder)");
                return null;
            }
            if (info.Length > maxBytes)
            {
                values.Diagnostics.Error(values.At(file.Node), field, $"\"{file.Text}\" is {info.Length} bytes, more than the {maxBytes} such a file may be");
                return null;
            }
            return parse(File.ReadAllBytes(full));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or CryptographicException or SignatureRefusedException or ArgumentException)
        {
            values.Diagnostics.Error(values.At(file.Node), field, $"\"{file.Text}\": {Output.Untrusted.Line(e.Message)}");
            return null;
        }
    }

    private (string Text, JsonNodeAt Node)? Text(Dictionary<string, JsonNodeAt> fields, string key, string path)
    {
        if (!fields.TryGetValue(key, out var node))
        {
            return null;
        }
        if (node is JsonScalarAt { Token: JsonTokenType.String, Text: { Length: > 0 } text })
        {
            return (text, node);
        }
        values.Diagnostics.Error(values.At(node), $"{path}.{key}", $"expected a non-empty string, got {node.KindName}");
        return null;
    }
}

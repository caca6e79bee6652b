using System.Security.Cryptography;
using System.Text.Json;
using ImageSync.Verification;

namespace ImageSync.Config;

/// <summary>
/// Reads an image's (or the defaults') <c>verify</c> object into a <see cref="SignaturePolicy"/>:
/// <c>{"cosign": {"key": "keys/istio.pub"}}</c> or <c>{"cosign": {"identity", "issuer", "trusted_root"}}</c>, with
/// optional <c>trusted_root</c> for a key and <c>match_repository</c>. The key and trusted root are files in the
/// repository, resolved against the configuration's folder and read now, so Validate names a missing or broken one
/// at its field; nothing is ever fetched.
/// </summary>
internal sealed class VerifyPolicyReader(string displayPath, DiagnosticBag diagnostics)
{
    internal static readonly string[] VerifyKeys = ["cosign"];
    internal static readonly string[] CosignKeys = ["key", "identity", "issuer", "trusted_root", "match_repository"];

    /// <summary>A public key is well under 2 KiB; sigstore's trusted root is about 6 KiB.</summary>
    private const int MaxKeyBytes = 64 * 1024;
    private const int MaxRootBytes = 1024 * 1024;

    public SignaturePolicy? Read(JsonNodeAt node, string path)
    {
        if (Object(node, path) is not { } verify)
        {
            return null;
        }
        var fields = Fields(verify, path, VerifyKeys);
        if (!fields.TryGetValue("cosign", out var cosignNode))
        {
            diagnostics.Error(At(verify), path, "missing \"cosign\": say which signatures to require ({\"cosign\": {\"key\": \"keys/cosign.pub\"}})");
            return null;
        }
        path += ".cosign";
        if (Object(cosignNode, path) is not { } cosign)
        {
            return null;
        }
        var c = Fields(cosign, path, CosignKeys);
        var keyPath = Text(c, "key", path);
        var identity = Text(c, "identity", path);
        var issuer = Text(c, "issuer", path);
        var rootPath = Text(c, "trusted_root", path);
        var matchRepository = false;
        if (c.TryGetValue("match_repository", out var m))
        {
            if (m is JsonScalarAt { Token: JsonTokenType.True or JsonTokenType.False } b)
            {
                matchRepository = b.Token == JsonTokenType.True;
            }
            else
            {
                diagnostics.Error(At(m), $"{path}.match_repository", $"expected true or false, got {m.KindName}");
            }
        }
        if ((keyPath is null) == (identity is null && issuer is null))
        {
            diagnostics.Error(At(cosign), path, keyPath is null
                ? "give \"key\" (a public key file) or \"identity\" and \"issuer\" (keyless, with \"trusted_root\")"
                : "\"key\" and \"identity\"/\"issuer\" exclude each other: a signature is checked against a key or against a certificate identity");
            return null;
        }
        if (keyPath is null && (identity is null || issuer is null))
        {
            diagnostics.Error(At(cosign), path, $"keyless verification needs both \"identity\" and \"issuer\"; \"{(identity is null ? "identity" : "issuer")}\" is missing");
            return null;
        }
        if (keyPath is null && rootPath is null)
        {
            diagnostics.Error(At(cosign), path, "keyless verification needs \"trusted_root\": a trusted_root.json file in the repository (sigstore's format; it is never fetched)");
            return null;
        }
        var key = keyPath is null ? null : Load(keyPath.Value, $"{path}.key", MaxKeyBytes, bytes => VerificationKey.FromPem(System.Text.Encoding.UTF8.GetString(bytes)));
        var root = rootPath is null ? null : Load(rootPath.Value, $"{path}.trusted_root", MaxRootBytes, TrustedRoot.Parse);
        if ((keyPath is not null && key is null) || (rootPath is not null && root is null))
        {
            return null;
        }
        var description = key is not null ? $"key {keyPath!.Value.Text}" : $"identity {identity!.Value.Text} from {issuer!.Value.Text}";
        return new SignaturePolicy(description, key, identity?.Text, issuer?.Text, root, matchRepository);
    }

    private T? Load<T>((string Text, JsonNodeAt Node) file, string field, int maxBytes, Func<byte[], T> parse)
        where T : class
    {
        var full = Path.IsPathRooted(file.Text) ? file.Text : Path.Combine(Path.GetDirectoryName(displayPath) ?? "", file.Text);
        try
        {
            var info = new FileInfo(full);
            if (!info.Exists)
            {
                diagnostics.Error(At(file.Node), field, $"\"{file.Text}\": no such file (relative paths start at the configuration's folder)");
                return null;
            }
            if (info.Length > maxBytes)
            {
                diagnostics.Error(At(file.Node), field, $"\"{file.Text}\" is {info.Length} bytes, more than the {maxBytes} such a file may be");
                return null;
            }
            return parse(File.ReadAllBytes(full));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or CryptographicException or SignatureRefusedException or ArgumentException)
        {
            diagnostics.Error(At(file.Node), field, $"\"{file.Text}\": {Output.Untrusted.Line(e.Message)}");
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
        diagnostics.Error(At(node), $"{path}.{key}", $"expected a non-empty string, got {node.KindName}");
        return null;
    }

    private JsonObjectAt? Object(JsonNodeAt node, string path)
    {
        if (node is JsonObjectAt obj)
        {
            return obj;
        }
        diagnostics.Error(At(node), path, $"expected an object, got {node.KindName}");
        return null;
    }

    private Dictionary<string, JsonNodeAt> Fields(JsonObjectAt obj, string path, string[] known) =>
        diagnostics.Fields(obj.Properties.Select(p => (p.Name, At(p.Line, p.Column), p.Value)), path, known);

    private SourcePosition At(JsonNodeAt node) => At(node.Line, node.Column);

    private SourcePosition At(int line, int column) => new(displayPath, line, column);
}

using System.Text.RegularExpressions;
using ImageSync.References;

namespace ImageSync.Config;

/// <summary>Reads the <c>images</c> entries and <c>defaults</c> of <c>image-sync-config.json</c>.</summary>
internal sealed partial class JsonImageReader(JsonValues values)
{
    internal static readonly string[] ImageKeys = ["name", "upstream", "target", "tags", "platforms", "required_platforms", "immutable_tags", "sample", "verify", "signatures", "artifact_types", "backup", "sign", "tag_rules"];
    internal static readonly string[] DefaultsKeys = ["platforms", "required_platforms", "immutable_tags", "verify", "signatures", "artifact_types", "backup", "sign"];

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex NamePattern();

    /// <param name="BackupNode">Where <paramref name="Backup"/> was written, for an image that inherits it and whose tags it does not fit.</param>
    internal sealed record Defaults(IReadOnlyList<Platform>? Platforms, IReadOnlyList<Platform> RequiredPlatforms, bool ImmutableTags, Verification.SignaturePolicy? Verify = null,
        SignaturesMode Signatures = SignaturesMode.Copy, IReadOnlyList<string>? ArtifactTypes = null, BackupTemplate? Backup = null, JsonNodeAt? BackupNode = null,
        Signing.SigningPolicy? Sign = null)
    {
        public static Defaults None { get; } = new(null, [], false);
    }

    private DiagnosticBag Diagnostics => values.Diagnostics;

    public Defaults ReadDefaults(JsonNodeAt node)
    {
        if (values.Object(node, "defaults") is not { } obj)
        {
            return Defaults.None;
        }
        var fields = values.Fields(obj, "defaults", DefaultsKeys);
        return new Defaults(
            fields.TryGetValue("platforms", out var p) ? Platforms(p, "defaults.platforms", allowEmpty: false) : null,
            fields.TryGetValue("required_platforms", out var r) ? Platforms(r, "defaults.required_platforms", allowEmpty: true) ?? [] : [],
            fields.TryGetValue("immutable_tags", out var i) && values.Bool(i, "defaults.immutable_tags") == true,
            fields.TryGetValue("verify", out var v) ? new VerifyPolicyReader(values).Read(v, "defaults.verify") : null,
            fields.TryGetValue("signatures", out var sg) ? Signatures(sg, "defaults.signatures") : SignaturesMode.Copy,
            fields.TryGetValue("artifact_types", out var at) ? ArtifactTypes(at, "defaults.artifact_types") : null,
            fields.TryGetValue("backup", out var b) ? new BackupTemplateReader(values).Read(b, "defaults.backup", out _) : null,
            fields.GetValueOrDefault("backup"),
            fields.TryGetValue("sign", out var s) ? new SigningPolicyReader(values).Read(s, "defaults.sign") : null);
    }

    public ImageSpec? ReadImage(JsonNodeAt node, string path, Defaults defaults)
    {
        if (values.Object(node, path, "an image object") is not { } obj)
        {
            return null;
        }
        var fields = values.Fields(obj, path, ImageKeys);
        var positions = fields.ToDictionary(f => f.Key, f => values.At(f.Value));
        var ok = true;

        string? name = null;
        if (values.Required(fields, obj, path, "name") is { } nameNode && values.String(nameNode, $"{path}.name") is { } n)
        {
            if (NamePattern().IsMatch(n))
            {
                name = n;
            }
            else
            {
                values.Error(nameNode, $"{path}.name", $"\"{n}\" is not a valid name (letters, digits, '.', '_' and '-', starting with a letter or digit)");
            }
        }
        var upstream = Repository(values.Required(fields, obj, path, "upstream"), $"{path}.upstream");
        var target = Repository(values.Required(fields, obj, path, "target"), $"{path}.target");

        var tags = new List<TagSpec>();
        var (rules, rulesOk) = ReadTagRules(fields, path);
        ok &= rulesOk;
        if (fields.TryGetValue("tags", out var everyNode) && TagRulesReader.IsEveryTag(everyNode))
        {
            if (rules is { Unbounded: false })
            {
                values.Error(everyNode, $"{path}.tags", "\"*\" mirrors every tag, and tag_rules bound which: leave \"tags\" out, or list only explicit tags");
                ok = false;
            }
            rules ??= Selection.TagRules.EveryTag(values.At(everyNode));
        }
        else if ((rules is null && rulesOk ? values.Required(fields, obj, path, "tags") : fields.GetValueOrDefault("tags")) is { } tagsNode)
        {
            if (values.StringArray(tagsNode, $"{path}.tags") is { } tagItems)
            {
                if (tagItems.Count == 0 && rules is null)
                {
                    values.Error(tagsNode, $"{path}.tags", "at least one tag is required");
                    ok = false;
                }
                for (var i = 0; i < tagItems.Count; i++)
                {
                    var (tag, tagNode) = tagItems[i];
                    var tagPath = $"{path}.tags[{i}]";
                    if (!Reference.IsValidTag(tag))
                    {
                        values.Error(tagNode, tagPath, $"\"{tag}\" is not a valid tag");
                        ok = false;
                    }
                    else if (tags.Any(t => t.Target == tag))
                    {
                        values.Error(tagNode, tagPath, $"tag \"{tag}\" is listed twice");
                        ok = false;
                    }
                    else
                    {
                        tags.Add(new TagSpec(tag, tag, values.At(tagNode)));
                    }
                }
            }
            else
            {
                ok = false;
            }
        }

        var platforms = fields.TryGetValue("platforms", out var p) ? Platforms(p, $"{path}.platforms", allowEmpty: false) : defaults.Platforms;
        var required = fields.TryGetValue("required_platforms", out var rp) ? Platforms(rp, $"{path}.required_platforms", allowEmpty: true) ?? [] : defaults.RequiredPlatforms;
        var immutable = fields.TryGetValue("immutable_tags", out var im) ? values.Bool(im, $"{path}.immutable_tags") ?? false : defaults.ImmutableTags;
        var sample = fields.TryGetValue("sample", out var sm) ? values.RelativePath(sm, $"{path}.sample", "the upstream repository") : null;
        var verify = fields.TryGetValue("verify", out var vf) ? new VerifyPolicyReader(values).Read(vf, $"{path}.verify") : defaults.Verify;
        var signatures = fields.TryGetValue("signatures", out var sg) ? Signatures(sg, $"{path}.signatures") : defaults.Signatures;
        var artifactTypes = fields.TryGetValue("artifact_types", out var at) ? ArtifactTypes(at, $"{path}.artifact_types") : defaults.ArtifactTypes;
        var backup = ReadBackup(fields, path, defaults, tags, ref ok);
        if (immutable && backup is not null && positions.TryGetValue("backup", out var backupAt))
        {
            Diagnostics.Warning(backupAt, $"{path}.backup", "immutable tags are never moved, so nothing is ever backed up");
        }
        var sign = fields.TryGetValue("sign", out var sn) ? new SigningPolicyReader(values).Read(sn, $"{path}.sign") : defaults.Sign;

        if (platforms is not null)
        {
            foreach (var missing in required.Where(r => !platforms.Any(x => x.Matches(r) || r.Matches(x))))
            {
                Diagnostics.Error(positions.GetValueOrDefault("required_platforms") ?? values.At(obj), $"{path}.required_platforms", $"required platform {missing} is not among the platforms to copy ({string.Join(", ", platforms)})");
                ok = false;
            }
        }

        if (!ok || name is null || upstream is null || target is null)
        {
            return null;
        }
        return new ImageSpec(name, upstream, target, tags, platforms, required, immutable, new FieldPositions(path, values.At(obj), positions), sample, Verify: verify,
            Signatures: signatures, ArtifactTypes: artifactTypes, Backup: backup, Sign: sign, Rules: rules);
    }

    /// <summary>The image's own backup template, or the defaults' (checked against this image's tags where it was written).</summary>
    private BackupTemplate? ReadBackup(Dictionary<string, JsonNodeAt> fields, string path, Defaults defaults, IReadOnlyList<TagSpec> tags, ref bool ok)
    {
        var reader = new BackupTemplateReader(values);
        var own = fields.TryGetValue("backup", out var node);
        var backup = own ? reader.Read(node!, $"{path}.backup", out _) : defaults.Backup;
        var at = own ? node : defaults.BackupNode;
        if (backup is not null && at is not null && !reader.Check(backup, at, own ? $"{path}.backup" : $"defaults.backup (for {path})", tags))
        {
            ok = false;
        }
        return backup;
    }

    /// <summary>The image's tag_rules (null when it has none); false when they were refused (reported).</summary>
    private (Selection.TagRules? Rules, bool Ok) ReadTagRules(Dictionary<string, JsonNodeAt> fields, string path)
    {
        if (!fields.TryGetValue("tag_rules", out var node))
        {
            return (null, true);
        }
        var rules = new TagRulesReader(values).Read(node, $"{path}.tag_rules");
        return (rules, rules is not null);
    }

    private SignaturesMode Signatures(JsonNodeAt node, string path)
    {
        switch (values.String(node, path))
        {
            case "copy":
                return SignaturesMode.Copy;
            case "follow":
                return SignaturesMode.Follow;
            case "none":
                return SignaturesMode.None;
            case { } other:
                values.Error(node, path, $"\"{Output.Untrusted.Line(other, 60)}\" is not a signatures mode: \"copy\" (the default), \"follow\" or \"none\"");
                break;
        }
        return SignaturesMode.Copy;
    }

    /// <summary>OCI artifactType values (media types, RFC 6838): the referrers to copy.</summary>
    private List<string>? ArtifactTypes(JsonNodeAt node, string path)
    {
        if (values.StringArray(node, path) is not { } items)
        {
            return null;
        }
        if (items.Count == 0)
        {
            values.Error(node, path, "an empty list copies no referrer; leave the field out to copy all, or set \"signatures\": \"none\"");
            return null;
        }
        var types = new List<string>();
        for (var i = 0; i < items.Count; i++)
        {
            var (text, itemNode) = items[i];
            if (!MediaTypePattern().IsMatch(text))
            {
                values.Error(itemNode, $"{path}[{i}]", $"\"{Output.Untrusted.Line(text, 100)}\" is not a media type (type/subtype, as application/vnd.dev.sigstore.bundle.v0.3+json)");
            }
            else if (types.Contains(text, StringComparer.Ordinal))
            {
                values.Error(itemNode, $"{path}[{i}]", $"artifact type {text} is listed twice");
            }
            else
            {
                types.Add(text);
            }
        }
        return types.Count == items.Count ? types : null;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$")]
    private static partial Regex MediaTypePattern();

    private Reference? Repository(JsonNodeAt? node, string path)
    {
        if (node is null || values.String(node, path) is not { } text)
        {
            return null;
        }
        if (!Reference.TryParseLocation(text, out var reference, out var error))
        {
            values.Error(node, path, error);
            return null;
        }
        if (reference!.Tag is not null || reference.Digest is not null)
        {
            values.Error(node, path, $"\"{text}\" must name a repository without a tag or digest (list tags under \"tags\")");
            return null;
        }
        return reference;
    }

    private List<Platform>? Platforms(JsonNodeAt node, string path, bool allowEmpty)
    {
        if (values.StringArray(node, path) is not { } items)
        {
            return null;
        }
        if (items.Count == 0 && !allowEmpty)
        {
            values.Error(node, path, "an empty platform list copies nothing; leave the field out to copy every platform");
            return null;
        }
        var platforms = new List<Platform>();
        for (var i = 0; i < items.Count; i++)
        {
            var (text, itemNode) = items[i];
            if (!Platform.TryParse(text, out var platform, out var error))
            {
                values.Error(itemNode, $"{path}[{i}]", error);
            }
            else if (platforms.Contains(platform!))
            {
                values.Error(itemNode, $"{path}[{i}]", $"platform {platform} is listed twice");
            }
            else
            {
                platforms.Add(platform!);
            }
        }
        return platforms.Count == items.Count ? platforms : null;
    }
}

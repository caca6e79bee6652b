using System.Text.RegularExpressions;

namespace ImageSync.References;

/// <summary>
/// An image reference, <c>registry/repository[:tag][@digest]</c>, parsed by the distribution reference
/// grammar and normalised as Docker does: no registry means docker.io, <c>index.docker.io</c> is docker.io,
/// and a one-word Docker Hub repository lives under <c>library/</c>. <paramref name="Layout"/>: the folder of an OCI
/// image layout (<c>ocidir://PATH</c>, as written), which is the whole repository; see <see cref="LayoutReference"/>.
/// </summary>
public sealed partial record Reference(string Registry, string Repository, string? Tag = null, Digest? Digest = null, string? Layout = null)
{
    public const string DockerHub = "docker.io";
    private const int MaxNameLength = 255;

    [GeneratedRegex("^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$")]
    private static partial Regex PathComponent();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"^(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])(?:\.(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]))*(?::[0-9]+)?$|^\[[0-9A-Fa-f:.]+\](?::[0-9]+)?$")]
    private static partial Regex DomainPattern();

    /// <summary>registry/repository (or ocidir://PATH), without tag or digest.</summary>
    public string Name => Layout is null ? $"{Registry}/{Repository}" : LayoutReference.Scheme + Layout;

    public bool IsLayout => Layout is not null;

    /// <summary>
    /// An image reference, or an OCI image layout as <c>ocidir://PATH[:TAG][@DIGEST]</c>: what a configuration's
    /// upstream and target and a report's source and target may name. <see cref="TryParse"/> stays registries only, so
    /// a name read from upstream's samples can never point the tool at the local disk.
    /// </summary>
    public static bool TryParseLocation(string? text, out Reference? reference, out string error) =>
        text is not null && text.StartsWith(LayoutReference.Scheme, StringComparison.Ordinal)
            ? LayoutReference.TryParse(text, out reference, out error)
            : TryParse(text, out reference, out error);

    public static Reference ParseLocation(string text) =>
        TryParseLocation(text, out var reference, out var error) ? reference! : throw new FormatException(error);

    public static bool IsValidTag(string? tag) => tag is not null && TagPattern().IsMatch(tag);

    /// <summary>The tag grammar with a message: what --tag, IMAGE_SYNC_TAG and the parameters file are checked against.</summary>
    public static bool IsTag(string text, out string error)
    {
        var ok = IsValidTag(text);
        error = ok ? "" : $"\"{Output.Untrusted.Line(text, 140)}\" is not a tag (letters, digits, _ . -; at most 128; not starting with . or -)";
        return ok;
    }

    public static bool TryParse(string? text, out Reference? reference, out string error)
    {
        reference = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "empty image reference";
            return false;
        }
        if (text.Trim() != text || text.Any(char.IsWhiteSpace))
        {
            error = $"\"{text}\" is not a valid image reference (it contains white space)";
            return false;
        }

        var rest = text;
        Digest? digest = null;
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            if (!References.Digest.TryParse(rest[(at + 1)..], out var d, out var digestError))
            {
                error = $"\"{text}\": {digestError}";
                return false;
            }
            digest = d;
            rest = rest[..at];
        }

        string? tag = null;
        var colon = rest.LastIndexOf(':');
        if (colon > rest.LastIndexOf('/'))
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
            if (!IsValidTag(tag))
            {
                error = $"\"{text}\" has an invalid tag \"{tag}\"";
                return false;
            }
        }

        if (!TrySplitName(rest, out var registry, out var repository, out error))
        {
            error = $"\"{text}\": {error}";
            return false;
        }
        reference = new Reference(registry, repository, tag, digest);
        return true;
    }

    public static Reference Parse(string text) =>
        TryParse(text, out var reference, out var error) ? reference! : throw new FormatException(error);

    private static bool TrySplitName(string name, out string registry, out string repository, out string error)
    {
        registry = DockerHub;
        repository = name;
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            var first = name[..slash];
            // Docker's rule: the first component is a registry only if it looks like a host.
            if (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost")
            {
                if (!DomainPattern().IsMatch(first))
                {
                    error = $"\"{first}\" is not a valid registry host";
                    return false;
                }
                registry = first.ToLowerInvariant() is "index.docker.io" or "registry-1.docker.io" ? DockerHub : first.ToLowerInvariant();
                if (LayoutReference.IsLayoutRegistry(registry))
                {
                    // The names imagesync gives OCI layouts: reached only by ocidir://PATH.
                    error = $"\"{first}\" is reserved for OCI layouts (write ocidir://PATH)";
                    return false;
                }
                repository = name[(slash + 1)..];
            }
        }
        if (repository.Length == 0)
        {
            error = "repository is empty";
            return false;
        }
        foreach (var component in repository.Split('/'))
        {
            if (!PathComponent().IsMatch(component))
            {
                error = component.Any(char.IsUpper)
                    ? $"repository \"{repository}\" must be lowercase"
                    : $"\"{component}\" is not a valid repository path component (lowercase letters, digits and single separators . _ __ -)";
                return false;
            }
        }
        if (registry == DockerHub && !repository.Contains('/', StringComparison.Ordinal))
        {
            repository = "library/" + repository;
        }
        if (registry.Length + 1 + repository.Length > MaxNameLength)
        {
            error = $"name is longer than {MaxNameLength} characters";
            return false;
        }
        error = "";
        return true;
    }

    /// <summary>
    /// A registry name as used in configs and --registry (docker.io, quay.io, host:port), normalised the way
    /// references are: index.docker.io is docker.io.
    /// </summary>
    public static bool TryParseRegistryName(string text, out string registry, out string error)
    {
        registry = "";
        var looksLikeHost = text.Contains('.', StringComparison.Ordinal) || text.Contains(':', StringComparison.Ordinal) || text == "localhost";
        if (!looksLikeHost || !TryParse(text + "/x", out var probe, out _))
        {
            error = $"\"{text}\" is not a registry name (e.g. docker.io, quay.io, localhost:5000)";
            return false;
        }
        registry = probe!.Registry;
        error = "";
        return true;
    }

    /// <summary>Where a registry name is reached: http(s)://host[:port], no path.</summary>
    public static bool TryParseRegistryUrl(string text, out Uri? url, out string error)
    {
        url = null;
        var at = text.IndexOf('@', StringComparison.Ordinal);
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (at > scheme && scheme >= 0 && text.IndexOf('/', scheme + 3) is var slash && (slash < 0 || at < slash))
        {
            // Never echo it: the part before @ is a secret.
            error = $"\"{text[..(scheme + 3)]}***@{text[(at + 1)..]}\" holds credentials; a registry URL must not (they would show in logs and the process list): name them with registries.NAME.username_env/password_env";
            return false;
        }
        if (Uri.TryCreate(text, UriKind.Absolute, out url) && url.Scheme is "http" or "https" && url.AbsolutePath is "/" or "" && url.Query.Length == 0 && url.Fragment.Length == 0)
        {
            error = "";
            return true;
        }
        url = null;
        error = $"\"{text}\" is not a registry URL (want http://host[:port] or https://host[:port])";
        return false;
    }

    public Reference WithTag(string tag) => this with { Tag = tag, Digest = null };

    public Reference WithDigest(Digest digest) => this with { Tag = null, Digest = digest };

    public Reference NameOnly() => this with { Tag = null, Digest = null };

    public override string ToString() =>
        Name + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);
}

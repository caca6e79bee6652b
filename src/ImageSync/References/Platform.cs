using System.Text.RegularExpressions;

namespace ImageSync.References;

/// <summary>An OCI platform, written <c>os/arch[/variant]</c>.</summary>
public sealed partial record Platform(string Os, string Architecture, string? Variant = null)
{
    // Platforms come from manifests and image configs too, and are shown in tables and messages: each part is one
    // short inert line, whatever a registry wrote (a configured platform already fits the grammar below).
    private const int MaxPartLength = 40;

    public string Os { get; init; } = Output.Untrusted.Line(Os, MaxPartLength);

    public string Architecture { get; init; } = Output.Untrusted.Line(Architecture, MaxPartLength);

    public string? Variant { get; init; } = Variant is null ? null : Output.Untrusted.Line(Variant, MaxPartLength);

    public static readonly Platform LinuxAmd64 = new("linux", "amd64");

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*$")]
    private static partial Regex Component();

    public static bool TryParse(string? text, out Platform? platform, out string error)
    {
        platform = null;
        var parts = (text ?? "").Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(p => !Component().IsMatch(p)))
        {
            error = $"\"{text}\" is not a valid platform (want os/arch or os/arch/variant, e.g. linux/arm64)";
            return false;
        }
        platform = new Platform(parts[0], parts[1], parts.Length == 3 ? parts[2] : null);
        error = "";
        return true;
    }

    public static Platform Parse(string text) =>
        TryParse(text, out var platform, out var error) ? platform! : throw new FormatException(error);

    /// <summary>
    /// Compares after the usual normalisation (regclient, containerd): arm64's variant v8 is the default,
    /// so linux/arm64 and linux/arm64/v8 are the same platform. A requested platform without a variant
    /// matches any variant.
    /// </summary>
    public bool Matches(Platform candidate)
    {
        if (Os != candidate.Os || Architecture != candidate.Architecture)
        {
            return false;
        }
        var wanted = NormalizedVariant(this);
        return wanted is null || wanted == NormalizedVariant(candidate);
    }

    private static string? NormalizedVariant(Platform p) =>
        p.Architecture == "arm64" && p.Variant == "v8" ? null : p.Variant;

    public override string ToString() => Variant is null ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";
}

using ImageSync.References;

namespace ImageSync.Config;

/// <summary>
/// One tag to keep: <paramref name="Source"/> is the upstream tag or digest, <paramref name="Target"/> the tag it is
/// written to. They differ when the source is a digest or the external-images format retags.
/// </summary>
public sealed record TagSpec(string Source, string Target, SourcePosition Position)
{
    // The one gate every tag passes before any request, whatever gave it (a config file, --tag, IMAGE_SYNC_TAG, the
    // parameters file): a tag goes into request paths that carry push credentials, so "../" or "/" must never reach one.
    public string Source { get; init; } = Source.Contains(':', StringComparison.Ordinal)
        ? Digest.TryParse(Source, out _, out var error) ? Source : throw new Errors.ImageSyncException($"{Position}: {error}")
        : Checked(Source, Position);

    public string Target { get; init; } = Checked(Target, Position);

    private static string Checked(string tag, SourcePosition position) =>
        Reference.IsTag(tag, out var error) ? tag : throw new Errors.ImageSyncException($"{position}: {error}");

    public bool SourceIsDigest => Source.Contains(':', StringComparison.Ordinal);

    public Reference SourceReference(Reference upstream) =>
        SourceIsDigest ? upstream.WithDigest(Digest.Parse(Source)) : upstream.WithTag(Source);

    public override string ToString() => Source == Target ? Target : $"{Source}->{Target}";
}

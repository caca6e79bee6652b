using ImageSync.Registry;

namespace ImageSync.Layout;

/// <summary>One of index.json's manifests: its descriptor and the tag its <c>org.opencontainers.image.ref.name</c> gives (null: none, or no tag).</summary>
public sealed record LayoutEntry(Descriptor Descriptor, string? Tag);

using ImageSync.References;

namespace ImageSync.Registry;

/// <summary>An OCI content descriptor: what a manifest says about a blob or a child manifest.</summary>
public sealed record Descriptor(string MediaType, Digest Digest, long Size, Platform? Platform = null, IReadOnlyList<string>? Urls = null)
{
    public bool IsNonDistributable => MediaTypes.IsNonDistributable(MediaType) && Urls is { Count: > 0 };
}

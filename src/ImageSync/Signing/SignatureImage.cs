using ImageSync.Registry;

namespace ImageSync.Signing;

/// <summary>
/// A cosign tag-scheme signature image ready to push: its manifest, and the blobs it names that are new (the
/// config and the payload layer just signed; the layers it kept are in the target already).
/// </summary>
public sealed record SignatureImage(ManifestDocument Manifest, IReadOnlyList<(Descriptor Descriptor, byte[] Content)> Blobs);

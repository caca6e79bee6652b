using ImageSync.Config;

namespace ImageSync.AutoUpdate;

/// <summary>
/// One vendored file replaced by upstream's bytes: which entry of upstream_samples.files, the file (full path),
/// before and after, the image references the new copy pins, and the link to upstream's copy.
/// </summary>
public sealed record VendoredUpdate(VendoredFile File, string FullPath, byte[] Before, byte[] After, IReadOnlyList<string> Pins, string WebUrl);

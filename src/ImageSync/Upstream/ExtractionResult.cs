namespace ImageSync.Upstream;

/// <summary>What extraction found in one file, and why a file was passed over.</summary>
public sealed record ExtractionResult(IReadOnlyList<ImageOccurrence> Images, IReadOnlyList<string> Notes);

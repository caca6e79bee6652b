using ImageSync.Copy;

namespace ImageSync.Reporting;

/// <summary>One --report file as read back: where it was, the run that wrote it, and its results.</summary>
public sealed record ReportContent(string Path, RunRecord Run, IReadOnlyList<TagResult> Results);

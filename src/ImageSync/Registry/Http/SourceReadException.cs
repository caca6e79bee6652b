namespace ImageSync.Registry.Http;

/// <summary>The body being uploaded failed while it was read from its source: the source's fault, not the target's.</summary>
public sealed class SourceReadException(Exception inner) : IOException(inner.Message, inner);

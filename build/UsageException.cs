namespace ImageSync.Build;

/// <summary>A mistake in how the tool was called: printed as one line, exit code 1.</summary>
internal sealed class UsageException(string message) : Exception(message);

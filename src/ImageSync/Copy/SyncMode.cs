namespace ImageSync.Copy;

/// <summary>Status reads tags; DryRun also reads everything a copy would read; Sync writes.</summary>
public enum SyncMode
{
    Status,
    DryRun,
    Sync,
}

/// <param name="Concurrency">Blob transfers at once: bandwidth-bound work.</param>
/// <param name="Checks">Tags worked on at once: their HEADs are latency-bound, so they run wider.</param>
public sealed record SyncOptions(SyncMode Mode, int Concurrency = ImageSync.Registry.SessionSettings.DefaultConcurrency, bool CopySignatures = true, bool FailFast = false, int Checks = ImageSync.Registry.SessionSettings.DefaultChecks);

namespace ImageSync.Copy;

/// <param name="Concurrency">Blob transfers at once: bandwidth-bound work.</param>
/// <param name="Checks">Tags worked on at once: their HEADs are latency-bound, so they run wider.</param>
public sealed record SyncOptions(SyncMode Mode, int Concurrency = ImageSync.Registry.SessionSettings.DefaultConcurrency, bool CopySignatures = true, bool FailFast = false, int Checks = ImageSync.Registry.SessionSettings.DefaultChecks);

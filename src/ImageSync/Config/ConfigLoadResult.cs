namespace ImageSync.Config;

/// <summary>
/// The outcome of loading: the model (null when the file could not be read) and every finding; with a kustomize
/// section, once derived (<see cref="Kustomize.KustomizeImages"/>), what the kustomizations yielded.
/// </summary>
public sealed record ConfigLoadResult(SyncConfig? Config, IReadOnlyList<Diagnostic> Diagnostics, Kustomize.KustomizeDerivation? Kustomize = null)
{
    public bool Succeeded => Config is not null && !Diagnostics.Any(d => d.IsError);

    public IEnumerable<Diagnostic> Errors => Diagnostics.Where(d => d.IsError);

    public IEnumerable<Diagnostic> Warnings => Diagnostics.Where(d => !d.IsError);
}

using System.Collections.Concurrent;
using ImageSync.Registry;

namespace ImageSync.Copy;

/// <summary>
/// quay.io and ghcr.io make a repository that a push creates private, and a mirror is there to be pulled by others:
/// after the push that created one, its first tag gets a note saying so and how to make it public (issue 18 §2).
/// quay.io: "If you push an image through the command-line interface without first creating a repository on the UI,
/// the created repository is set to Private, regardless of the plan you have" (Red Hat Quay, "About Quay.io",
/// https://docs.redhat.com/en/documentation/red_hat_quay/3.13/html/about_quay_io/use-quay-create-repo); visibility
/// under the repository's Settings, "Repository visibility" (managing_access_and_permissions/use-quay-create-repo).
/// ghcr.io: "When you first publish a package ..., the default visibility is private" (GitHub Docs, "Configuring a
/// package's access control and visibility", docs.github.com/en/packages/learn-github-packages/
/// configuring-a-packages-access-control-and-visibility); changed under the package's settings, "Change visibility".
/// The signal is the repository's tag list, read once per repository per run, only before the first write of a tag
/// the target does not have (never for a tag in sync): a 404 (NAME_UNKNOWN, the distribution spec's unknown
/// repository: ghcr.io for a package not yet published) or no tags (quay.io creates the repository when it grants the
/// push token: quay/quay endpoints/v2/v2auth.py, "Push-to-create") means nothing was there before this run. A tag list
/// that cannot be read says nothing, and never fails the tag.
/// </summary>
internal sealed class NewRepositories(RegistryClient client)
{
    private readonly SingleFlight<bool> _empty = new();
    private readonly ConcurrentDictionary<string, bool> _noted = new(StringComparer.Ordinal);

    /// <summary>The registries that make a repository created by a push private, by the name the configuration uses.</summary>
    private static string? Service(RepositoryAccess target) => target.Registry.ToLowerInvariant() switch
    {
        "quay.io" => "quay.io",
        "ghcr.io" => "ghcr.io",
        _ => null,
    };

    /// <summary>Before writing a tag the target lacks: whether the repository had no tags when the run first looked.</summary>
    public Task<bool> WasEmptyAsync(RepositoryAccess target, CancellationToken cancellationToken) =>
        Service(target) is null ? Task.FromResult(false) : _empty.RunAsync(target.Name.Name, async ct =>
        {
            try
            {
                await foreach (var _ in client.ListTagsAsync(target, ct).ConfigureAwait(false))
                {
                    return false;
                }
                return true;
            }
            catch (Exception e) when (e is Errors.ImageSyncException or IOException or InvalidDataException or System.Text.Json.JsonException)
            {
                return false;
            }
        }, cancellationToken);

    /// <summary>After a tag was written into a repository that was empty: the note, once per repository per run.</summary>
    public string? NoteOnce(RepositoryAccess target) => Service(target) is { } service && _noted.TryAdd(target.Name.Name, true)
        ? service == "quay.io"
            ? $"quay.io: {target.Repository} had no tags before this run; a repository a push creates is private on quay.io, whatever the plan: to let others pull it, "
                + $"https://quay.io/repository/{target.Repository}?tab=settings, \"Repository visibility\", Make public (https://docs.redhat.com/en/documentation/red_hat_quay/3/html/managing_access_and_permissions/use-quay-create-repo), or create repositories as public before their first push"
            : $"ghcr.io: {target.Repository} had no tags before this run; a new package is private on ghcr.io unless it inherits a linked repository's visibility: to let others pull it, "
                + $"{RefusalHint.PackageSettings(target.Repository)}, \"Change visibility\" (https://docs.github.com/en/packages/learn-github-packages/configuring-a-packages-access-control-and-visibility)"
        : null;
}

namespace ImageSync.Registry;

/// <summary>
/// What to say when a registry answers an upload with 404 <c>NAME_UNKNOWN</c>: it does not create repositories on
/// push. Recognised by that answer, not by the registry's name; the hint names the commands of the two services that
/// behave so. Amazon ECR: <c>aws ecr create-repository</c>, or a repository creation template applied for
/// <c>CREATE_ON_PUSH</c> so that ECR creates repositories under a prefix on the first push (AWS CLI reference,
/// create-repository-creation-template; "The repository with name 'X' does not exist in the registry with id 'N'").
/// Artifact Registry: the repository is the second part of the path (HOST/PROJECT/REPOSITORY/IMAGE, see
/// docker/build-push-action#171) and must be created with gcloud ("Repository \"X\" not found",
/// GoogleCloudPlatform/developer-journey-app#117).
/// </summary>
internal static class MissingRepositoryHint
{
    public static string For(RepositoryAccess target)
    {
        var parts = target.Repository.Split('/');
        var ecr = $"Amazon ECR: aws ecr create-repository --repository-name {target.Repository}, or once for every repository under a prefix: aws ecr create-repository-creation-template --prefix {parts[0]} --applied-for CREATE_ON_PUSH";
        if (parts.Length < 3)
        {
            return $"create it first ({ecr})";
        }
        // LOCATION-docker.pkg.dev names its location; under another name (a mapped endpoint) the user fills it in.
        var host = target.Registry.Split(':')[0];
        var location = host.EndsWith("-docker.pkg.dev", StringComparison.OrdinalIgnoreCase) ? host[..^"-docker.pkg.dev".Length] : "LOCATION";
        return $"create it first ({ecr}; Artifact Registry: gcloud artifacts repositories create {parts[1]} --repository-format=docker --location={location} --project={parts[0]})";
    }
}

using ImageSync.Config;
using ImageSync.Reporting;
using ImageSync.AutoUpdate;
using ImageSync.Upstream;
using Spectre.Console;

namespace ImageSync.Build;

/// <summary>AdoptSamples: write the kustomize section and upstream_samples.files for a checkout that vendors upstream's samples.</summary>
internal static class AdoptTarget
{
    public static async Task<int> AdoptSamples(TargetContext context)
    {
        var p = context.Parameters;
        var existing = File.Exists(p.Get(ParameterTable.Config)) ? await File.ReadAllBytesAsync(p.Get(ParameterTable.Config), context.CancellationToken).ConfigureAwait(false) : null;
        var configured = existing is null ? null : (await Targets.LoadAsync(context, quiet: true, derive: false).ConfigureAwait(false)).Config;
        var defaults = configured?.Samples ?? UpstreamSampleSource.Default;
        try
        {
            var samples = FollowTargets.UpstreamSamples(context, defaults);
            using var github = new GitHubSession(p.Get(ParameterTable.GitHubApiUrl), context.Environment("GITHUB_TOKEN"), FollowTargets.GitHubBounds(p));
            var folder = Path.GetDirectoryName(Path.GetFullPath(p.Get(ParameterTable.Config)))!;
            context.Out.WriteLine($"Matching the files of {folder}'s kustomizations to {samples.Repository}@{samples.Ref} by content");
            var result = await VendoredAdoption.FindAsync(folder, github.Archive, samples, github.Limits, context.CancellationToken).ConfigureAwait(false);
            foreach (var (path, upstream) in result.Files)
            {
                context.Out.WriteLine($"{path} is {samples.Repository}'s {upstream}");
            }
            foreach (var note in result.Notes)
            {
                context.Out.WriteLine($"note: {note}");
            }
            if (result.Files.Count == 0)
            {
                await context.Error.WriteLineAsync($"error: no file of a kustomization under {folder} is a copy of a file at {samples.Repository}@{samples.Ref}; nothing written").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
            var written = AdoptionConfig.Write(existing, result, samples);
            if (p.Get(ParameterTable.DryRun))
            {
                context.Out.WriteLine($"Dry run: {p.Get(ParameterTable.Config)} would be:");
                context.Out.WriteLine(System.Text.Encoding.UTF8.GetString(written));
                return ExitCodes.Success;
            }
            if (new FileInfo(p.Get(ParameterTable.Config)).LinkTarget is not null)
            {
                throw new ImageSync.Errors.ImageSyncException($"{p.Get(ParameterTable.Config)} is a symbolic link; AdoptSamples writes only regular files");
            }
            await File.WriteAllBytesAsync(p.Get(ParameterTable.Config), written, context.CancellationToken).ConfigureAwait(false);
            context.Out.WriteLine($"wrote kustomize and upstream_samples.files into {p.Get(ParameterTable.Config)} ({result.Files.Count} vendored files); review it, then run Validate and AutoUpdate --dry-run");
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is ImageSync.Errors.ImageSyncException or IOException or InvalidDataException or System.Text.Json.JsonException)
        {
            await context.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }
}

namespace ImageSync.Build;

/// <summary>The run's sources besides the command line: the environment and <c>.nuke/parameters.json</c>.</summary>
internal sealed record ParameterSources(Func<string, string?> Environment, ParametersFile File);

namespace ImageSync.Build;

/// <summary>Where a parameter's value came from, in the order Nuke reads them.</summary>
internal enum ParameterSource
{
    CommandLine,
    Environment,
    ParametersFile,
    Default,
}

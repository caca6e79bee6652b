using System.CommandLine;

namespace ImageSync.Build;

/// <summary>
/// One run's parameter values, as <see cref="ParameterTable"/> resolves them; a target reads one with
/// <see cref="Get{T}"/>, so a parameter needs no field here.
/// </summary>
internal sealed class BuildParameters
{
    private readonly Dictionary<Parameter, object?> _values;

    private BuildParameters(Dictionary<Parameter, object?> values) => _values = values;

    /// <summary>The value of <paramref name="parameter"/> in this run: given, or its default.</summary>
    public T Get<T>(Parameter<T> parameter) => _values.TryGetValue(parameter, out var value) ? (T)value! : parameter.Fallback;

    /// <summary>Whether <paramref name="parameter"/> has a value in this run (a default counts; null and "" do not).</summary>
    public bool IsSet(Parameter parameter) => _values.TryGetValue(parameter, out var value) && value is not (null or "");

    /// <summary>The configuration the run reads: --images-file when given, else --config.</summary>
    public string ConfigurationPath => Get(ParameterTable.ImagesFile) ?? Get(ParameterTable.Config);

    /// <summary>Every value given for a <see cref="Parameter.Secret"/> parameter, from wherever it came.</summary>
    public IEnumerable<string> Secrets => _values.Where(v => v.Key.Secret && v.Value is string { Length: > 0 }).Select(v => (string)v.Value!);

    /// <summary>The typed values of one parsed command line; paths given by default are relative to the repository root.</summary>
    public static BuildParameters Resolve(ParseResult parsed, IReadOnlyDictionary<Parameter, Option> options, ParameterSources sources, string root)
    {
        var values = new Dictionary<Parameter, object?>();
        foreach (var (parameter, option) in options)
        {
            var value = parameter.Read(parsed, option);
            // A path from the command line or the environment is relative to where the user is; a default, or one
            // from .nuke/parameters.json, to the repository root.
            if (parameter.RelativeToRoot && value is string path && !Path.IsPathRooted(path)
                && parameter.SourceOf(parsed, option, sources) is ParameterSource.Default or ParameterSource.ParametersFile)
            {
                value = Path.Combine(root, path);
            }
            values[parameter] = value;
        }
        return new BuildParameters(values);
    }
}

using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.Json.Nodes;

namespace ImageSync.Build;

/// <summary>
/// One build parameter, declared once: its flag, environment variable, description, type and default. Help, the
/// <c>.nuke/build.schema.json</c> schema and the README's table are generated from these declarations.
/// </summary>
internal abstract class Parameter(string name, string? env, string description, string? valueName)
{
    public string Name { get; } = name;

    public string? Env { get; } = env;

    public string Description { get; } = description;

    /// <summary>The placeholder in help (PATH, N); null for a switch.</summary>
    public string? ValueName { get; } = valueName;

    public string Flag => "--" + Name;

    /// <summary>The name in .nuke/parameters.json and its schema: PascalCase, as Nuke writes it.</summary>
    public string Key => string.Concat(Name.Split('-').Select(part => char.ToUpperInvariant(part[0]) + part[1..]));

    /// <summary>
    /// A secret (Nuke's <c>[Secret]</c>): its value, from wherever it came, joins the run's secret set before anything
    /// is printed, so no output shows it.
    /// </summary>
    public bool Secret { get; protected set; }

    /// <summary>A path that, given by default or in .nuke/parameters.json, is relative to the repository root.</summary>
    public bool RelativeToRoot { get; protected set; }

    /// <summary>The built-in default as help shows it; null when there is none.</summary>
    public abstract string? DefaultText { get; }

    /// <summary>This parameter's value in a parsed command line (boxed: the typed read is <see cref="BuildParameters.Get{T}"/>).</summary>
    public abstract object? Read(ParseResult parsed, Option option);

    public abstract Option CreateOption(ParameterSources sources);

    /// <summary>This parameter's entry in the JSON schema of .nuke/parameters.json.</summary>
    public abstract JsonObject Schema();

    public ParameterSource SourceOf(ParseResult parsed, Option option, ParameterSources sources) =>
        parsed.GetResult(option) is { Implicit: false } ? ParameterSource.CommandLine
        : Env is not null && sources.Environment(Env) is { Length: > 0 } ? ParameterSource.Environment
        : sources.File.Words(Key) is not null ? ParameterSource.ParametersFile
        : ParameterSource.Default;
}

/// <summary>A parameter of type <typeparamref name="T"/>: command line, then environment, then .nuke/parameters.json, then the default.</summary>
internal sealed class Parameter<T>(string name, string? env, string description, string? valueName, T fallback, ValueParser<T> parse, string schemaType, bool isSwitch = false, bool isList = false)
    : Parameter(name, env, description, valueName)
{
    public T Fallback { get; } = fallback;

    public override string? DefaultText => isSwitch || Fallback is null || Fallback is string { Length: 0 } || Fallback is System.Collections.ICollection { Count: 0 }
        ? null
        : Fallback is System.Collections.IEnumerable items and not string ? string.Join(", ", items.Cast<object>()) : Convert.ToString(Fallback, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Marks this parameter a secret (see <see cref="Parameter.Secret"/>).</summary>
    public Parameter<T> AsSecret()
    {
        Secret = true;
        return this;
    }

    /// <summary>Marks this parameter a path (see <see cref="Parameter.RelativeToRoot"/>).</summary>
    public Parameter<T> AsRootedPath()
    {
        RelativeToRoot = true;
        return this;
    }

    public override object? Read(ParseResult parsed, Option option) => parsed.GetValue((Option<T>)option);

    public override Option CreateOption(ParameterSources sources)
    {
        var option = new Option<T>(Flag)
        {
            Description = Description,
            HelpName = ValueName,
            Arity = isSwitch ? ArgumentArity.ZeroOrOne : isList ? ArgumentArity.OneOrMore : ArgumentArity.ExactlyOne,
            AllowMultipleArgumentsPerToken = false,
            CustomParser = result => Parse(result, [.. result.Tokens.Select(t => t.Value)], Flag),
            DefaultValueFactory = result => FromSources(result, sources),
        };
        return option;
    }

    private T FromSources(ArgumentResult result, ParameterSources sources)
    {
        if (Env is not null && sources.Environment(Env) is { Length: > 0 } text)
        {
            return Parse(result, isList ? text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [text], Env);
        }
        return sources.File.Words(Key) is { } words ? Parse(result, words, $"{ParametersFile.RelativePath}: {Key}") : Fallback;
    }

    private T Parse(ArgumentResult result, string[] words, string origin)
    {
        if (isSwitch && words.Length == 0)
        {
            return (T)(object)true;
        }
        if (parse(words, out var value, out var error))
        {
            return value;
        }
        result.AddError($"{origin}: {error}");
        return Fallback;
    }

    public override JsonObject Schema()
    {
        var schema = new JsonObject { ["type"] = schemaType, ["description"] = Description };
        if (isList)
        {
            schema["items"] = new JsonObject { ["type"] = "string" };
        }
        if (!isSwitch && DefaultText is { } text)
        {
            schema["default"] = schemaType == "integer" ? JsonValue.Create(int.Parse(text, System.Globalization.CultureInfo.InvariantCulture)) : JsonValue.Create(text);
        }
        return schema;
    }
}

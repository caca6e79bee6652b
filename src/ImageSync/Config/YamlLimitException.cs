using YamlDotNet.Core;

namespace ImageSync.Config;

/// <summary>Well-formed YAML that goes past a <see cref="BoundedYaml"/> limit.</summary>
public sealed class YamlLimitException(Mark start, Mark end, string message) : YamlException(start, end, message);

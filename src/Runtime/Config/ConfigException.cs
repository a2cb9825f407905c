namespace Sharpflow.Config;

/// <summary>A config could not be read, bound or validated; the message names the flow, config, source, key and line where known.</summary>
public sealed class ConfigException(string message, string config, string source, string? key = null, int? line = null, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>The config's name.</summary>
    public string Config { get; } = config;

    /// <summary>The file (or <c>--config-value</c>) the config came from.</summary>
    public string ConfigSource { get; } = source;

    /// <summary>The key at fault (dotted path), when known.</summary>
    public string? Key { get; } = key;

    /// <summary>The 1-based line in the source, when the parser gives it.</summary>
    public int? Line { get; } = line;
}

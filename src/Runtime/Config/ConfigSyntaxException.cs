namespace Sharpflow.Config;

/// <summary>A config file is not valid TOML, JSON or YAML; <see cref="Line"/> is the 1-based line the parser stopped at.</summary>
public sealed class ConfigSyntaxException(string message, int line, Exception? inner = null) : FormatException(message, inner)
{
    /// <summary>The 1-based line of the error in the file.</summary>
    public int Line { get; } = line;
}

namespace Sharpflow;

/// <summary>
/// Marks a public settable property as a config: resolved when the run starts (from <see cref="Default"/>,
/// <c>--config name=path</c> or <c>--config-value name='{json}'</c>), validated, stored with the run, identical and
/// read-only in every task. Its type is your own record or class (bound and validated with DataAnnotations and
/// <c>IValidatableObject</c>) or <see cref="Sharpflow.Config.ConfigValue"/> for an untyped tree. Formats: TOML, JSON, YAML, by extension.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class ConfigAttribute(string name) : Attribute
{
    /// <summary>The config's name (used by <c>--config name=...</c> and <c>run.Configs[name]</c>).</summary>
    public string Name { get; } = name;

    /// <summary>The file used when none is given, relative to the working directory; null means the config must be given.</summary>
    public string? Default { get; set; }

    /// <summary>A custom parser (a class implementing <see cref="Sharpflow.Config.IConfigParser"/>), e.g. to merge a base file with an override.</summary>
    public Type? Parser { get; set; }

    /// <summary>Help text for <c>--help</c> and <c>show</c>.</summary>
    public string? Help { get; set; }
}

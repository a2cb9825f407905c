namespace Sharpflow;

/// <summary>
/// Marks a public settable property of a flow as a run parameter: resolved when the run starts, given on the command
/// line as <c>--kebab-case-name</c>, read-only and identical in every task.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class ParameterAttribute : Attribute
{
    /// <summary>Creates the attribute; the parameter name defaults to the property name in kebab-case.</summary>
    public ParameterAttribute(string? name = null) => Name = name;

    /// <summary>The parameter's name on the command line (without dashes); null means the property name in kebab-case.</summary>
    public string? Name { get; }

    /// <summary>Help text shown by <c>--help</c> and <c>show</c>.</summary>
    public string? Help { get; set; }

    /// <summary>When true a value must be given for every run; the property's initial value is not used.</summary>
    public bool Required { get; set; }
}

namespace Sharpflow;

/// <summary>
/// Marks a public settable <c>string</c> (text, read as UTF-8) or <c>byte[]</c> property as a file included in the run,
/// as Metaflow's <c>IncludeFile</c>: given on the command line as <c>--kebab-case-name PATH</c> (default
/// <see cref="Default"/>), the file is read when the run starts and stored in the datastore by its content hash, and
/// every task, here or on a remote machine, sees its content. Resume and spin keep the content the run read, even when
/// the file has changed since.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class IncludeFileAttribute : Attribute
{
    /// <summary>Creates the attribute; the parameter name defaults to the property name in kebab-case.</summary>
    public IncludeFileAttribute(string? name = null) => Name = name;

    /// <summary>The parameter's name on the command line (without dashes); null means the property name in kebab-case.</summary>
    public string? Name { get; }

    /// <summary>The file read when none is given, relative to the working directory; null for none (the property keeps its value).</summary>
    public string? Default { get; set; }

    /// <summary>Help text shown by <c>--help</c> and <c>show</c>.</summary>
    public string? Help { get; set; }

    /// <summary>When true a file must be given for every run.</summary>
    public bool Required { get; set; }
}

namespace Sharpflow.Formatting;

/// <summary>
/// Tells Polyglot Notebooks (.NET Interactive) how to display a type, without a compile-time reference to it: the
/// kernel matches this attribute by its simple name and asks <see cref="FormatterSourceType"/> for formatters.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
internal sealed class TypeFormatterSourceAttribute(Type formatterSourceType) : Attribute
{
    /// <summary>The type whose <c>CreateTypeFormatters()</c> returns the formatters.</summary>
    public Type FormatterSourceType { get; } = formatterSourceType;

    /// <summary>The MIME types to prefer, best first.</summary>
    public string[] PreferredMimeTypes { get; set; } = ["text/html", "text/plain"];
}

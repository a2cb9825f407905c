using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Sharpflow.LanguageServer.Checks;

/// <summary>
/// SF0105–SF0107: what the C# compiler cannot see about run parameters. The compiler already rejects an initial value
/// of the wrong C# type; these checks add what breaks at run time: a type that can neither be parsed from the command
/// line nor restored from the run's stored JSON (or a property without a public setter), an enum default that is not
/// one of the enum's values, and an initial value on a Required parameter (never used).
/// </summary>
internal static class ParameterCheck
{
    private static readonly HashSet<string> ReadableCollectionInterfaces = new(StringComparer.Ordinal)
    {
        "IEnumerable", "ICollection", "IList", "IReadOnlyCollection", "IReadOnlyList", "ISet", "IReadOnlySet", "IDictionary", "IReadOnlyDictionary",
    };

    public static IEnumerable<SourceFinding> Check(FlowSource flow)
    {
        foreach (var property in flow.Hierarchy().SelectMany(t => t.GetMembers()).OfType<IPropertySymbol>())
        {
            var attribute = property.GetAttributes().FirstOrDefault(a => a.AttributeClass?.Name == nameof(ParameterAttribute));
            if (attribute is null || property.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is not PropertyDeclarationSyntax declaration)
            {
                continue;
            }
            var name = "--" + (attribute.ConstructorArguments.FirstOrDefault().Value as string ?? FlowParameter.KebabCase(property.Name));
            if (Unsupported(property) is { } reason)
            {
                yield return new SourceFinding(EditorRules.ParameterType.At(flow.Flow, null, name, reason), declaration.Identifier.GetLocation());
                continue;
            }
            if (declaration.Initializer is not { } initializer)
            {
                continue;
            }
            var required = attribute.NamedArguments.Any(a => a.Key == nameof(ParameterAttribute.Required) && a.Value.Value is true);
            if (required)
            {
                yield return new SourceFinding(EditorRules.RequiredParameterDefault.At(flow.Flow, null, name, initializer.Value.ToString()), initializer.Value.GetLocation());
                continue;
            }
            var type = property.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : property.Type;
            if (type is INamedTypeSymbol { TypeKind: TypeKind.Enum } enumType && !FlowSource.Has(enumType.GetAttributes(), "Flags")
                && flow.Model(initializer.SyntaxTree).GetConstantValue(initializer.Value) is { HasValue: true, Value: { } value })
            {
                var members = enumType.GetMembers().OfType<IFieldSymbol>().Where(f => f.HasConstantValue).ToArray();
                if (!members.Any(m => Equals(m.ConstantValue, value)))
                {
                    yield return new SourceFinding(
                        EditorRules.ParameterDefault.At(flow.Flow, null, name, initializer.Value.ToString(), enumType.Name, string.Join(", ", members.Select(m => m.Name))),
                        initializer.Value.GetLocation());
                }
            }
        }
    }

    /// <summary>Why the property cannot hold a run parameter, or null when it can.</summary>
    private static string? Unsupported(IPropertySymbol property)
    {
        if (property.SetMethod is not { DeclaredAccessibility: Accessibility.Public } || property.GetMethod is not { DeclaredAccessibility: Accessibility.Public })
        {
            return "needs a public getter and setter";
        }
        var type = property.Type;
        return type switch
        {
            { TypeKind: TypeKind.Delegate } => $"has delegate type {type.Name}, which has no value on the command line",
            { TypeKind: TypeKind.Interface } when !ReadableCollectionInterfaces.Contains(type.Name) || type.ContainingNamespace.ToDisplayString() != "System.Collections.Generic"
                => $"has interface type {type.Name}, which cannot be created from the command line or from stored JSON",
            { IsAbstract: true, TypeKind: TypeKind.Class } when !FlowSource.Has(type.GetAttributes(), "JsonPolymorphic") && !FlowSource.Has(type.GetAttributes(), "JsonDerivedType")
                => $"has abstract type {type.Name}, which cannot be created from the command line or from stored JSON (no [JsonDerivedType] on it)",
            { SpecialType: SpecialType.System_Object } => "has type object, whose value would come back as a JsonElement; give it a concrete type",
            _ => null,
        };
    }
}

using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Sharpflow.Compute;
using Sharpflow.Extensibility;

namespace Sharpflow.LanguageServer.Checks;

/// <summary>
/// SF0108 (information): a step with <c>[Resources(Gpu = n)]</c>, n &gt; 0, and no compute attribute: a plain run
/// executes it on this machine, without GPUs. A compute attribute is any attribute implementing
/// <see cref="IComputeAttribute"/>, whichever add-on brings it.
/// </summary>
internal static class GpuBackendCheck
{
    /// <summary>The compute attributes to suggest: those of the add-ons here and the official ones.</summary>
    private static IEnumerable<string> ComputeAttributes =>
        AddOns.ComputeBackends.Select(b => b.AttributeType).OfType<Type>().Select(ComputeRequest.AttributeName)
            .Concat(OfficialAddOns.Backends.Values.SelectMany(package => OfficialAddOns.Attributes.Where(a => a.Value == package).Select(a => a.Key)))
            .Distinct(StringComparer.Ordinal);

    public static IEnumerable<SourceFinding> Check(FlowSource flow)
    {
        foreach (var step in flow.Graph.Steps)
        {
            var method = flow.StepSymbol(step.Name);
            var gpus = method is null ? null : GpusOf(method);
            if (method is null || gpus is not > 0 || BackendOf(method) is not null
                || method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is not MethodDeclarationSyntax declaration)
            {
                continue;
            }
            yield return new SourceFinding(
                EditorRules.GpuWithoutBackend.At(flow.Flow, step.Name, gpus, string.Join(", ", ComputeAttributes.Select(b => $"[{b}]"))),
                declaration.Identifier.GetLocation());
        }
    }

    /// <summary>The GPUs a step asks for with a literal <c>[Resources(Gpu = n)]</c>, or null.</summary>
    public static int? GpusOf(IMethodSymbol method) =>
        method.GetAttributes().FirstOrDefault(a => a.AttributeClass?.Name == nameof(ResourcesAttribute))?
            .NamedArguments.FirstOrDefault(a => a.Key == nameof(ResourcesAttribute.Gpu)).Value.Value as int?;

    /// <summary>True when the step has a <c>[Resources]</c> attribute.</summary>
    public static bool HasResources(IMethodSymbol method) => method.GetAttributes().Any(a => a.AttributeClass?.Name == nameof(ResourcesAttribute));

    /// <summary>The compute backend a step's attribute names (<c>slurm</c>), or null.</summary>
    public static string? BackendOf(IMethodSymbol method)
    {
        var attribute = method.GetAttributes().Select(a => a.AttributeClass).LastOrDefault(c =>
            c is not null && c.AllInterfaces.Any(i => i.Name == nameof(IComputeAttribute) && i.ContainingNamespace.ToDisplayString() == "Sharpflow"));
        if (attribute is null)
        {
            return null;
        }
        var fullName = attribute.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", "", StringComparison.Ordinal);
        return AddOns.ComputeBackends.FirstOrDefault(b => b.AttributeType?.FullName == fullName)?.Name
            ?? (attribute.Name.EndsWith("Attribute", StringComparison.Ordinal) ? attribute.Name[..^"Attribute".Length] : attribute.Name).ToLowerInvariant();
    }
}

using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Sharpflow.LanguageServer.Checks;

/// <summary>
/// SF0108 (information): a step with <c>[Resources(Gpu = n)]</c>, n &gt; 0, and no compute attribute: a plain run
/// executes it on this machine, without GPUs. Compute attributes are recognised by name (<see cref="ComputeBackends"/>).
/// </summary>
internal static class GpuBackendCheck
{
    /// <summary>The compute attributes that send a step to another machine (Slurm, SSH GPU host, Kubernetes).</summary>
    public static readonly IReadOnlyList<string> ComputeBackends = ["Slurm", "Ssh", "Kubernetes"];

    public static IEnumerable<SourceFinding> Check(FlowSource flow)
    {
        foreach (var step in flow.Graph.Steps)
        {
            var method = flow.Hierarchy().SelectMany(t => t.GetMembers(step.Name).OfType<IMethodSymbol>()).FirstOrDefault();
            var gpus = method is null ? null : GpusOf(method);
            if (method is null || gpus is not > 0 || BackendOf(method) is not null
                || method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is not MethodDeclarationSyntax declaration)
            {
                continue;
            }
            yield return new SourceFinding(
                EditorRules.GpuWithoutBackend.At(flow.Flow, step.Name, gpus, string.Join(", ", ComputeBackends.Select(b => $"[{b}]"))),
                declaration.Identifier.GetLocation());
        }
    }

    /// <summary>The GPUs a step asks for with a literal <c>[Resources(Gpu = n)]</c>, or null.</summary>
    public static int? GpusOf(IMethodSymbol method) =>
        method.GetAttributes().FirstOrDefault(a => a.AttributeClass?.Name == nameof(ResourcesAttribute))?
            .NamedArguments.FirstOrDefault(a => a.Key == nameof(ResourcesAttribute.Gpu)).Value.Value as int?;

    /// <summary>True when the step has a <c>[Resources]</c> attribute.</summary>
    public static bool HasResources(IMethodSymbol method) => method.GetAttributes().Any(a => a.AttributeClass?.Name == nameof(ResourcesAttribute));

    /// <summary>The compute backend a step's attribute names (lower case), or null.</summary>
    public static string? BackendOf(IMethodSymbol method) =>
        ComputeBackends.FirstOrDefault(b => FlowSource.Has(method.GetAttributes(), b))?.ToLowerInvariant();
}

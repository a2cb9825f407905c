using Microsoft.CodeAnalysis;
using Sharpflow.Extensibility;
using Sharpflow.Graph;

namespace Sharpflow.LanguageServer.Checks;

/// <summary>
/// SF0111: the compiler cannot find an attribute an official add-on brings (<c>[Slurm]</c> without Sharpflow.Slurm);
/// instead of "type or namespace not found", the editor names the package to add.
/// </summary>
internal static class MissingAddOnCheck
{
    /// <summary>The finding for a compiler error that is a missing add-on attribute, or null.</summary>
    public static GraphDiagnostic? Check(Diagnostic error)
    {
        if (error.Id is not ("CS0246" or "CS0103") || error.Location.SourceTree is not { } tree)
        {
            return null;
        }
        var name = tree.GetText().ToString(error.Location.SourceSpan).Trim();
        name = name.EndsWith("Attribute", StringComparison.Ordinal) ? name[..^"Attribute".Length] : name;
        var node = tree.GetRoot().FindNode(error.Location.SourceSpan);
        return node.FirstAncestorOrSelf<Microsoft.CodeAnalysis.CSharp.Syntax.AttributeSyntax>() is not null
            && OfficialAddOns.Attributes.TryGetValue(name, out var package)
            ? EditorRules.MissingAddOn.At("", null, name, package)
            : null;
    }
}

using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Sharpflow.Config;

namespace Sharpflow.LanguageServer.Checks;

/// <summary>
/// SF0103/SF0104: a <c>[Config(Default = "...")]</c> file is loaded, parsed and bound to the config's type exactly as a
/// run would (the runtime's <see cref="ConfigResolver.CheckDefault"/>), looking next to the document and its project.
/// A file that does not parse or bind is reported on the <c>Default</c> argument, with the file's line as related information.
/// </summary>
internal static class ConfigDefaultCheck
{
    public static IEnumerable<SourceFinding> Check(FlowSource flow)
    {
        foreach (var member in flow.Hierarchy().SelectMany(t => t.GetMembers()))
        {
            var attribute = member.GetAttributes().FirstOrDefault(a => a.AttributeClass?.Name == nameof(ConfigAttribute));
            if (attribute?.ApplicationSyntaxReference?.GetSyntax() is not AttributeSyntax syntax
                || attribute.ConstructorArguments.FirstOrDefault().Value is not string name
                || attribute.NamedArguments.FirstOrDefault(a => a.Key == nameof(ConfigAttribute.Default)).Value.Value is not string file)
            {
                continue;
            }
            var location = syntax.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.Text == nameof(ConfigAttribute.Default))?.Expression.GetLocation()
                ?? syntax.GetLocation();
            var finding = Load(flow, name, file, location);
            if (finding is not null)
            {
                yield return finding;
            }
        }
    }

    private static SourceFinding? Load(FlowSource flow, string name, string file, Location location)
    {
        var exists = Path.IsPathRooted(file) ? File.Exists(file) : flow.SearchDirectories.Any(d => File.Exists(Path.Combine(d, file)));
        if (!exists)
        {
            var searched = flow.SearchDirectories.Count == 0 ? "no folder known for this document" : string.Join(", ", flow.SearchDirectories);
            return new SourceFinding(EditorRules.ConfigDefaultMissing.At(flow.Flow, null, name, file, searched), location);
        }
        try
        {
            ConfigResolver.CheckDefault(flow.FlowType, name, flow.SearchDirectories);
            return null;
        }
        catch (ConfigException e)
        {
            var related = e.Line is { } line ? new RelatedLine(e.ConfigSource, line, e.Message) : null;
            return new SourceFinding(EditorRules.ConfigDefaultInvalid.At(flow.Flow, null, e.Message), location, related);
        }
    }
}

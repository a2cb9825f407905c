namespace Sharpflow.CellFlows;

/// <summary>What an exported flow file refers to: the Sharpflow runtime (a project or the package) and the notebook's packages.</summary>
public sealed record ExportOptions
{
    /// <summary>The runtime's project file (written as <c>#:project</c>, relative to the exported file); null for <c>#:package Sharpflow@version</c>.</summary>
    public string? RuntimeProject { get; init; }

    /// <summary>NuGet packages the flow uses, as <c>Name@Version</c> (written as <c>#:package</c>).</summary>
    public IReadOnlyList<string> Packages { get; init; } = [];
}

/// <summary>
/// Writes a cell flow as a production flow file: a file-based app (<c>dotnet run Churn.cs -- run</c>) with the
/// runtime and packages as <c>#:</c> directives, the flow class with one method per step, and the cells' types.
/// </summary>
public static class CellFlowExporter
{
    /// <summary>The file's text; throws <see cref="InvalidOperationException"/> while a step that cells name has no cell.</summary>
    public static string Export(CellFlow flow, string targetPath, ExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(flow);
        options ??= new ExportOptions();
        if (flow.WhatIsMissing() is { } missing)
        {
            throw new InvalidOperationException($"Flow '{flow.Name}' cannot be exported yet: {missing}");
        }
        var runtime = options.RuntimeProject is { } project
            ? $"#:project {Path.GetRelativePath(Path.GetDirectoryName(Path.GetFullPath(targetPath))!, Path.GetFullPath(project)).Replace('\\', '/')}"
            : $"#:package Sharpflow@{PackageVersion(typeof(FlowSpec).Assembly)}";
        // The #: directives come first; then a note on where the file came from.
        var header = new List<string> { runtime };
        header.AddRange(options.Packages.Select(p => $"#:package {p}"));
        header.Add("");
        header.Add($"// Flow {flow.Name}, exported from notebook cells by Sharpflow. Run it with: dotnet run {Path.GetFileName(targetPath)} -- run");
        var source = CellFlowSource.Generate(flow, CellSourceStyle.Clean).Source;
        var usingsEnd = source.IndexOf("\n\n", StringComparison.Ordinal);
        return string.Join('\n', header) + "\n\n" + source[..(usingsEnd + 1)]
            + $"\nreturn await FlowMain.RunAsync<{flow.Name}>(args);\n" + source[(usingsEnd + 1)..];
    }

    /// <summary>The NuGet version an assembly was packed as: its informational version (prerelease suffix kept, build metadata dropped).</summary>
    internal static string PackageVersion(System.Reflection.Assembly assembly)
    {
        var informational = assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion;
        return informational is { Length: > 0 } ? informational.Split('+')[0] : assembly.GetName().Version?.ToString(3) ?? "1.0.0";
    }
}

namespace Sharpflow.Interactive;

/// <summary>Finds the runtime's project file when Sharpflow runs from a source checkout (exports then use <c>#:project</c> instead of the package).</summary>
public static class RuntimeProject
{
    /// <summary>The path of <c>src/Runtime/Sharpflow.Runtime.csproj</c> above the loaded runtime assembly, or null (use the NuGet package).</summary>
    public static string? Find()
    {
        for (var directory = Path.GetDirectoryName(typeof(FlowSpec).Assembly.Location); directory is not null; directory = Path.GetDirectoryName(directory))
        {
            var project = Path.Combine(directory, "src", "Runtime", "Sharpflow.Runtime.csproj");
            if (File.Exists(project))
            {
                return project;
            }
        }
        return null;
    }
}

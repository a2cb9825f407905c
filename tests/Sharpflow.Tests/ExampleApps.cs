namespace Sharpflow.Tests;

/// <summary>The examples' own build outputs (what `dotnet build examples/...` wrote), with only the packages each references.</summary>
public static class ExampleApps
{
    /// <summary>HelloFlow's folder: the core package only, no add-on.</summary>
    public static string HelloFlow
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
            return Path.Combine(ChildProcess.RepositoryRoot(), "examples", "HelloFlow", "bin", configuration, "net10.0");
        }
    }
}

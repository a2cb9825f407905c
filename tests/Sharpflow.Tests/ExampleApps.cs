namespace Sharpflow.Tests;

/// <summary>The examples' own build outputs (what `dotnet build examples/...` wrote), with only the packages each references.</summary>
public static class ExampleApps
{
    /// <summary>HelloFlow's folder: the core package only, no add-on.</summary>
    public static string HelloFlow => Output("HelloFlow");

    /// <summary>TrainFlow's folder: ML.NET (with native assets for every platform) and Plotly.NET.</summary>
    public static string TrainFlow => Output("TrainFlow");

    private static string Output(string example)
    {
        var configuration = ChildProcess.BuildConfiguration;
        return Path.Combine(ChildProcess.RepositoryRoot(), "examples", example, "bin", configuration, "net10.0");
    }
}

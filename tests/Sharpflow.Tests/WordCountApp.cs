namespace Sharpflow.Tests;

/// <summary>
/// The file-based example (<c>examples/FileBased/wordcount.cs</c>) copied into a test's own folder, its <c>#:project</c>
/// pointing at this checkout's runtime, and run by the SDK (<c>dotnet run wordcount.cs -- ...</c>) on a private datastore.
/// </summary>
internal sealed class WordCountApp
{
    /// <summary>The join's line that <see cref="EditJoin"/> changes.</summary>
    public const string JoinLine = "Top = $\"{best.Word}={best.Count}\";";

    private WordCountApp(string path, string source, string datastore)
    {
        Path = path;
        Source = source;
        Datastore = datastore;
    }

    /// <summary>The app's file.</summary>
    public string Path { get; }

    /// <summary>The app's text as copied.</summary>
    public string Source { get; }

    /// <summary>The datastore its runs go to.</summary>
    public string Datastore { get; }

    /// <summary>The app's text with the join formatting its result differently.</summary>
    public string EditedJoin => Source.Replace(JoinLine, "Top = $\"{best.Word}: {best.Count}\";", StringComparison.Ordinal);

    /// <summary>Writes the app into <paramref name="store"/>'s folder; its runs go to a datastore beside it.</summary>
    public static WordCountApp In(TempDatastore store)
    {
        var folder = Directory.CreateDirectory(System.IO.Path.Combine(store.Root, "app")).FullName;
        var runtime = System.IO.Path.Combine(ChildProcess.RepositoryRoot(), "src", "Runtime", "Sharpflow.Runtime.csproj");
        var source = File.ReadAllText(System.IO.Path.Combine(ChildProcess.RepositoryRoot(), "examples", "FileBased", "wordcount.cs"))
            .Replace("#:project ../../src/Runtime/Sharpflow.Runtime.csproj", $"#:project {runtime}", StringComparison.Ordinal);
        Assert.Contains(JoinLine, source);
        var app = new WordCountApp(System.IO.Path.Combine(folder, "wordcount.cs"), source, System.IO.Path.Combine(store.Root, "runs"));
        File.WriteAllText(app.Path, source);
        return app;
    }

    /// <summary>Replaces the app's text (the next <see cref="RunAsync"/> builds it again).</summary>
    public void Write(string text) => File.WriteAllText(Path, text);

    /// <summary>A run of the app on <paramref name="text"/>, which must succeed; returns the run.</summary>
    public async Task<Client.Run> RunFlowAsync(string text, params string[] options)
    {
        var result = await RunAsync(["run", .. options, "--text", text]);
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        return new Client.Flow("WordCountFlow", new Client.ClientOptions { DatastoreRoot = Datastore }).LatestRun!;
    }

    /// <summary><c>dotnet run wordcount.cs -- ARGUMENTS --datastore ...</c>, building the app (and the checkout's runtime) as needed.</summary>
    public Task<ChildProcess.Result> RunAsync(params string[] arguments) =>
        ChildProcess.DotnetBuildingCheckoutAsync(System.IO.Path.GetDirectoryName(Path)!, null, ["run", Path, "--", .. arguments, "--datastore", Datastore]);
}

using Sharpflow.S3;
using System.IO.Compression;
using Sharpflow.Client;
using Sharpflow.Datastore;
using Sharpflow.Execution;
using Sharpflow.Packaging;

namespace Sharpflow.Tests;

/// <summary>Code packages: built from a flow application, stored once in the (S3) datastore, verified when extracted, and run by workers.</summary>
[Collection(S3Collection.Name)]
public class CodePackageTests
{
    private static string HelloApp => ExampleApps.HelloFlow;

    [Fact]
    public async Task APackageIsDeterministicStoredOnceAndVerifiedWhenExtracted()
    {
        var package = CodePackage.Build(typeof(HelloFlow), HelloApp);
        Assert.Equal(package.Manifest.Hash, CodePackage.Build(typeof(HelloFlow), HelloApp).Manifest.Hash); // same code, same package
        Assert.Equal("HelloFlow.dll", package.Manifest.EntryAssembly);
        Assert.Contains(package.Manifest.Files, f => f.Path == "Sharpflow.dll");
        Assert.Contains(package.Manifest.Files, f => f.Path == "HelloFlow.runtimeconfig.json");
        Assert.Equal(["Start", "Greet", "Join", "End"], package.Manifest.Steps);

        var store = DatastoreLocation.Open(S3Server.NewRoot());
        Assert.True(await package.StoreAsync(store));
        Assert.False(await package.StoreAsync(store)); // identical code is not uploaded again
        var listed = Assert.Single(await CodePackage.ListAsync(store, "HelloFlow"));
        Assert.Equal(package.Manifest.Hash, listed.Hash);
        Assert.Equal(listed, await CodePackage.FindAsync(store, "HelloFlow", listed.Hash[..8]), new ManifestHash());

        var cache = Directory.CreateTempSubdirectory("sharpflow-packages-").FullName;
        var app = await CodePackage.ExtractAsync(store, listed, cache);
        Assert.True(File.ReadAllBytes(Path.Combine(app, "HelloFlow.dll")).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(HelloApp, "HelloFlow.dll"))));

        // A package whose bytes changed in the datastore is refused.
        using var tampered = new MemoryStream();
        await using (var original = new MemoryStream(package.Archive))
        {
            await original.CopyToAsync(tampered);
        }
        using (var zip = new ZipArchive(tampered, ZipArchiveMode.Update, leaveOpen: true))
        {
            zip.GetEntry("app/HelloFlow.dll")!.Delete();
            await using var entry = zip.CreateEntry("app/HelloFlow.dll").Open();
            entry.Write("not the flow"u8);
        }
        await store.SaveAsync([new BlobWrite(DatastoreLayout.Package("HelloFlow", listed.Hash), tampered.ToArray())]);
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => CodePackage.ExtractAsync(store, listed, Directory.CreateTempSubdirectory("sharpflow-packages-").FullName));
        Assert.Contains("HelloFlow.dll does not match its hash", error.Message);
    }

    [Fact]
    public void AFlowWithoutAnApplicationIsPackedWithTheGenericWorkerItsClosureAndItsConfigFiles()
    {
        var settings = $"sf-settings-{Guid.NewGuid():N}.json";
        File.WriteAllText(settings, "{ \"epochs\": 3 }");
        try
        {
            var catalog = new CellFlows.CellFlowCatalog();
            catalog.Define(CellFlows.FlowCellParser.Parse($"#!flow-define PackedCells\n[Config(\"settings\", Default = \"{settings}\")] public Settings Settings {{ get; set; }} = new();\npublic class Settings {{ public int Epochs {{ get; set; }} }}")!);
            var flow = catalog.Define(CellFlows.FlowCellParser.Parse("#!step start --flow PackedCells --next end\nConsole.WriteLine(Settings.Epochs);")!);
            var type = new CellFlows.CellFlowCompiler().Compile(CellFlows.CellFlowSource.Generate(flow, CellFlows.CellSourceStyle.Mapped));

            var package = CodePackage.Build(type);

            Assert.Equal("Sharpflow.Worker.dll", package.Manifest.EntryAssembly);
            Assert.Equal([$"{type.Assembly.GetName().Name}.dll", "PackedCells"], package.Manifest.Arguments);
            var files = package.Manifest.Files.Select(f => f.Path).ToArray();
            Assert.Contains("Sharpflow.dll", files);
            Assert.Contains("System.CommandLine.dll", files); // needed by the worker's command line, though not loaded here
            Assert.Contains(settings, files);
            Assert.DoesNotContain("System.Private.CoreLib.dll", files); // the framework comes with .NET
        }
        finally
        {
            File.Delete(settings);
        }
    }

    [Fact]
    public async Task EveryTaskRunsFromTheExtractedPackageAgainstTheS3Datastore()
    {
        // What a remote worker does: fetch the package from the datastore, extract it, run each task with `dotnet <entry> step`.
        var root = S3Server.NewRoot();
        var store = DatastoreLocation.Open(root);
        var package = CodePackage.Build(typeof(HelloFlow), HelloApp);
        await package.StoreAsync(store);
        var app = await CodePackage.ExtractAsync(store, package.Manifest, Directory.CreateTempSubdirectory("sharpflow-packages-").FullName);

        var run = await new Runner<HelloFlow>(new RunnerOptions
        {
            DatastoreRoot = root,
            Isolation = TaskIsolation.Process,
            TaskCommand = ["dotnet", Path.Combine(app, package.Manifest.EntryAssembly)],
            MaxWorkers = 3,
        }).RunAsync();

        Assert.True(run.Successful, run.Error);
        var read = new Flow("HelloFlow", new ClientOptions { DatastoreRoot = root }).LatestRun!;
        Assert.Equal(run.Id, read.Id);
        Assert.Contains("All greetings", read["End"].Task.Stdout);
        Assert.Equal(3, read["Greet"].Tasks.Count);
    }

    [Fact]
    public void APackageCarriesTheFlowsOwnSymbolsAndTheWorkersNativeAssetsOnly()
    {
        var paths = CodePackage.Build(typeof(TrainFlowExample.TrainFlow), ExampleApps.TrainFlow).Manifest.Files.Select(f => f.Path).ToArray();
        Assert.Contains("TrainFlow.dll", paths);
        Assert.Contains("TrainFlow.pdb", paths); // the flow's frames keep their lines in remote stack traces
        Assert.DoesNotContain("Sharpflow.pdb", paths);
        Assert.Contains(paths, p => p.StartsWith("runtimes/linux-x64/native/", StringComparison.Ordinal)); // ML.NET's native code, for Linux workers
        Assert.Contains(paths, p => p.StartsWith("runtimes/linux-arm64/", StringComparison.Ordinal));
        Assert.DoesNotContain(paths, p => p.StartsWith("runtimes/win-", StringComparison.Ordinal) || p.StartsWith("runtimes/osx-", StringComparison.Ordinal) || p.StartsWith("runtimes/linux-arm/", StringComparison.Ordinal));
        Assert.True(Directory.Exists(Path.Combine(ExampleApps.TrainFlow, "runtimes", "win-x64")), "the build output has them, the package leaves them out");
    }

    [Theory]
    [InlineData("runtimes/win-x64/native/x.dll", "win-x64", true)]
    [InlineData("runtimes/win-x64/native/x.dll", null, true)] // SHARPFLOW_PACKAGE_RUNTIMES=all
    [InlineData("runtimes/unix/lib/net8.0/x.dll", "linux-x64", true)]
    [InlineData("runtimes/linux/lib/x.dll", "linux-musl-arm64", true)]
    [InlineData("runtimes/linux-musl-x64/native/x.so", "linux-x64", false)]
    [InlineData("runtimes/unix/lib/x.dll", "win-x64", false)]
    [InlineData("runtimes/osx-arm64/native/x.dylib", "linux-x64,linux-arm64", false)]
    [InlineData("Other.dll", "linux-x64", true)]
    public void PackagesKeepTheNativeAssetsOfTheRuntimesAskedFor(string path, string? runtimes, bool kept) =>
        Assert.Equal(kept, PackageContents.Keeps(path, "Flow.dll", runtimes?.Split(',')));

        [Fact]
    public async Task TheCliPushesListsShowsAndSavesPackages()
    {
        using var work = new TempDatastore();
        var root = Path.Combine(work.Root, "datastore");
        var environment = new Dictionary<string, string>();
        var hello = Path.Combine(HelloApp, "HelloFlow.dll");

        var push = await ChildProcess.DotnetAsync(work.Root, environment, hello, "package", "push", "--datastore", root);
        Assert.True(push.ExitCode == 0, push.Stdout + push.Stderr);
        var hash = push.Stdout.Split(' ')[0];
        Assert.Contains(" stored in ", push.Stdout);
        var again = await ChildProcess.DotnetAsync(work.Root, environment, hello, "package", "push", "--datastore", root);
        Assert.Contains("already stored", again.Stdout);

        var list = await ChildProcess.DotnetAsync(work.Root, environment, hello, "package", "list", "--datastore", root);
        Assert.StartsWith(hash, list.Stdout);
        var show = await ChildProcess.DotnetAsync(work.Root, environment, hello, "package", "show", hash[..10], "--datastore", root);
        Assert.Contains("steps: Start, Greet, Join, End", show.Stdout);
        Assert.Contains("HelloFlow.dll", show.Stdout);

        var zip = Path.Combine(work.Root, "hello.zip");
        var save = await ChildProcess.DotnetAsync(work.Root, environment, hello, "package", "save", hash, "--to", zip, "--datastore", root);
        Assert.True(save.ExitCode == 0, save.Stdout + save.Stderr);
        using var archive = ZipFile.OpenRead(zip);
        Assert.Contains(archive.Entries, e => e.FullName == "manifest.json");

        var missing = await ChildProcess.DotnetAsync(work.Root, environment, hello, "package", "show", "ffff", "--datastore", root);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains($"Its packages: {hash}", missing.Stderr);
    }

    private sealed class ManifestHash : IEqualityComparer<CodePackageManifest>
    {
        public bool Equals(CodePackageManifest? x, CodePackageManifest? y) => x?.Hash == y?.Hash;

        public int GetHashCode(CodePackageManifest obj) => obj.Hash.GetHashCode(StringComparison.Ordinal);
    }
}

using System.Text.Json;
using Sharpflow.Client;
using Sharpflow.Tests.Flows;

namespace Sharpflow.Tests;

/// <summary>The flow command line, run as a real process (the hello example) and in-process for failing flows.</summary>
public class CliTests
{
    private static readonly string HelloDll = Path.Combine(AppContext.BaseDirectory, "HelloFlow.dll");

    private static Task<ChildProcess.Result> HelloAsync(TempDatastore store, params string[] args) => HelloAsync(store, null, args);

    private static Task<ChildProcess.Result> HelloAsync(TempDatastore store, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        ChildProcess.DotnetAsync(store.Root, environment, [HelloDll, .. args, "--datastore", store.Root]);

    [Fact]
    public async Task WithAddsAnyDecoratorToEveryStepAndItsTasksApplyItEvenInTheirOwnProcesses()
    {
        using var store = new TempDatastore();
        // card on every step, in child processes: the run records its --with, and each task process applies it.
        var run = await HelloAsync(store, "run", "--with", "card", "--with", "timeout:minutes=5", "--with", "resources:cpu=1", "--isolation", "process", "--tag", "nightly");
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        var cards = await HelloAsync(store, "card", "list", "latest/Greet");
        Assert.True(cards.ExitCode == 0, cards.Stderr);
        Assert.Equal(3, cards.Stdout.Split('\n').Count(l => l.Contains("/Greet/", StringComparison.Ordinal) && l.Contains("default", StringComparison.Ordinal)));
        var shown = await HelloAsync(store, "card", "get", "latest/End");
        Assert.True(shown.ExitCode == 0, shown.Stderr);
        Assert.Contains("<html", shown.Stdout);
        Assert.Contains("<span class=\"tag\">nightly</span>", shown.Stdout); // the run's tags under the title
        var greetTask = cards.Stdout.Split('\n').First(l => l.Contains("/Greet/", StringComparison.Ordinal)).Split(' ')[0].Split('/')[^1];
        var greet = await HelloAsync(store, "card", "get", $"latest/Greet/{greetTask}");
        Assert.Matches(@"item [123] of 3 of Greetings", greet.Stdout); // where the task stands in its foreach

        // catch:var=... names the artifact the failure goes to; a setting the attribute lacks is refused with its settings.
        var typo = await HelloAsync(store, "run", "--with", "timeout:sekonds=5");
        Assert.Equal(2, typo.ExitCode);
        Assert.Contains("[Timeout] has no setting 'sekonds'. Its settings are: seconds, minutes, hours, from", typo.Stderr);
        var unknown = await HelloAsync(store, "run", "--with", "cache");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("there is no decorator or compute backend 'cache'. Decorators: card, catch, environment, resources, retry, reuse, timeout; compute backends:", unknown.Stderr);
        Assert.Single(Directory.GetDirectories(Path.Combine(store.Root, "HelloFlow"))); // neither refused run started
    }

    [Fact]
    public async Task ShowListsStepsInRunOrderWithTheirDescriptionsAndParametersWithTheirDefaults()
    {
        // TrainFlow's steps have doc comments and its project writes the documentation file: they are the descriptions.
        var train = await ChildProcess.DotnetAsync(AppContext.BaseDirectory, null, Path.Combine(AppContext.BaseDirectory, "TrainFlow.dll"), "show");
        Assert.True(train.ExitCode == 0, train.Stderr);
        Assert.Contains("Step Fit (linear)\n    Trains one candidate and scores it on the held-out rows.\n    => PickBest", train.Stdout.ReplaceLineEndings("\n"));
        Assert.Contains("--rows (Int32, default 4000): Rows of synthetic data to generate", train.Stdout);
        var json = JsonDocument.Parse((await ChildProcess.DotnetAsync(AppContext.BaseDirectory, null, Path.Combine(AppContext.BaseDirectory, "TrainFlow.dll"), "show", "--json")).Stdout).RootElement;
        Assert.Equal("Scores two example parts with the chosen model.", json.GetProperty("steps")[3].GetProperty("description").GetString());
        Assert.Equal("0.25", json.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "test-fraction").GetProperty("default").GetString());

        // A base class's End is declared first; show still lists the steps in the order a run reaches them.
        var audited = await InProcessAsync(typeof(AuditedFlow), "show");
        Assert.Equal(0, audited.Code);
        var steps = audited.Stdout.Split('\n').Where(l => l.StartsWith("Step ", StringComparison.Ordinal)).Select(l => l.Split(' ')[1]).ToArray();
        Assert.Equal(["Start", "Check", "End"], steps);
        Assert.Contains("--rows (Int32, default 12): How many rows", audited.Stdout);
    }

    [Fact]
    public async Task ResumeHelpLeavesOutTheParametersAndConfigsItKeepsAndRefusesThemWhenGiven()
    {
        using var store = new TempDatastore();
        var help = await HelloAsync(store, "resume", "--help");
        Assert.Contains("run the rest with the run's own parameters and configs", help.Stdout);
        Assert.DoesNotContain("--name <", help.Stdout);
        Assert.DoesNotContain("--config <", help.Stdout);
        Assert.Contains("--name <", (await HelloAsync(store, "run", "--help")).Stdout);

        Assert.Equal(0, (await HelloAsync(store, "run", "--quiet")).ExitCode);
        var changed = await HelloAsync(store, "resume", "Greet", "--name", "Bob");
        Assert.Equal(2, changed.ExitCode);
        Assert.Contains("resume keeps the parameters of run", changed.Stderr);
        Assert.Contains("where --name is \"world\", not \"Bob\"", changed.Stderr);
    }

    [Fact]
    public async Task LatestIsTheNewestRunInYourNamespaceAndRunIdsReadAnyRun()
    {
        using var store = new TempDatastore();
        Task<ChildProcess.Result> As(string user, params string[] args) => HelloAsync(store, new Dictionary<string, string> { ["SHARPFLOW_USER"] = user }, args);
        var bobs = await As("bob", "run", "--json", "--name", "Bob");
        var runId = JsonDocument.Parse(bobs.Stdout).RootElement.GetProperty("runId").GetString()!;

        // Alice has no runs: her 'latest' is not Bob's run; she is told how to reach it.
        var alices = await As("alice", "dump", "latest/End");
        Assert.Equal(2, alices.ExitCode);
        Assert.Contains("Flow 'HelloFlow' has no runs in namespace 'user:alice' yet", alices.Stderr);
        Assert.Contains("--namespace global", alices.Stderr);
        Assert.DoesNotContain("--global", alices.Stderr.Replace("--namespace global", "", StringComparison.Ordinal));

        // Bob's namespace, every namespace, or the run's id: each reads his run.
        Assert.Contains("Hello, Bob!", (await As("alice", "dump", "latest/End", "--namespace", "user:bob")).Stdout);
        Assert.Contains("Hello, Bob!", (await As("alice", "dump", "latest/End", "--namespace", "global")).Stdout);
        Assert.Contains("Hello, Bob!", (await As("alice", "dump", $"{runId}/End")).Stdout);
        Assert.Contains(runId, (await As("alice", "tag", "list", "latest", "--namespace", "user:bob")).Stdout);
        Assert.Contains("Hello, Bob!", (await As("bob", "logs", "latest/Greet")).Stdout);
    }

    [Fact]
    public async Task SpinTakesParametersAndArtifactValuesInlineOrFromAFile()
    {
        using var store = new TempDatastore();
        Assert.Equal(0, (await HelloAsync(store, "run", "--quiet")).ExitCode);

        // A parameter in place of the run's: the step sees it, the other inputs are the run's.
        var greet = await HelloAsync(store, "spin", "Greet", "--name", "Bob", "--no-persist");
        Assert.True(greet.ExitCode == 0, greet.Stderr);
        Assert.Contains("Message = Hello, Bob!", greet.Stdout);

        // Artifact values: a file of {"name": value}, and NAME=JSON inline, which wins.
        var file = Path.Combine(store.Root, "inputs.json");
        File.WriteAllText(file, """{"Message": "from the file", "Greetings": ["Hi"]}""");
        var end = await HelloAsync(store, "spin", "End", "--artifacts", file, "--artifact", "Message=\"inline\"", "--no-persist");
        Assert.True(end.ExitCode == 0, end.Stderr);
        Assert.Contains("All greetings: inline", end.Stdout);
        Assert.Contains("Greetings = [\"Hi\"]", end.Stdout);

        var notJson = await HelloAsync(store, "spin", "End", "--artifact", "Message=inline");
        Assert.Equal(2, notJson.ExitCode);
        Assert.Contains("--artifact Message=inline: the value is not JSON", notJson.Stderr);
        Assert.Contains("--name <", (await HelloAsync(store, "spin", "--help")).Stdout);
    }

    [Fact]
    public async Task AStepThatAsksForAGpuButRunsHereIsWarnedOfWhenTheRunStarts()
    {
        using var store = new TempDatastore();
        var overheating = Path.Combine(ChildProcess.RepositoryRoot(), "examples", "ConfigurableTrainFlow", "configs", "overheating.toml");
        var run = await ChildProcess.DotnetAsync(store.Root, null, Path.Combine(AppContext.BaseDirectory, "ConfigurableTrainFlow.dll"),
            "run", "--config", $"model={overheating}", "--quiet", "--datastore", store.Root);
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Contains("warning: Flow 'VariantTrainFlow', step 'Fit' asks for 1 GPU(s) but has no compute backend, so it runs here without GPUs given to it.", run.Stderr);
        Assert.DoesNotContain("step 'Start' asks for", run.Stderr);
    }

    [Fact]
    public async Task RunPrintsProgressAndAnotherProcessReadsTheRun()
    {
        using var store = new TempDatastore();
        var runIdFile = Path.Combine(store.Root, "run-id");
        var result = await HelloAsync(store, "run", "--name", "Ada", "--json", "--run-id-file", runIdFile, "--tag", "nightly");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        var runId = json.RootElement.GetProperty("runId").GetString()!;
        Assert.Equal("Succeeded", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(runId, File.ReadAllText(runIdFile));
        Assert.Contains($"[{runId}/Greet/", result.Stderr);
        Assert.Contains("Hola, Ada!", result.Stderr);
        Assert.Contains("Greet 3/3 done", result.Stderr); // the progress line gives each step's total
        Assert.Contains($"Done! Run {runId} succeeded", result.Stderr);

        var run = new Flow("HelloFlow", store.Client)[runId];
        Assert.Equal("Hello, Ada! / Hola, Ada! / Bonjour, Ada!", run.Data["Message"].Get<string>());
        Assert.Contains("nightly", run.Tags);
        Assert.Equal(3, run["Greet"].Tasks.Count);
    }

    [Fact]
    public async Task RunsListsTheFlowsRunsNewestFirstFilteredByTagAndStatus()
    {
        using var store = new TempDatastore();
        var empty = await HelloAsync(store, "runs");
        Assert.Equal(0, empty.ExitCode);
        Assert.Contains("Flow 'HelloFlow' has no runs", empty.Stderr);

        var first = await HelloAsync(store, "run", "--json", "--tag", "nightly");
        var second = await HelloAsync(store, "run", "--json", "--name", "Ada");
        Assert.True(first.ExitCode == 0 && second.ExitCode == 0, first.Stderr + second.Stderr);
        var firstId = JsonDocument.Parse(first.Stdout).RootElement.GetProperty("runId").GetString()!;
        var secondId = JsonDocument.Parse(second.Stdout).RootElement.GetProperty("runId").GetString()!;

        var table = await HelloAsync(store, "runs");
        Assert.Equal(0, table.ExitCode);
        var lines = table.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("RUN ", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith(secondId + " ", lines[1]); // newest first
        Assert.StartsWith(firstId + " ", lines[2]);
        Assert.Contains("Succeeded", lines[2]);
        Assert.EndsWith("nightly", lines[2].TrimEnd());

        var tagged = await HelloAsync(store, "runs", "--tag", "nightly", "--json");
        using (var json = JsonDocument.Parse(tagged.Stdout))
        {
            var run = Assert.Single(json.RootElement.EnumerateArray());
            Assert.Equal(firstId, run.GetProperty("runId").GetString());
            Assert.Equal("Succeeded", run.GetProperty("status").GetString());
            Assert.Contains("nightly", run.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        }
        var failed = await HelloAsync(store, "runs", "--status", "Failed");
        Assert.Equal("", failed.Stdout);
        Assert.Contains("has no runs that match", failed.Stderr);
        var newest = await HelloAsync(store, "runs", "--limit", "1", "--json");
        Assert.Equal(secondId, Assert.Single(JsonDocument.Parse(newest.Stdout).RootElement.EnumerateArray()).GetProperty("runId").GetString());
    }

    [Fact]
    public async Task AProjectFlowRunsOnTheUsersBranchANamedBranchOrProductionAndItsStepsSeeWhich()
    {
        using var store = new TempDatastore();
        var user = new Dictionary<string, string> { ["SHARPFLOW_USER"] = "alice" };
        async Task<Run> RunOnAsync(params string[] branch)
        {
            var result = await ChildProcess.DotnetAsync(store.Root, user, [ChildProcess.TestFlowsDll, "ProjectFlow", "run", "--datastore", store.Root, "--json", .. branch]);
            Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
            return new Flow("ProjectFlow", new ClientOptions { DatastoreRoot = store.Root, Namespace = null })[JsonDocument.Parse(result.Stdout).RootElement.GetProperty("runId").GetString()!];
        }

        var mine = await RunOnAsync();
        Assert.Equal("forecast", mine.Data["Project"].Get<string>());
        Assert.Equal("user.alice", mine.Data["Branch"].Get<string>());
        Assert.False(mine.Data["Production"].Get<bool>());
        Assert.Equal("forecast.user.alice.ProjectFlow.predictions", mine.Data["TableName"].Get<string>());
        Assert.Contains("project:forecast", mine.SystemTags);
        Assert.Contains("project_branch:user.alice", mine.SystemTags);

        var named = await RunOnAsync("--branch", "nightly");
        Assert.Equal("test.nightly", named.Data["Branch"].Get<string>());
        Assert.Contains("project_branch:test.nightly", named.SystemTags);

        var production = await RunOnAsync("--production");
        Assert.Equal("prod", production.Data["Branch"].Get<string>());
        Assert.True(production.Data["Production"].Get<bool>());

        var both = await ChildProcess.DotnetAsync(store.Root, user, ChildProcess.TestFlowsDll, "ProjectFlow", "run", "--datastore", store.Root, "--branch", "x", "--production");
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("Flow 'ProjectFlow': give either --branch or --production, not both.", both.Stderr);

        // A flow without [Project] has no branches: a branch asked of it is refused, and nothing runs.
        var noProject = await HelloAsync(store, "run", "--branch", "nightly");
        Assert.Equal(2, noProject.ExitCode);
        Assert.Contains("Flow 'HelloFlow': --branch and --production need a project; add [Project(\"name\")] to the flow.", noProject.Stderr);
        Assert.Null(new Flow("HelloFlow", store.Client).LatestRun);
    }

    [Fact]
    public async Task AStepsEnvironmentIsSetBeforeItsCodeRunsNativeCodeIncludedAndStaysInItsOwnProcess()
    {
        using var store = new TempDatastore();
        var result = await ChildProcess.DotnetAsync(store.Root, null, ChildProcess.TestFlowsDll, "EnvironmentFlow", "run", "--datastore", store.Root,
            "--with", "environment:vars=SF_EXTRA=given;SF_OTHER=1");
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        var run = new Flow("EnvironmentFlow", store.Client).LatestRun!;
        Assert.Equal("hello world", run["Start"].Task["Managed"].Get<string>());
        Assert.Equal("hello world", run["Start"].Task["Native"].Get<string>()); // getenv, as OpenMP or CUDA would read it
        Assert.Equal("3", run["Start"].Task["Threads"].Get<string>());
        Assert.Equal("(unset)", run["End"].Task["LeakedIntoEnd"].Get<string>()); // Start's variables stayed in Start's process
        Assert.Equal("given", run["End"].Task["FromWith"].Get<string>()); // --with gave End, which had none, its own

        var bad = await ChildProcess.DotnetAsync(store.Root, null, ChildProcess.TestFlowsDll, "EnvironmentFlow", "run", "--datastore", store.Root,
            "--with", "environment:vars=9LIVES=x");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("Flow 'EnvironmentFlow', step 'End': [Environment] variable '9LIVES=x' is not NAME=value", bad.Stderr);
        Assert.Single(new Flow("EnvironmentFlow", store.Client).Runs); // refused before a run was made
    }

    [Fact]
    public async Task RunFromCSharpAStepsEnvironmentIsSeenThroughDotnetWhileItRunsAndPutBackAfter()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<TestFlows.EnvironmentFlow>();
        Assert.True(run.Successful, run.Error);
        Assert.Equal("hello world", run["Start"].Task["Managed"].Get<string>());
        Assert.Equal("(unset)", run["End"].Task["LeakedIntoEnd"].Get<string>());
        Assert.Null(Environment.GetEnvironmentVariable("SF_GREETING"));
    }

    [Fact]
    public async Task AnIncludedFileIsReadWhenTheRunStartsStoredAndSeenByEveryTaskAndResumeKeepsWhatItRead()
    {
        using var store = new TempDatastore();
        var work = Directory.CreateDirectory(Path.Combine(store.Root, "work")).FullName;
        await File.WriteAllTextAsync(Path.Combine(work, "rows.csv"), "a,1\nb,2\nc,3\n");
        await File.WriteAllBytesAsync(Path.Combine(work, "weights.bin"), [0, 255, 1, 254, 2]);
        Task<ChildProcess.Result> FlowAsync(params string[] args) =>
            ChildProcess.DotnetAsync(work, null, [ChildProcess.TestFlowsDll, "IncludeFileFlow", .. args, "--datastore", store.Root]);

        var run = await FlowAsync("run", "--blob", "weights.bin", "--isolation", "process");
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        var first = new Flow("IncludeFileFlow", store.Client).LatestRun!;
        Assert.Equal(3, first.Data["Lines"].Get<int>());
        Assert.Equal(5, first.Data["BlobLength"].Get<int>());
        Assert.Equal(3, first.Data["LinesInEnd"].Get<int>()); // End ran in its own process: the content came from the datastore
        Assert.Equal(new byte[] { 0, 255, 1, 254, 2 }, first["End"].Task["Blob"].Get<byte[]>());
        Assert.Equal("a,1\nb,2\nc,3\n", first["End"].Task["Rows"].Get<string>());
        var record = JsonSerializer.Deserialize<IncludedFileRecord>(first.Parameters["Rows"], Artifacts.DataJson.Options)!;
        Assert.Equal("rows.csv", record.Path);
        Assert.Equal(12, record.Size);

        // The file changes; resuming the run re-runs End with the content the run read, not the file as it is now.
        await File.WriteAllTextAsync(Path.Combine(work, "rows.csv"), "only one line\n", new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        var resumed = await FlowAsync("resume", "End", "--origin-run-id", first.Id);
        Assert.True(resumed.ExitCode == 0, resumed.Stdout + resumed.Stderr);
        Assert.Equal(3, new Flow("IncludeFileFlow", store.Client).LatestRun!.Data["LinesInEnd"].Get<int>());
        var fresh = await FlowAsync("run");
        Assert.True(fresh.ExitCode == 0, fresh.Stdout + fresh.Stderr);
        Assert.Equal(1, new Flow("IncludeFileFlow", store.Client).LatestRun!.Data["Lines"].Get<int>());
        Assert.Equal(-1, new Flow("IncludeFileFlow", store.Client).LatestRun!.Data["BlobLength"].Get<int>()); // no --blob, no default: null
        Assert.Equal("only one line\n", new Flow("IncludeFileFlow", store.Client).LatestRun!.Data["Rows"].Get<string>()); // the byte order mark is not text

        var missing = await FlowAsync("run", "--rows", "nope.csv");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains($"Flow 'IncludeFileFlow': parameter --rows names file 'nope.csv' ({Path.Combine(work, "nope.csv")}), which cannot be read", missing.Stderr);
        await File.WriteAllBytesAsync(Path.Combine(work, "latin1.csv"), [0x63, 0x61, 0x66, 0xE9, 0x0A]);
        var notText = await FlowAsync("run", "--rows", "latin1.csv");
        Assert.Equal(2, notText.ExitCode);
        Assert.Contains("Flow 'IncludeFileFlow': parameter --rows: file 'latin1.csv' is not UTF-8 text", notText.Stderr);
        Assert.Contains("Declare the property as byte[]", notText.Stderr);
        Assert.Equal(3, new Flow("IncludeFileFlow", store.Client).Runs.Count()); // the refused runs were never made

        var help = await FlowAsync("run", "--help");
        Assert.Contains("Rows to count, one per line (default: \"rows.csv\")", help.Stdout);
    }

    [Fact]
    public async Task TagReplaceSwapsOneUserTagAndDumpRefusesAnArtifactTheTaskLacks()
    {
        using var store = new TempDatastore();
        var run = await HelloAsync(store, "run", "--json", "--tag", "candidate");
        Assert.Equal(0, run.ExitCode);
        var runId = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("runId").GetString()!;

        var replaced = await HelloAsync(store, "tag", "replace", runId, "candidate", "production");
        Assert.True(replaced.ExitCode == 0, replaced.Stderr);
        var tags = new Flow("HelloFlow", store.Client)[runId].UserTags;
        Assert.Contains("production", tags);
        Assert.DoesNotContain("candidate", tags);
        var missing = await HelloAsync(store, "tag", "replace", runId, "candidate", "other");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains($"has no user tag 'candidate' to replace. Its user tags: production", missing.Stderr);

        var nope = await HelloAsync(store, "dump", "latest/Join", "--artifact", "Nope");
        Assert.NotEqual(0, nope.ExitCode);
        Assert.Contains("'latest/Join' has no artifact 'Nope'. Its artifacts: ", nope.Stderr);
        Assert.Contains("Message", nope.Stderr);
        Assert.Equal("", nope.Stdout);

        var half = await HelloAsync(store, "dump", "latest");
        Assert.NotEqual(0, half.ExitCode);
        Assert.Contains("'latest' is not a pathspec: use run-id/step or run-id/step/task-id (e.g. latest/Start).", half.Stderr);
    }

    [Fact]
    public async Task ShowCheckDumpAndLogsDescribeTheFlowAndItsRuns()
    {
        using var store = new TempDatastore();
        Assert.Equal(0, (await HelloAsync(store, "run", "--quiet")).ExitCode);

        var show = await HelloAsync(store, "show");
        Assert.Contains("Step Start (foreach)", show.Stdout);
        Assert.Contains("=> Greet for each item of Greetings", show.Stdout);
        Assert.Contains("--name (String, default \"world\"): Who to greet", show.Stdout);

        var showJson = await HelloAsync(store, "show", "--json");
        using var graph = JsonDocument.Parse(showJson.Stdout);
        Assert.Equal(["Start", "Greet", "Join", "End"], graph.RootElement.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("name").GetString()));

        var check = await HelloAsync(store, "check");
        Assert.Equal(0, check.ExitCode);
        Assert.Contains("Flow 'HelloFlow' is valid: 4 steps.", check.Stdout);

        var dump = await HelloAsync(store, "dump", "latest/Join", "--json");
        using var artifacts = JsonDocument.Parse(dump.Stdout);
        var message = artifacts.RootElement[0].GetProperty("artifacts").EnumerateArray().Single(a => a.GetProperty("name").GetString() == "Message");
        Assert.Equal("Hello, world! / Hola, world! / Bonjour, world!", message.GetProperty("value").GetString());

        var logs = await HelloAsync(store, "logs", "latest/Greet");
        Assert.Contains("Bonjour, world!", logs.Stdout);

        var missing = await HelloAsync(store, "dump", "latest/Nope");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("has no step 'Nope'. Its steps are: Start, Greet, Join, End.", missing.Stderr);
    }

    [Fact]
    public async Task HelpListsCommandsAndParameters()
    {
        using var store = new TempDatastore();
        var help = await HelloAsync(store, "--help");
        foreach (var command in new[] { "run", "show", "check", "logs", "dump" })
        {
            Assert.Contains(command, help.Stdout);
        }
        var runHelp = await HelloAsync(store, "run", "--help");
        Assert.Contains("--name", runHelp.Stdout);
        Assert.Contains("Who to greet (default: \"world\")", runHelp.Stdout);
        Assert.Contains("--max-workers", runHelp.Stdout);
    }

    [Fact]
    public async Task AFailedRunExitsNonZeroWithASummary()
    {
        using var store = new TempDatastore();
        var (code, stdout, stderr) = await InProcessAsync(typeof(FailingFlow), "run", "--datastore", store.Root, "--max-workers", "1");

        Assert.Equal(1, code);
        Assert.Contains("Task failed (attempt 1): System.InvalidOperationException: item 2 is poisoned", stdout);
        Assert.Contains("failed after", stdout);
        Assert.Contains("Step 'Work' task", stdout);
        Assert.Equal("", stderr);
    }

    [Fact]
    public async Task AnInvalidFlowIsRefusedWithItsRules()
    {
        using var store = new TempDatastore();
        var run = await InProcessAsync(typeof(Fixtures.Broken.MissingTransitionFlow), "run", "--datastore", store.Root);
        Assert.Equal(2, run.Code);
        Assert.Contains("SF0004 (missing-transition): Flow 'MissingTransitionFlow', step 'Train'", run.Stderr);

        var check = await InProcessAsync(typeof(Fixtures.Broken.MissingTransitionFlow), "check", "--json");
        Assert.Equal(1, check.Code);
        using var json = JsonDocument.Parse(check.Stdout);
        Assert.Equal("SF0004", json.RootElement[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task ABadParameterValueIsRefused()
    {
        using var store = new TempDatastore();
        var run = await InProcessAsync(typeof(ParameterFlow), "run", "--datastore", store.Root, "--dataset", "x", "--epochs", "lots");
        Assert.Equal(2, run.Code);
        Assert.Contains("Parameter --epochs: 'lots' is not valid", run.Stderr);
    }

    [Theory]
    [InlineData("run", "--epochs")]                 // an option without its value
    [InlineData("run", "--no-such-option", "1")]    // an unknown option
    [InlineData("dump")]                            // a missing argument
    public async Task ACommandLineThatDoesNotParseIsRefusedWithExitCode2(params string[] args)
    {
        using var store = new TempDatastore();
        var result = await InProcessAsync(typeof(ParameterFlow), [.. args, "--datastore", store.Root]);
        Assert.True(result.Code == 2, $"exit {result.Code}: {result.Stderr}");
        Assert.NotEqual("", result.Stderr.Trim());
    }

    [Fact]
    public async Task ADamagedBlobIsReportedAsARefusalNamingItNotAsAStackTrace()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<ArtifactKindsFlow>();
        var hash = run.Data["Embedding"].Hash;
        var file = Directory.GetFiles(Path.Combine(store.Root, "ArtifactKindsFlow", "data"), hash, SearchOption.AllDirectories).Single();
        File.WriteAllBytes(file, File.ReadAllBytes(file)[..^1]);

        var dump = await InProcessAsync(typeof(ArtifactKindsFlow), "dump", $"{run.Id}/End", "--datastore", store.Root);

        Assert.Equal(2, dump.Code);
        Assert.Contains(hash, dump.Stderr);
        Assert.DoesNotContain("Unhandled exception", dump.Stderr);
        Assert.DoesNotContain("   at ", dump.Stderr);
    }

    internal static async Task<(int Code, string Stdout, string Stderr)> InProcessAsync(Type flow, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await FlowMain.RunAsync(flow, args, new CliOutput(TextWriter.Synchronized(stdout), TextWriter.Synchronized(stderr)), null, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }
}

/// <summary>Remote datastore mistakes are one line that says what to do.</summary>
public class RemoteDatastoreMistakeTests
{
    [Fact]
    public async Task AnS3DatastoreWithoutCredentialsIsRefusedInOneLine()
    {
        using var work = new TempDatastore();
        var result = await ChildProcess.DotnetAsync(work.Root, new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = "", ["AWS_SECRET_ACCESS_KEY"] = "", ["AWS_SESSION_TOKEN"] = "", ["AWS_PROFILE"] = "",
            ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(work.Root, "none"), ["AWS_CONFIG_FILE"] = Path.Combine(work.Root, "none"),
            ["AWS_EC2_METADATA_DISABLED"] = "true", [S3.S3Location.EndpointVariable] = "http://127.0.0.1:9", ["AWS_REGION"] = "us-east-1",
        }, ChildProcess.TestFlowsDll, "SlowForeachFlow", "run", "--datastore", "s3://sharpflow-nowhere/runs");

        Assert.Equal(2, result.ExitCode);
        var message = result.Stderr.Trim();
        Assert.DoesNotContain('\n', message);
        Assert.Contains("S3 datastore s3://sharpflow-nowhere/runs: no AWS credentials were found. Set AWS_ACCESS_KEY_ID", message);
    }

    [Fact]
    public async Task AStepSentOverSshWithALocalDatastoreIsRefusedBeforeAnythingRuns()
    {
        using var store = new TempDatastore();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new Execution.Runner<TestFlows.SshFlow>(store.Options()).RunAsync());
        Assert.Contains("step 'Work' runs on ssh, another machine that cannot read this datastore", error.Message);
        Assert.Contains("--datastore s3://", error.Message);
        Assert.False(Directory.Exists(Path.Combine(store.Root, nameof(TestFlows.SshFlow))), "no run was started");
    }
}

using System.Reflection;
using System.Text.Json.Nodes;
using Sharpflow.Config;
using Sharpflow.Argo;
using Sharpflow.Client;
using Sharpflow.Fixtures;
using Sharpflow.Fixtures.Good;
using Sharpflow.Graph;
using Sharpflow.Metadata;
using Sharpflow.Packaging;
using Sharpflow.TestFlows;

namespace Sharpflow.Tests;

/// <summary>
/// Flows compiled to Argo WorkflowTemplates: every shape of the corpus validates against Argo's CRD schema (an
/// independent validator, npm @kubernetes-models/argo-workflows) and the templates mean what the graph means: DAG
/// edges, foreach as withParam, switch as when, loops as a self-calling template, resources, retries, deadlines,
/// parameters, configs baked in at deploy time, the schedule and the project's branch names.
/// </summary>
public class ArgoTemplateTests
{
    private static readonly Assembly Corpus = typeof(GoodFixtureAttribute).Assembly;

    /// <summary>Compiles without a datastore (a fixed code package manifest).</summary>
    internal static ArgoWorkflowCompiler Compiler(Type flow, IReadOnlyDictionary<string, ConfigRecord>? configs = null, string? name = null)
    {
        var manifest = new CodePackageManifest(flow.Name, "0123456789abcdef", "Sharpflow.Worker.dll", [], "1.0.0", "10.0.0", []) { Arguments = ["Flows.dll", flow.FullName!] };
        var deployment = new ArgoDeployment(name ?? ArgoNames.Of(flow.Name), "ml", "registry.example/sharpflow:1", "s3://models/prod", manifest, [], configs ?? DefaultConfigs(flow), "alice");
        return new ArgoWorkflowCompiler(FlowGraphExtractor.Extract(flow), deployment);
    }

    /// <summary>The configs a test deploys with: ArgoFeaturesFlow's settings inline, other flows' defaults.</summary>
    internal static IReadOnlyDictionary<string, ConfigRecord> DefaultConfigs(Type flow) =>
        ConfigResolver.Resolve(flow, null, flow == typeof(ArgoFeaturesFlow) ? new Dictionary<string, string> { ["settings"] = """{"epochs": 3}""" } : null);

    private static JsonObject Template(Type flow) => Compiler(flow).WorkflowTemplate();

    private static JsonObject Named(JsonObject template, string name) =>
        template["spec"]!["templates"]!.AsArray().Select(t => t!.AsObject()).SingleOrDefault(t => t["name"]!.GetValue<string>() == name)
        ?? throw new Xunit.Sdk.XunitException($"no template '{name}' in {template.ToJsonString()}");

    private static Dictionary<string, JsonObject> Tasks(JsonObject template, string dag) =>
        Named(template, dag)["dag"]!["tasks"]!.AsArray().Select(t => t!.AsObject()).ToDictionary(t => t["name"]!.GetValue<string>());

    private static string Argument(JsonObject task, string name) =>
        task["arguments"]!["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == name)!["value"]!.GetValue<string>();

    private static string? Text(JsonNode? node) => node?.GetValue<string>();

    [Fact]
    public void AnIncludedFileDefaultsToTheRecordStoredWhenDeployingAndAPreviewShowsItsPath()
    {
        var flow = typeof(IncludeFileFlow);
        var manifest = new CodePackageManifest(flow.Name, "0123456789abcdef", "Sharpflow.Worker.dll", [], "1.0.0", "10.0.0", []) { Arguments = ["Flows.dll", flow.FullName!] };
        var stored = """{"path":"rows.csv","hash":"00112233445566778899aabbccddeeff","size":12}""";
        ArgoDeployment Deployment(Dictionary<string, string> files) =>
            new(ArgoNames.Of(flow.Name), "ml", "registry.example/sharpflow:1", "s3://models/prod", manifest, [], DefaultConfigs(flow), "alice") { IncludedFiles = files };

        var deployed = new ArgoWorkflowCompiler(FlowGraphExtractor.Extract(flow), Deployment(new() { ["Rows"] = stored })).WorkflowTemplate();
        var parameters = deployed["spec"]!["arguments"]!["parameters"]!.AsArray();
        Assert.Equal(stored, Text(parameters.Single(p => Text(p!["name"]) == "rows")!["value"]));
        Assert.Null(parameters.Single(p => Text(p!["name"]) == "blob")!["value"]); // no default file: given when triggered

        var preview = new ArgoWorkflowCompiler(FlowGraphExtractor.Extract(flow), Deployment([])).WorkflowTemplate();
        Assert.Equal("rows.csv", Text(preview["spec"]!["arguments"]!["parameters"]!.AsArray().Single(p => Text(p!["name"]) == "rows")!["value"]));
    }

    [Fact]
    public async Task APreviewNeedsNoDatastoreStoresNothingAndWarnsOfALoopbackEndpointBakedIn()
    {
        using var work = new TempDatastore();
        var environment = new Dictionary<string, string> { ["SHARPFLOW_S3_ENDPOINT"] = "http://127.0.0.1:9000", ["SHARPFLOW_DATASTORE_ROOT"] = "", ["SHARPFLOW_K8S_IMAGE"] = "" };
        var preview = await ChildProcess.DotnetAsync(work.Root, environment, ChildProcess.TestFlowsDll, "ArgoFeaturesFlow", "argo-workflows", "create", "--preview",
            "--config-value", """settings={"epochs": 3}""");

        Assert.True(preview.ExitCode == 0, preview.Stdout + preview.Stderr);
        Assert.Contains("kind: WorkflowTemplate", preview.Stdout);
        Assert.Contains("kind: CronWorkflow", preview.Stdout);
        Assert.Contains("s3://DATASTORE", preview.Stdout);
        Assert.Contains("- project:churn", preview.Stdout); // the start step records the project and branch on the run
        Assert.Contains("- project_branch:user.", preview.Stdout);
        Assert.Contains("This is a preview: the datastore (--datastore s3://bucket/prefix) is shown as s3://DATASTORE. Nothing was stored", preview.Stderr);
        Assert.Contains("warning: SHARPFLOW_S3_ENDPOINT=http://127.0.0.1:9000 from this shell goes into the template, but it is this machine's loopback address", preview.Stderr);
        Assert.Empty(Directory.GetFileSystemEntries(work.Root)); // no datastore, no package

        // Deploying for real still refuses a datastore the pods cannot see.
        var local = await ChildProcess.DotnetAsync(work.Root, environment, ChildProcess.TestFlowsDll, "ArgoFeaturesFlow", "argo-workflows", "create",
            "--output", "x.yaml", "--image", "registry.example/sf:1", "--datastore", work.Root, "--config-value", """settings={"epochs": 3}""");
        Assert.Equal(2, local.ExitCode);
        Assert.Contains("is a local folder, which Argo's pods cannot see", local.Stderr);
    }

    [Fact]
    public async Task EveryShapeOfTheCorpusCompilesToATemplateThatArgosSchemaAccepts()
    {
        var flows = Corpus.GetTypes().Where(t => t.IsDefined(typeof(GoodFixtureAttribute))).Append(typeof(ArgoFeaturesFlow)).ToArray();
        Assert.Equal(16, flows.Length);
        using var work = new TempDatastore();
        var files = new List<string>();
        foreach (var flow in flows)
        {
            var compiler = Compiler(flow);
            var template = compiler.WorkflowTemplate();
            AssertWellFormed(template, flow.Name);
            files.Add(Path.Combine(work.Root, flow.Name + ".json"));
            await File.WriteAllTextAsync(files[^1], template.ToJsonString());
            if (compiler.CronWorkflow() is { } cron)
            {
                files.Add(Path.Combine(work.Root, flow.Name + ".cron.json"));
                await File.WriteAllTextAsync(files[^1], cron.ToJsonString());
            }
        }
        Assert.Equal(flows.Length + 1, files.Count); // ArgoFeaturesFlow has a schedule

        var validation = await ManifestValidator.RunAsync([.. files]);
        Assert.True(validation.ExitCode == 0, validation.Stdout + validation.Stderr);
        Assert.Equal(files.Count, validation.Stdout.Split('\n').Count(l => l.StartsWith("valid ", StringComparison.Ordinal)));

        // The validator is not a rubber stamp: a container without its name, or a DAG task without its name, is refused.
        var broken = Template(typeof(LinearFlow));
        Named(broken, "step-a")["container"]!.AsObject().Remove("name");
        var brokenFile = Path.Combine(work.Root, "broken.json");
        await File.WriteAllTextAsync(brokenFile, broken.ToJsonString());
        var refused = await ManifestValidator.RunAsync(brokenFile);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("invalid", refused.Stdout);
    }

    [Fact]
    public async Task TriggersCompileToAnArgoEventsSensorThatArgoEventsDefinitionsAccept()
    {
        var flow = typeof(TriggeredFlow);
        var manifest = new CodePackageManifest(flow.Name, "0123456789abcdef", "Sharpflow.Worker.dll", [], "1.0.0", "10.0.0", []) { Arguments = ["Flows.dll", flow.FullName!] };
        var deployment = new ArgoDeployment("churn-user-alice-triggeredflow", "ml", "registry.example/sharpflow:1", "s3://models/prod", manifest, [], DefaultConfigs(flow), "alice")
        {
            Project = "churn",
            Branch = "user.alice",
            ServiceAccount = "argo-events-sa",
        };
        var sensor = new ArgoWorkflowCompiler(FlowGraphExtractor.Extract(flow), deployment).Sensor()!;

        var dependencies = sensor["spec"]!["dependencies"]!.AsArray();
        Assert.Equal(["data_updated", "sharpflow.churn.user.alice.ArgoFeaturesFlow.finished"], // the upstream on the same branch
            dependencies.Select(d => Text(d!["filters"]!["data"]![0]!["value"]![0])));
        Assert.All(dependencies, d => Assert.Equal("sharpflow-events", Text(d!["eventSourceName"])));
        var trigger = sensor["spec"]!["triggers"]![0]!["template"]!["argoWorkflow"]!;
        Assert.Equal("submit", Text(trigger["operation"]));
        var workflow = trigger["source"]!["resource"]!;
        Assert.Equal("churn-user-alice-triggeredflow", Text(workflow["spec"]!["workflowTemplateRef"]!["name"]));
        Assert.Equal(["table", "rows"], workflow["spec"]!["arguments"]!["parameters"]!.AsArray().Select(p => Text(p!["name"])));
        var mappings = trigger["parameters"]!.AsArray();
        Assert.Equal(["body.payload.table_name", "body.payload.rows"], mappings.Select(m => Text(m!["src"]!["dataKey"])));
        Assert.Equal(["spec.arguments.parameters.0.value", "spec.arguments.parameters.1.value"], mappings.Select(m => Text(m!["dest"])));
        Assert.Equal(["customers", "100"], mappings.Select(m => Text(m!["src"]!["value"]))); // a payload without the field keeps the default
        Assert.Equal("argo-events-sa", Text(sensor["spec"]!["template"]!["serviceAccountName"]));
        Assert.Null(new ArgoWorkflowCompiler(FlowGraphExtractor.Extract(typeof(ArgoFeaturesFlow)), deployment).Sensor()); // no triggers, no Sensor
        var mistyped = Assert.Throws<InvalidOperationException>(() => Compiler(typeof(Flows.MistypedTriggerFlow)).Sensor());
        Assert.Equal("Flow 'MistypedTriggerFlow': [Trigger(\"data_updated\")] maps payload field 'table_name' to parameter 'tabel', which the flow does not have. Its parameters are: table.", mistyped.Message);

        using var work = new TempDatastore();
        var file = Path.Combine(work.Root, "sensor.json");
        await File.WriteAllTextAsync(file, sensor.ToJsonString());
        var validation = await ManifestValidator.RunAsync(file);
        Assert.True(validation.ExitCode == 0, validation.Stdout + validation.Stderr);

        // Not a rubber stamp: a misspelled field and a missing required one are refused.
        mappings[0]!["src"]!.AsObject().Add("datakey", "body.x");
        dependencies[1]!.AsObject().Remove("eventName");
        await File.WriteAllTextAsync(file, sensor.ToJsonString());
        var refused = await ManifestValidator.RunAsync(file);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("must NOT have additional properties", refused.Stdout);
        Assert.Contains("must have required property 'eventName'", refused.Stdout);

        // The deploy command's YAML carries the Sensor.
        var environment = new Dictionary<string, string> { ["SHARPFLOW_DATASTORE_ROOT"] = "", ["SHARPFLOW_K8S_IMAGE"] = "", ["SHARPFLOW_USER"] = "alice" };
        var preview = await ChildProcess.DotnetAsync(work.Root, environment, ChildProcess.TestFlowsDll, "TriggeredFlow", "argo-workflows", "create", "--preview");
        Assert.True(preview.ExitCode == 0, preview.Stdout + preview.Stderr);
        Assert.Contains("kind: Sensor", preview.Stdout);
        Assert.Contains("sharpflow.churn.user.alice.ArgoFeaturesFlow.finished", preview.Stdout);
    }

    [Fact]
    public async Task AnEventRaisedLocallyRunsTheFlowWithTheParametersItsSensorWouldGive()
    {
        using var store = new TempDatastore();
        var environment = new Dictionary<string, string> { ["SHARPFLOW_USER"] = "alice", [FlowEvents.WebhookVariable] = "" };
        Task<ChildProcess.Result> RaiseAsync(params string[] args) =>
            ChildProcess.DotnetAsync(store.Root, environment, [ChildProcess.TestFlowsDll, "TriggeredFlow", "argo-workflows", "publish-event", .. args, "--datastore", store.Root]);

        var data = await RaiseAsync("data_updated", "--payload", "table_name=orders", "--payload", "unrelated=1", "--local");
        Assert.True(data.ExitCode == 0, data.Stdout + data.Stderr);
        Assert.Contains("Event 'data_updated' starts TriggeredFlow here with --table orders.", data.Stdout);
        var run = new Flow("TriggeredFlow", store.Client with { Namespace = "user:alice" }).LatestRun!;
        Assert.True(run.Successful, run.Error);
        Assert.Equal("\"orders\"", run.Parameters["Table"]);
        Assert.Equal("100", run.Parameters["Rows"]); // not in the payload: the default

        var upstream = await RaiseAsync("sharpflow.churn.user.alice.ArgoFeaturesFlow.finished", "--local"); // [TriggerOnFinish], on alice's branch
        Assert.True(upstream.ExitCode == 0, upstream.Stdout + upstream.Stderr);
        Assert.Equal(2, new Flow("TriggeredFlow", store.Client with { Namespace = "user:alice" }).Runs.Count());

        var other = await RaiseAsync("model_ready", "--local");
        Assert.Equal(2, other.ExitCode);
        Assert.Contains("Flow 'TriggeredFlow' does not wait for event 'model_ready'. It waits for: data_updated, sharpflow.churn.user.alice.ArgoFeaturesFlow.finished.", other.Stderr);
        var nowhere = await RaiseAsync("data_updated");
        Assert.Equal(2, nowhere.ExitCode);
        Assert.Contains($"Name the Argo Events webhook with --webhook URL or {FlowEvents.WebhookVariable}", nowhere.Stderr);
        Assert.Equal(2, new Flow("TriggeredFlow", store.Client with { Namespace = "user:alice" }).Runs.Count());
    }

    /// <summary>Every task names a template that exists and depends only on tasks of its own DAG; every step has exactly one container template.</summary>
    private static void AssertWellFormed(JsonObject template, string flow)
    {
        var templates = template["spec"]!["templates"]!.AsArray().Select(t => t!.AsObject()).ToArray();
        var names = templates.Select(t => t["name"]!.GetValue<string>()).ToHashSet();
        Assert.Equal(templates.Length, names.Count);
        Assert.Contains("main", names);
        foreach (var dag in templates.Where(t => t["dag"] is not null))
        {
            var tasks = dag["dag"]!["tasks"]!.AsArray().Select(t => t!.AsObject()).ToArray();
            var taskNames = tasks.Select(t => t["name"]!.GetValue<string>()).ToHashSet();
            foreach (var task in tasks)
            {
                Assert.True(names.Contains(task["template"]!.GetValue<string>()), $"{flow}: task {task["name"]} calls a missing template");
                foreach (var dependency in System.Text.RegularExpressions.Regex.Matches(Text(task["depends"]) ?? "", @"([a-z0-9-]+)\.Succeeded").Select(m => m.Groups[1].Value))
                {
                    Assert.True(taskNames.Contains(dependency), $"{flow}: task {task["name"]} depends on {dependency}, not a task of {dag["name"]}");
                }
            }
        }
        var graph = FlowGraphExtractor.Extract(Corpus.GetTypes().Append(typeof(ArgoFeaturesFlow)).Single(t => t.Name == flow));
        Assert.Equal(graph.Steps.Select(s => "step-" + ArgoNames.Of(s.Name)).Order(), names.Where(n => n.StartsWith("step-", StringComparison.Ordinal)).Order());
    }

    [Fact]
    public void LinearAndBranchEdgesBecomeDependenciesAndAJoinGetsEveryBranchsTask()
    {
        var linear = Tasks(Template(typeof(LinearFlow)), "main");
        Assert.False(linear["start"].ContainsKey("depends"));
        Assert.Equal("", Argument(linear["start"], "input-paths"));
        Assert.Equal("start.Succeeded", Text(linear["a"]["depends"]));
        Assert.Equal("{{tasks.start.outputs.parameters.task-path}}", Argument(linear["a"], "input-paths"));
        Assert.Equal("b.Succeeded", Text(linear["end"]["depends"]));

        var nested = Tasks(Template(typeof(NestedBranchFlow)), "main");
        Assert.Equal("l2a.Succeeded", Text(nested["l3a"]["depends"]));
        Assert.Equal("l3a.Succeeded && l3b.Succeeded", Text(nested["j3"]["depends"]));
        Assert.Equal("j3.Succeeded && l2b.Succeeded", Text(nested["j2"]["depends"]));
        Assert.Equal("{{tasks.j2.outputs.parameters.task-path}},{{tasks.l1b.outputs.parameters.task-path}}", Argument(nested["j1"], "input-paths"));
    }

    [Fact]
    public void AForeachRunsItsBodyTemplateWithParamOverTheSplitStepsIndicesAndNestedForeachNests()
    {
        var template = Template(typeof(NestedForeachFlow));
        var main = Tasks(template, "main");
        Assert.Equal(["end", "foreach-start", "joinouter", "start"], main.Keys.Order());
        Assert.Equal("{{tasks.start.outputs.parameters.split-indices}}", Text(main["foreach-start"]["withParam"]));
        Assert.Equal("{{item}}", Argument(main["foreach-start"], "split-index"));
        Assert.Equal("foreach-start.Succeeded", Text(main["joinouter"]["depends"]));
        Assert.Equal("{{tasks.foreach-start.outputs.parameters.task-path}}", Argument(main["joinouter"], "input-paths"));
        Assert.Contains(Named(template, "step-start")["outputs"]!["parameters"]!.AsArray(), p => Text(p!["name"]) == "split-indices");

        var outer = Tasks(template, "foreach-start");
        Assert.Equal(["foreach-outer", "joinmiddle", "outer"], outer.Keys.Order());
        Assert.Equal("{{inputs.parameters.input-paths}}", Argument(outer["outer"], "input-paths"));
        Assert.Equal("{{inputs.parameters.split-index}}", Argument(outer["outer"], "split-index"));
        Assert.Equal("{{tasks.outer.outputs.parameters.split-indices}}", Text(outer["foreach-outer"]["withParam"]));
        Assert.Equal("{{tasks.joinmiddle.outputs.parameters.task-path}}", Text(Named(template, "foreach-start")["outputs"]!["parameters"]![0]!["valueFrom"]!["parameter"]));
        Assert.Equal(["foreach-middle", "joininner", "middle"], Tasks(template, "foreach-outer").Keys.Order());
        Assert.Equal(["leaf"], Tasks(template, "foreach-middle").Keys.Order());
    }

    [Fact]
    public void ASwitchRunsEachCaseUnderAWhenOnTheChosenStepAndTheMergeTakesWhicheverRan()
    {
        var template = Template(typeof(NestedSwitchFlow));
        var main = Tasks(template, "main");
        Assert.Equal("'{{tasks.start.outputs.parameters.switch-step}}' == 'CaseA'", Text(main["casea"]["when"]));
        Assert.Equal("'{{tasks.start.outputs.parameters.switch-step}}' == 'CaseB'", Text(main["caseb"]["when"]));
        Assert.Equal("'{{tasks.casea.outputs.parameters.switch-step}}' == 'Inner1'", Text(main["inner1"]["when"]));
        Assert.Equal("casea.Succeeded", Text(main["inner1"]["depends"]));
        // The merge waits for whichever case ran (a skipped case's dependents are omitted, not run).
        Assert.Equal("(caseb.Succeeded || inner1.Succeeded || inner2.Succeeded)", Text(main["end"]["depends"]));
        Assert.False(main["end"].ContainsKey("when"));
        Assert.StartsWith("{{=tasks['caseb'].status == 'Succeeded' ? tasks['caseb'].outputs.parameters['task-path'] : (", Argument(main["end"], "input-paths"));
        Assert.Contains(Named(template, "step-start")["outputs"]!["parameters"]!.AsArray(), p => Text(p!["name"]) == "switch-step");

        // A switch inside a foreach body: the body's output is the task of whichever case ran.
        var body = Named(Template(typeof(SwitchInForeachFlow)), "foreach-start");
        Assert.Equal("tasks['even'].status == 'Succeeded' ? tasks['even'].outputs.parameters['task-path'] : (tasks['odd'].outputs.parameters['task-path'])",
            Text(body["outputs"]!["parameters"]![0]!["valueFrom"]!["expression"]));

        // A branch join whose branch holds a switch: one input per branch.
        var branch = Tasks(Template(typeof(SwitchInBranchFlow)), "main");
        Assert.Equal("(high.Succeeded || low.Succeeded) && right.Succeeded", Text(branch["join"]["depends"]));
    }

    [Fact]
    public void ALoopIsATemplateThatCallsItselfWhileTheSwitchGoesBack()
    {
        var template = Template(typeof(RecursiveSwitchFlow));
        var main = Tasks(template, "main");
        Assert.Equal(["end", "loop-loop", "start"], main.Keys.Order());
        Assert.Equal("{{tasks.start.outputs.parameters.task-path}}", Argument(main["loop-loop"], "input-paths"));
        Assert.Equal("0", Argument(main["loop-loop"], "iteration"));
        Assert.Equal("'{{tasks.loop-loop.outputs.parameters.switch-step}}' == 'End'", Text(main["end"]["when"]));

        var loop = Tasks(template, "loop-loop");
        Assert.Equal("{{inputs.parameters.iteration}}", Argument(loop["loop"], "iteration"));
        Assert.Equal("loop-loop", Text(loop["again"]["template"]));
        Assert.Equal("'{{tasks.loop.outputs.parameters.switch-step}}' == 'Loop'", Text(loop["again"]["when"]));
        Assert.Equal("{{=asInt(inputs.parameters.iteration) + 1}}", Argument(loop["again"], "iteration"));
        Assert.Equal("{{tasks.loop.outputs.parameters.task-path}}", Argument(loop["again"], "input-paths"));
        var outputs = Named(template, "loop-loop")["outputs"]!["parameters"]!.AsArray();
        Assert.Equal(["task-path", "switch-step"], outputs.Select(o => Text(o!["name"])));

        // A loop inside a foreach: each item's body is the loop.
        var inForeach = Template(typeof(RecursiveSwitchInForeachFlow));
        Assert.Equal(["loop-loop"], Tasks(inForeach, "foreach-start").Keys);
        Assert.Equal("{{inputs.parameters.split-index}}", Argument(Tasks(inForeach, "foreach-start")["loop-loop"], "split-index"));
        Assert.Equal("{{tasks.foreach-start.outputs.parameters.task-path}}", Argument(Tasks(inForeach, "main")["join"], "input-paths"));
    }

    [Fact]
    public void ResourcesRetriesDeadlinesPlacementParametersConfigsAndTheScheduleCarryOver()
    {
        var compiler = Compiler(typeof(ArgoFeaturesFlow));
        var template = compiler.WorkflowTemplate();
        var train = Named(template, "step-train");
        var limits = train["container"]!["resources"]!["limits"]!;
        Assert.Equal("8", Text(limits["cpu"]));
        Assert.Equal("32Gi", Text(limits["memory"]));
        Assert.Equal("2", Text(limits["nvidia.com/gpu"]));
        Assert.Equal("2", Text(train["retryStrategy"]!["limit"]));
        Assert.Equal("30s", Text(train["retryStrategy"]!["backoff"]!["duration"]));
        Assert.Equal(5400, train["activeDeadlineSeconds"]!.GetValue<long>());
        Assert.Equal("true", Text(train["nodeSelector"]!["nvidia.com/gpu.present"]));
        Assert.Equal("nvidia.com/gpu", Text(train["tolerations"]![0]!["key"]));
        Assert.Contains(train["container"]!["env"]!.AsArray(), e => Text(e!["name"]) == "NCCL_DEBUG" && Text(e["value"]) == "INFO");
        Assert.Equal("NoSchedule", Text(train["tolerations"]![0]!["effect"]));
        var command = train["container"]!["command"]!.AsArray().Select(Text).ToArray();
        Assert.Equal(["dotnet", "/sharpflow/Sharpflow.Worker.dll", "--package", "s3://models/prod", "ArgoFeaturesFlow", "0123456789abcdef"], command[..6].Select(c => c!).ToArray());
        Assert.Equal("{{retries}}", command[Array.IndexOf(command, "--attempt") + 1]);

        var start = Named(template, "step-start");
        Assert.Null(start["retryStrategy"]);
        Assert.Null(start["container"]!["resources"]!["limits"]!["nvidia.com/gpu"]);
        var startCommand = start["container"]!["command"]!.AsArray().Select(Text).ToArray();
        Assert.Equal("0", startCommand[Array.IndexOf(startCommand, "--attempt") + 1]);
        Assert.Contains("learning-rate={{workflow.parameters.learning-rate}}", startCommand);
        Assert.Contains("table={{workflow.parameters.table}}", startCommand);
        Assert.Contains("production:argofeaturesflow", startCommand);

        var parameters = template["spec"]!["arguments"]!["parameters"]!.AsArray();
        Assert.Equal(["learning-rate", "table"], parameters.Select(p => Text(p!["name"])));
        Assert.Equal("0.05", Text(parameters[0]!["value"]));
        Assert.Equal("customers", Text(parameters[1]!["value"]));
        Assert.Equal("exit-handler", Text(template["spec"]!["onExit"]));

        var cron = compiler.CronWorkflow()!;
        Assert.Equal("30 6 * * 1-5", Text(cron["spec"]!["schedules"]![0]));
        Assert.Equal("Europe/Amsterdam", Text(cron["spec"]!["timezone"]));
        Assert.Equal(Text(template["metadata"]!["name"]), Text(cron["spec"]!["workflowSpec"]!["workflowTemplateRef"]!["name"]));
        Assert.Null(Compiler(typeof(LinearFlow)).CronWorkflow());
    }

    [Fact]
    public void ConfigsAreResolvedAtDeployTimeAndBakedIntoTheTemplate()
    {
        using var work = new TempDatastore();
        var file = Path.Combine(work.Root, "settings.json");
        File.WriteAllText(file, """{"epochs": 7}""");
        var deployed = Compiler(typeof(ArgoFeaturesFlow), ConfigResolver.Resolve(typeof(ArgoFeaturesFlow), new Dictionary<string, string> { ["settings"] = file })).WorkflowTemplate();
        File.WriteAllText(file, """{"epochs": 4242424}"""); // a later change of the file changes nothing deployed

        var command = Named(deployed, "step-start")["container"]!["command"]!.AsArray().Select(Text).ToArray();
        var configs = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, ConfigRecord>>(command[Array.IndexOf(command, "--configs") + 1]!, MetadataJson.Flexible)!;
        Assert.Equal(7, JsonNode.Parse(configs["settings"].Json)!["epochs"]!.GetValue<int>());
        Assert.DoesNotContain("4242424", deployed.ToJsonString());
        // Only the start step creates the run, so only it carries the configs and parameters.
        Assert.DoesNotContain("--configs", Named(deployed, "step-train")["container"]!["command"]!.ToJsonString());
    }

    [Fact]
    public void AProjectNamesItsBranchesSoABranchNeverTouchesProduction()
    {
        Assert.Equal("churn-prod-argofeaturesflow", DeploymentName.For(typeof(ArgoFeaturesFlow), null, null, production: true, "alice").Name);
        Assert.Equal("churn-user-alice-argofeaturesflow", DeploymentName.For(typeof(ArgoFeaturesFlow), null, null, production: false, "alice").Name);
        Assert.Equal("churn-test-newfeatures-argofeaturesflow", DeploymentName.For(typeof(ArgoFeaturesFlow), null, "newfeatures", production: false, "alice").Name);
        Assert.Equal("linearflow", DeploymentName.For(typeof(LinearFlow), null, null, false, "alice").Name);
        Assert.Equal("nightly", DeploymentName.For(typeof(LinearFlow), "Nightly", null, false, "alice").Name);
        Assert.Contains("need a project", Assert.Throws<ArgumentException>(() => DeploymentName.For(typeof(LinearFlow), null, "x", false, "alice")).Message);
        Assert.Contains("--branch instead of --name", Assert.Throws<ArgumentException>(() => DeploymentName.For(typeof(ArgoFeaturesFlow), "x", null, false, "alice")).Message);
    }

    [Fact]
    public void TheYamlReadsBackAsTheSameTemplate()
    {
        var compiler = Compiler(typeof(ArgoFeaturesFlow));
        // One template, written and read back: compiling it twice could differ (the datastore settings a worker is given
        // come from this process's environment, which other tests' fixtures set while this one runs).
        var template = compiler.WorkflowTemplate();
        var yaml = new CompiledDeployment(null!, (JsonObject)template.DeepClone(), compiler.CronWorkflow()).ToYaml();
        var documents = yaml.Split("---\n");
        Assert.Equal(2, documents.Length);
        var reader = new YamlDotNet.Serialization.DeserializerBuilder().WithAttemptingUnquotedStringTypeDeserialization().Build();
        var back = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(reader.Deserialize<object>(documents[0])))!;
        Assert.True(JsonNode.DeepEquals(template, back), yaml);
        // Strings that look like numbers stay strings (Argo parameters and resource quantities are strings).
        Assert.Matches("value: ['\"]0\\.05['\"]", yaml);
    }
}

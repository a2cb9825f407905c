using System.Globalization;
using System.Text.Json.Nodes;
using Sharpflow.Compute;
using Sharpflow.Kubernetes;
using Sharpflow.Execution;
using Sharpflow.Graph;
using Sharpflow.Metadata;

namespace Sharpflow.Argo;

/// <summary>
/// Compiles a flow into an Argo <c>WorkflowTemplate</c> (and a <c>CronWorkflow</c> for <see cref="ScheduleAttribute"/>).
/// Every step is a container template that runs the flow's code package with the <c>task</c> command; the graph becomes
/// DAG templates: edges as <c>depends</c>, a foreach as a DAG template run <c>withParam</c> over the split step's
/// indices, a switch as <c>when</c> on the switch step's chosen step, a loop as a template that calls itself under a
/// <c>when</c>. Each task hands its <c>step/task</c> path to the next through an output parameter.
/// </summary>
internal sealed partial class ArgoWorkflowCompiler
{
    /// <summary>Where a task writes the output parameters Argo reads (see <see cref="DeployedTaskHost"/>).</summary>
    public const string OutputsDirectory = "/tmp/sharpflow";

    private readonly FlowGraph _graph;
    private readonly FlowRegions _regions;
    private readonly EffectiveFlow _effective;
    private readonly ArgoDeployment _deployment;

    public ArgoWorkflowCompiler(FlowGraph graph, ArgoDeployment deployment)
    {
        GraphValidator.EnsureValid(graph);
        _graph = graph;
        _deployment = deployment;
        _regions = new FlowRegions(graph);
        _effective = FlowMutation.Apply(graph, deployment.Configs, new RunnerOptions());
    }

    /// <summary>The <c>WorkflowTemplate</c> object (serialize it as JSON for the Argo Server, or as YAML for kubectl).</summary>
    public JsonObject WorkflowTemplate()
    {
        var templates = new JsonArray();
        foreach (var region in _regions.Regions)
        {
            templates.Add(DagTemplate(region));
        }
        foreach (var step in _graph.Steps.Where(s => _regions.Main.Steps.Contains(s.Name)))
        {
            templates.Add(StepTemplate(step));
        }
        templates.Add(ExitTemplate());
        var spec = new JsonObject
        {
            ["entrypoint"] = "main",
            ["onExit"] = "exit-handler",
            ["arguments"] = new JsonObject { ["parameters"] = WorkflowParameters() },
            ["templates"] = templates,
        };
        if (_deployment.ServiceAccount is { } account)
        {
            spec["serviceAccountName"] = account;
        }
        return new JsonObject
        {
            ["apiVersion"] = "argoproj.io/v1alpha1",
            ["kind"] = "WorkflowTemplate",
            ["metadata"] = Metadata(_deployment.Name),
            ["spec"] = spec,
        };
    }

    /// <summary>The <c>CronWorkflow</c> that starts the template on the flow's schedule, or null when it has none.</summary>
    public JsonObject? CronWorkflow()
    {
        if (_graph.FlowType.GetCustomAttributes(typeof(ScheduleAttribute), true).FirstOrDefault() is not ScheduleAttribute schedule)
        {
            return null;
        }
        var spec = new JsonObject
        {
            ["schedules"] = new JsonArray(schedule.CronExpression(_graph.FlowName)), // Argo 3.6+ (`schedule` is deprecated there)
            ["concurrencyPolicy"] = "Replace",
            ["workflowSpec"] = new JsonObject { ["workflowTemplateRef"] = new JsonObject { ["name"] = _deployment.Name } },
        };
        if (schedule.Timezone is { } zone)
        {
            spec["timezone"] = zone;
        }
        return new JsonObject
        {
            ["apiVersion"] = "argoproj.io/v1alpha1",
            ["kind"] = "CronWorkflow",
            ["metadata"] = Metadata(_deployment.Name),
            ["spec"] = spec,
        };
    }

    private JsonObject Metadata(string name)
    {
        var labels = new JsonObject
        {
            ["app.kubernetes.io/managed-by"] = "sharpflow",
            ["sharpflow.dev/flow"] = ArgoNames.Of(_graph.FlowName),
        };
        if (_deployment.Project is { } project)
        {
            labels["sharpflow.dev/project"] = ArgoNames.Of(project);
            labels["sharpflow.dev/branch"] = ArgoNames.Of(_deployment.Branch!);
        }
        return new JsonObject
        {
            ["name"] = name,
            ["namespace"] = _deployment.Namespace,
            ["labels"] = labels,
            ["annotations"] = new JsonObject
            {
                ["sharpflow.dev/flow-name"] = _graph.FlowName,
                ["sharpflow.dev/code-package"] = _deployment.Package.Hash,
                ["sharpflow.dev/datastore"] = _deployment.DatastoreRoot,
                ["sharpflow.dev/deployed-by"] = _deployment.User,
            },
        };
    }

    private JsonArray WorkflowParameters()
    {
        var parameters = new JsonArray();
        var defaults = Activator.CreateInstance(_graph.FlowType);
        foreach (var parameter in _effective.ParametersOf(_graph.FlowType).Where(p => !_effective.RemovedParameters.Contains(p.Name) && !_effective.RemovedParameters.Contains(p.PropertyName)))
        {
            var entry = new JsonObject { ["name"] = parameter.Name };
            var value = parameter.IncludesFile ? _deployment.IncludedFiles.GetValueOrDefault(parameter.PropertyName) ?? parameter.DefaultPath
                : parameter.Property is { } property ? property.GetValue(defaults) : parameter.DefaultValue;
            if (!parameter.Required && value is not null)
            {
                entry["value"] = value is string text ? text : parameter.ToJson(value).Trim('"');
            }
            parameters.Add(entry);
        }
        return parameters;
    }

    /// <summary>Arguments a run's parameters take on the start step's command line.</summary>
    private IEnumerable<string> ParameterArguments() =>
        WorkflowParameters().Select(p => p!["name"]!.GetValue<string>()).SelectMany(name => new[] { "--param", $"{name}={{{{workflow.parameters.{name}}}}}" });

    // ---- DAG templates ----------------------------------------------------------------------------------------

    private JsonObject DagTemplate(FlowRegion region)
    {
        var tasks = new JsonArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var step in _graph.Steps.Where(s => region.Steps.Contains(s.Name)))
        {
            var child = _regions.ChildHolding(region, step.Name);
            if (child is not null && child.Head != step.Name)
            {
                continue; // a step deeper inside a nested region: that region's own template runs it
            }
            var name = child?.Name ?? ArgoNames.Of(step.Name);
            if (!seen.Add(name))
            {
                throw new NotSupportedException($"Flow '{_graph.FlowName}': steps '{step.Name}' and another step both become Argo task '{name}'; rename one.");
            }
            tasks.Add(Task(region, step, child, name));
        }
        var template = new JsonObject { ["name"] = region.Name };
        if (region.Kind != RegionKind.Main)
        {
            template["inputs"] = new JsonObject { ["parameters"] = InputParameters() };
        }
        if (region.Kind == RegionKind.Loop)
        {
            tasks.Add(LoopAgainTask(region));
        }
        template["dag"] = new JsonObject { ["tasks"] = tasks };
        if (region.Kind != RegionKind.Main)
        {
            template["outputs"] = new JsonObject { ["parameters"] = RegionOutputs(region) };
        }
        return template;
    }

    private static JsonArray InputParameters() =>
    [
        new JsonObject { ["name"] = "input-paths", ["default"] = "" },
        new JsonObject { ["name"] = "split-index", ["default"] = "-1" },
        new JsonObject { ["name"] = "iteration", ["default"] = "0" },
    ];

    /// <summary>One DAG task: a step of this region, or a call of a nested region's template (a foreach over its items, or a loop).</summary>
    private JsonObject Task(FlowRegion region, StepNode step, FlowRegion? child, string name)
    {
        var entry = step.Name;
        var predecessors = step.InSteps.Where(p => !IsLoopBackInto(p, entry, child ?? region)).ToArray();
        var groups = InputGroups(step, predecessors);
        var task = new JsonObject { ["name"] = name, ["template"] = child?.Name ?? "step-" + ArgoNames.Of(entry) };

        var depends = new List<string>();
        var paths = new List<string>();
        var conditions = new List<string>();
        foreach (var group in groups)
        {
            var candidates = group.Select(p => NodeFor(region, p)).Distinct().ToArray();
            if (candidates.Contains(null))
            {
                if (candidates.Length > 1)
                {
                    throw new NotSupportedException($"Flow '{_graph.FlowName}', step '{entry}': it is reached both from inside and from outside its region ({region.Name}); Argo deployment does not support that shape.");
                }
                paths.Add("{{inputs.parameters.input-paths}}");
                continue;
            }
            depends.Add(candidates.Length == 1 ? $"{candidates[0]}.Succeeded" : "(" + string.Join(" || ", candidates.Select(c => $"{c}.Succeeded")) + ")");
            paths.Add(PathOf(candidates!));
            // A switch's case runs under a `when` on the step it chose; a foreach body's last step always goes to its join.
            var switches = group.Where(p => _graph[p].Transition?.Kind == TransitionKind.Switch && _regions.ChildHolding(region, p)?.Kind != RegionKind.Foreach).ToArray();
            if (switches.Length > 0 && switches.Length != group.Count(p => _regions.ChildHolding(region, p)?.Kind != RegionKind.Foreach))
            {
                throw new NotSupportedException($"Flow '{_graph.FlowName}', step '{entry}': it is both a switch case and the next step of another step; Argo deployment does not support that shape.");
            }
            conditions.AddRange(switches.Select(p => $"'{{{{tasks.{NodeFor(region, p)}.outputs.parameters.switch-step}}}}' == '{entry}'"));
        }
        if (depends.Count > 0)
        {
            task["depends"] = string.Join(" && ", depends);
        }
        if (conditions.Count > 0)
        {
            task["when"] = string.Join(" || ", conditions);
        }

        var isHead = entry == region.Head;
        string splitIndex = isHead ? "{{inputs.parameters.split-index}}" : "-1";
        if (child?.Kind == RegionKind.Foreach)
        {
            task["withParam"] = $"{{{{tasks.{ArgoNames.Of(child.SplitStep!)}.outputs.parameters.split-indices}}}}";
            splitIndex = "{{item}}";
        }
        var iteration = region.Kind == RegionKind.Loop && child is null ? "{{inputs.parameters.iteration}}" : "0";
        task["arguments"] = Arguments(string.Join(",", paths), splitIndex, iteration);
        return task;
    }

    /// <summary>The recursive call of a loop's template when its switch goes back to the loop's first step.</summary>
    private JsonObject LoopAgainTask(FlowRegion loop)
    {
        var last = NodeFor(loop, loop.LoopSwitch!)!;
        return new JsonObject
        {
            ["name"] = "again",
            ["template"] = loop.Name,
            ["depends"] = $"{last}.Succeeded",
            ["when"] = $"'{{{{tasks.{last}.outputs.parameters.switch-step}}}}' == '{loop.Head}'",
            ["arguments"] = Arguments($"{{{{tasks.{last}.outputs.parameters.task-path}}}}", "-1", "{{=asInt(inputs.parameters.iteration) + 1}}"),
        };
    }

    private static JsonObject Arguments(string inputPaths, string splitIndex, string iteration) => new()
    {
        ["parameters"] = new JsonArray
        {
            new JsonObject { ["name"] = "input-paths", ["value"] = inputPaths },
            new JsonObject { ["name"] = "split-index", ["value"] = splitIndex },
            new JsonObject { ["name"] = "iteration", ["value"] = iteration },
        },
    };

    /// <summary>
    /// The predecessors of a step grouped by the input they give it: a join over a branch gets one group per branch
    /// (within a branch, whichever case of a switch ran), a join over a foreach one group (the foreach's tasks),
    /// any other step one group (whichever predecessor ran).
    /// </summary>
    private List<List<string>> InputGroups(StepNode step, IReadOnlyList<string> predecessors)
    {
        if (!step.IsJoin || predecessors.Count == 0)
        {
            return predecessors.Count == 0 ? [] : [[.. predecessors]];
        }
        var split = _graph[_regions.SplitsOpenAt(predecessors[0])[^1]];
        if (split.Transition!.Kind == TransitionKind.Foreach)
        {
            return [[.. predecessors]];
        }
        return split.OutSteps.Select(branch => predecessors.Where(p => p == branch || Descends(branch, p, step.Name)).ToList()).ToList();
    }

    /// <summary>True when <paramref name="to"/> can be reached from <paramref name="from"/> without passing <paramref name="stop"/>.</summary>
    private bool Descends(string from, string to, string stop)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { from };
        var pending = new Stack<string>([from]);
        while (pending.TryPop(out var current))
        {
            foreach (var next in _graph[current].OutSteps.Where(n => n != stop && seen.Add(n)))
            {
                if (next == to)
                {
                    return true;
                }
                pending.Push(next);
            }
        }
        return false;
    }

    /// <summary>A loop's back edge into its first step is taken by the loop template's recursive call, not by a DAG edge.</summary>
    private bool IsLoopBackInto(string from, string to, FlowRegion region) =>
        _regions.IsBackEdge(from, to) && _regions.Regions.Any(r => r.Kind == RegionKind.Loop && r.Head == to && r.LoopSwitch == from);

    /// <summary>The DAG task of <paramref name="region"/> that gives <paramref name="step"/>'s output, or null when the step is outside the region (its input).</summary>
    private string? NodeFor(FlowRegion region, string step) =>
        !region.Steps.Contains(step) ? null : _regions.ChildHolding(region, step)?.Name ?? ArgoNames.Of(step);

    /// <summary>The task path of whichever of <paramref name="nodes"/> ran.</summary>
    private static string PathOf(IReadOnlyList<string?> nodes) =>
        nodes.Count == 1 ? $"{{{{tasks.{nodes[0]}.outputs.parameters.task-path}}}}" : "{{=" + WhicheverRan(nodes!, "task-path") + "}}";

    /// <summary>An Argo expression: the output of the first of <paramref name="nodes"/> that succeeded.</summary>
    private static string WhicheverRan(IReadOnlyList<string> nodes, string output)
    {
        var expression = $"tasks['{nodes[^1]}'].outputs.parameters['{output}']";
        for (var i = nodes.Count - 2; i >= 0; i--)
        {
            expression = $"tasks['{nodes[i]}'].status == 'Succeeded' ? tasks['{nodes[i]}'].outputs.parameters['{output}'] : ({expression})";
        }
        return expression;
    }

    private JsonArray RegionOutputs(FlowRegion region)
    {
        if (region.Kind == RegionKind.Loop)
        {
            var last = NodeFor(region, region.LoopSwitch!)!;
            return
            [
                new JsonObject { ["name"] = "task-path", ["valueFrom"] = new JsonObject { ["expression"] = WhicheverRan(["again", last], "task-path") } },
                new JsonObject { ["name"] = "switch-step", ["valueFrom"] = new JsonObject { ["expression"] = WhicheverRan(["again", last], "switch-step") } },
            ];
        }
        // A foreach body gives the join the path of its last task (whichever case of a switch ran last).
        var join = _graph.Steps.First(s => s.IsJoin && s.InSteps.Any(p => region.Steps.Contains(p) && _regions.SplitsOpenAt(p)[^1] == region.SplitStep));
        var tails = join.InSteps.Where(region.Steps.Contains).Select(p => NodeFor(region, p)!).Distinct().ToArray();
        var valueFrom = tails.Length == 1
            ? new JsonObject { ["parameter"] = $"{{{{tasks.{tails[0]}.outputs.parameters.task-path}}}}" }
            : new JsonObject { ["expression"] = WhicheverRan(tails, "task-path") };
        return [new JsonObject { ["name"] = "task-path", ["valueFrom"] = valueFrom }];
    }

    // ---- container templates ----------------------------------------------------------------------------------

    private JsonObject StepTemplate(StepNode step)
    {
        var policy = StepPolicy.For(_effective.DecoratorsOf(step.Name));
        var kubernetes = policy.Compute as KubernetesAttribute;
        var outputs = new JsonArray { Output("task-path") };
        if (step.Transition?.Kind == TransitionKind.Foreach)
        {
            outputs.Add(Output("split-indices"));
        }
        if (step.Transition?.Kind == TransitionKind.Switch)
        {
            outputs.Add(Output("switch-step"));
        }
        List<string> arguments =
        [
            "task", "--run-id", "argo-{{workflow.name}}", "--step", step.Name,
            "--input-paths", "{{inputs.parameters.input-paths}}", "--split-index", "{{inputs.parameters.split-index}}",
            "--iteration", "{{inputs.parameters.iteration}}", "--attempt", policy.RetryTimes > 0 ? "{{retries}}" : "0",
            "--outputs", OutputsDirectory,
        ];
        if (step == _graph.StartStep)
        {
            arguments.AddRange(["--user", _deployment.User, "--namespace", _deployment.RunNamespace,
                "--runtime", "argo-workflows", "--system-tag", "argo-workflow:{{workflow.name}}", "--system-tag", "deployment:" + _deployment.Name,
                "--configs", System.Text.Json.JsonSerializer.Serialize(_deployment.Configs, MetadataJson.Flexible)]);
            if (_deployment.Project is { } project)
            {
                arguments.AddRange(new ProjectBranch(project, _deployment.Branch!).Tags.SelectMany(tag => new[] { "--system-tag", tag }));
            }
            arguments.AddRange(ParameterArguments());
        }
        var template = new JsonObject
        {
            ["name"] = "step-" + ArgoNames.Of(step.Name),
            ["inputs"] = new JsonObject { ["parameters"] = InputParameters() },
            ["outputs"] = new JsonObject { ["parameters"] = outputs },
            ["metadata"] = new JsonObject
            {
                ["labels"] = new JsonObject
                {
                    ["app.kubernetes.io/managed-by"] = "sharpflow",
                    ["sharpflow.dev/flow"] = ArgoNames.Of(_graph.FlowName),
                    ["sharpflow.dev/step"] = ArgoNames.Of(step.Name),
                },
            },
            ["container"] = Container(kubernetes?.Image, arguments, policy.Resources ?? new ResourcesAttribute(),
                policy.Environment?.ToDictionary(_graph.FlowName, step.Name)),
        };
        if (policy.RetryTimes > 0)
        {
            template["retryStrategy"] = new JsonObject
            {
                ["limit"] = policy.RetryTimes.ToString(CultureInfo.InvariantCulture),
                ["retryPolicy"] = "Always",
                ["backoff"] = new JsonObject { ["duration"] = $"{Math.Max(1, (int)Math.Ceiling(policy.RetryDelay.TotalSeconds))}s" },
            };
        }
        if (policy.Timeout is { } timeout)
        {
            template["activeDeadlineSeconds"] = (long)Math.Ceiling(timeout.TotalSeconds);
        }
        if (kubernetes is not null)
        {
            var target = KubernetesTarget.From(kubernetes, _graph.FlowName, step.Name, _deployment.Image);
            if (target.NodeSelector.Count > 0)
            {
                template["nodeSelector"] = new JsonObject(target.NodeSelector.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
            }
            if (target.Tolerations.Count > 0)
            {
                template["tolerations"] = new JsonArray(target.Tolerations.Select(t => (JsonNode?)JsonNode.Parse(k8s.KubernetesJson.Serialize(t))).ToArray());
            }
        }
        return template;
    }

    private static JsonObject Output(string name) =>
        new() { ["name"] = name, ["valueFrom"] = new JsonObject { ["path"] = $"{OutputsDirectory}/{name}" } };

    /// <summary>The exit handler: records how the run ended and runs the flow's exit hooks.</summary>
    private JsonObject ExitTemplate() => new()
    {
        ["name"] = "exit-handler",
        ["container"] = Container(null, ["finish", "--run-id", "argo-{{workflow.name}}", "--status", "{{workflow.status}}"], new ResourcesAttribute(),
            _deployment.EventsWebhook is { } webhook ? new Dictionary<string, string> { [FlowEvents.WebhookVariable] = webhook } : null),
    };

    /// <summary>The pod's container: the worker command, resources, and as env the datastore's plain settings and <paramref name="environment"/> (a step's [Environment], the exit handler's webhook).</summary>
    private JsonObject Container(string? image, IReadOnlyList<string> arguments, ResourcesAttribute resources, IReadOnlyDictionary<string, string>? environment = null)
    {
        var limits = new JsonObject
        {
            ["cpu"] = Math.Max(1, resources.Cpu).ToString(CultureInfo.InvariantCulture),
            ["memory"] = resources.Memory,
        };
        if (resources.Gpu > 0)
        {
            limits["nvidia.com/gpu"] = resources.Gpu.ToString(CultureInfo.InvariantCulture);
        }
        var command = new JsonArray("dotnet", KubernetesTarget.WorkerPath, "--package", _deployment.DatastoreRoot, _deployment.Package.Flow, _deployment.Package.Hash);
        foreach (var argument in _deployment.Package.Arguments.Concat(_deployment.LeadingArguments).Concat(arguments).Concat(["--datastore", _deployment.DatastoreRoot]))
        {
            command.Add(argument);
        }
        var container = new JsonObject
        {
            ["name"] = "main",
            ["image"] = image ?? _deployment.Image,
            ["command"] = command,
            ["resources"] = new JsonObject { ["limits"] = limits, ["requests"] = limits.DeepClone() },
        };
        var env = KubernetesJobManifest.PlainSettingsFromEnvironment().Concat((environment ?? new Dictionary<string, string>()).Select(p => (Name: p.Key, p.Value)))
            .Select(p => (JsonNode?)new JsonObject { ["name"] = p.Name, ["value"] = p.Value }).ToArray();
        if (env.Length > 0)
        {
            container["env"] = new JsonArray(env);
        }
        if (_deployment.Secret is { } secret)
        {
            container["envFrom"] = new JsonArray(new JsonObject { ["secretRef"] = new JsonObject { ["name"] = secret } });
        }
        return container;
    }
}

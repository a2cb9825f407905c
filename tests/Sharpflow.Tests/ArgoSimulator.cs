using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Sharpflow.Tests;

/// <summary>
/// Runs a compiled WorkflowTemplate the way Argo's controller would, without a cluster: DAG tasks in dependency order
/// (<c>depends</c> on <c>.Succeeded</c>, <c>when</c>, <c>withParam</c> with aggregated outputs), templates that call
/// themselves, retries, output parameters read from the files the pod wrote, <c>{{...}}</c> substitution and the
/// <c>{{=...}}</c> expressions the compiler emits, then the exit handler. Each container's command runs as a real
/// process on this machine (the worker path mapped to the locally built worker), so what runs is exactly what the
/// template says (with <paramref name="environment"/> added to the pods' environment). Only the Argo features Sharpflow's compiler uses are implemented: anything else throws.
/// </summary>
internal sealed partial class ArgoSimulator(JsonObject workflowTemplate, string workerDll, string workflowName, IReadOnlyDictionary<string, string>? environment = null)
{
    private readonly Dictionary<string, JsonObject> _templates = workflowTemplate["spec"]!["templates"]!.AsArray()
        .ToDictionary(t => t!["name"]!.GetValue<string>(), t => t!.AsObject());

    private readonly Dictionary<string, string> _parameters = workflowTemplate["spec"]!["arguments"]!["parameters"]!.AsArray()
        .ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!["value"]?.GetValue<string>() ?? "");

    private readonly List<string> _commands = [];

    /// <summary>Every container command run, in order (after substitution).</summary>
    public IReadOnlyList<string> Commands => _commands;

    /// <summary>Runs the workflow with the given parameters; returns its status (Succeeded or Failed) after the exit handler ran.</summary>
    public async Task<string> RunAsync(IReadOnlyDictionary<string, string>? parameters = null)
    {
        foreach (var (name, value) in parameters ?? new Dictionary<string, string>())
        {
            _parameters[name] = value;
        }
        var entry = workflowTemplate["spec"]!["entrypoint"]!.GetValue<string>();
        var (status, _) = await RunTemplateAsync(entry, new Dictionary<string, string>());
        if (workflowTemplate["spec"]!["onExit"]?.GetValue<string>() is { } exit)
        {
            var (exitStatus, _) = await RunTemplateAsync(exit, new Dictionary<string, string>(), status);
            Assert.True(exitStatus == "Succeeded", "the exit handler failed: " + string.Join("\n", Failures));
        }
        return status;
    }

    private sealed record Node(string Status, Dictionary<string, string> Outputs);

    private async Task<(string Status, Dictionary<string, string> Outputs)> RunTemplateAsync(string name, Dictionary<string, string> arguments, string workflowStatus = "Running")
    {
        var template = _templates[name];
        var inputs = new Dictionary<string, string>();
        foreach (var input in template["inputs"]?["parameters"]?.AsArray() ?? [])
        {
            var key = input!["name"]!.GetValue<string>();
            inputs[key] = arguments.TryGetValue(key, out var given) ? given : input["default"]?.GetValue<string>() ?? throw new InvalidOperationException($"{name}: input {key} has no value");
        }
        if (template["dag"] is JsonObject dag)
        {
            return await RunDagAsync(template, dag, inputs);
        }
        if (template["container"] is JsonObject container)
        {
            return await RunContainerAsync(template, container, inputs, workflowStatus);
        }
        throw new NotSupportedException($"template {name} is neither a DAG nor a container");
    }

    private async Task<(string, Dictionary<string, string>)> RunDagAsync(JsonObject template, JsonObject dag, Dictionary<string, string> inputs)
    {
        var tasks = dag["tasks"]!.AsArray().Select(t => t!.AsObject()).ToDictionary(t => t["name"]!.GetValue<string>());
        var done = new Dictionary<string, Node>();
        while (done.Count < tasks.Count)
        {
            var ready = tasks.Values.Where(t => !done.ContainsKey(Name(t)) && Dependencies(t).All(done.ContainsKey)).ToArray();
            Assert.NotEmpty(ready); // a cycle or a dependency on a missing task would stall Argo too
            var results = await Task.WhenAll(ready.Select(t => RunTaskAsync(t, inputs, done)));
            for (var i = 0; i < ready.Length; i++)
            {
                done[Name(ready[i])] = results[i];
            }
        }
        var status = done.Values.Any(n => n.Status == "Failed") ? "Failed" : "Succeeded";
        var outputs = new Dictionary<string, string>();
        if (status == "Succeeded")
        {
            foreach (var output in template["outputs"]?["parameters"]?.AsArray() ?? [])
            {
                var valueFrom = output!["valueFrom"]!;
                outputs[output["name"]!.GetValue<string>()] = valueFrom["parameter"] is { } parameter
                    ? Substitute(parameter.GetValue<string>(), inputs, done, null)
                    : Evaluate(valueFrom["expression"]!.GetValue<string>(), inputs, done);
            }
        }
        return (status, outputs);
    }

    private static string Name(JsonObject task) => task["name"]!.GetValue<string>();

    private static IEnumerable<string> Dependencies(JsonObject task) =>
        DependsTerm().Matches(task["depends"]?.GetValue<string>() ?? "").Select(m => m.Groups[1].Value);

    private async Task<Node> RunTaskAsync(JsonObject task, Dictionary<string, string> inputs, Dictionary<string, Node> done)
    {
        if (task["depends"]?.GetValue<string>() is { } depends && !EvaluateDepends(depends, done))
        {
            return new Node("Omitted", []);
        }
        if (task["when"]?.GetValue<string>() is { } when && !EvaluateWhen(Substitute(when, inputs, done, null)))
        {
            return new Node("Skipped", []);
        }
        var template = task["template"]!.GetValue<string>();
        if (task["withParam"]?.GetValue<string>() is { } withParam)
        {
            var items = JsonSerializer.Deserialize<JsonElement[]>(Substitute(withParam, inputs, done, null))!;
            var children = await Task.WhenAll(items.Select(item => RunTemplateAsync(template, Arguments(task, inputs, done, item.ToString()))));
            if (children.Any(c => c.Status != "Succeeded"))
            {
                return new Node("Failed", []);
            }
            var aggregated = children.SelectMany(c => c.Outputs.Keys).Distinct()
                .ToDictionary(k => k, k => JsonSerializer.Serialize(children.Select(c => c.Outputs[k])));
            return new Node("Succeeded", aggregated);
        }
        var (status, outputs) = await RunTemplateAsync(template, Arguments(task, inputs, done, null));
        return new Node(status, outputs);
    }

    private Dictionary<string, string> Arguments(JsonObject task, Dictionary<string, string> inputs, Dictionary<string, Node> done, string? item) =>
        (task["arguments"]?["parameters"]?.AsArray() ?? []).ToDictionary(p => p!["name"]!.GetValue<string>(), p => Substitute(p!["value"]!.GetValue<string>(), inputs, done, item));

    private async Task<(string, Dictionary<string, string>)> RunContainerAsync(JsonObject template, JsonObject container, Dictionary<string, string> inputs, string workflowStatus)
    {
        var limit = int.Parse(template["retryStrategy"]?["limit"]?.GetValue<string>() ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        for (var retry = 0; ; retry++)
        {
            var pod = Directory.CreateTempSubdirectory("argo-pod-").FullName;
            var command = container["command"]!.AsArray().Select(c => Substitute(c!.GetValue<string>(), inputs, [], null)
                .Replace("{{retries}}", retry.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{{workflow.status}}", workflowStatus, StringComparison.Ordinal)
                .Replace(Argo.ArgoWorkflowCompiler.OutputsDirectory, pod, StringComparison.Ordinal)).ToArray();
            Assert.DoesNotContain(command, c => c.Contains("{{", StringComparison.Ordinal));
            Assert.Equal(["dotnet", Kubernetes.KubernetesTarget.WorkerPath], command[..2]);
            command[1] = workerDll;
            lock (_commands)
            {
                _commands.Add(string.Join(' ', command));
            }
            var result = await ChildProcess.RunAsync(command[0], pod, environment, TimeSpan.FromMinutes(5), command[1..]);
            if (result.ExitCode == 0)
            {
                var outputs = new Dictionary<string, string>();
                foreach (var output in template["outputs"]?["parameters"]?.AsArray() ?? [])
                {
                    var path = output!["valueFrom"]!["path"]!.GetValue<string>().Replace(Argo.ArgoWorkflowCompiler.OutputsDirectory, pod, StringComparison.Ordinal);
                    Assert.True(File.Exists(path), $"the pod of {template["name"]} wrote no {path}:\n{result.Stdout}\n{result.Stderr}");
                    outputs[output["name"]!.GetValue<string>()] = File.ReadAllText(path);
                }
                return ("Succeeded", outputs);
            }
            if (retry >= limit)
            {
                Failures.Add($"{template["name"]} (exit {result.ExitCode}): {result.Stderr}{result.Stdout}");
                return ("Failed", []);
            }
        }
    }

    /// <summary>What the failed pods printed.</summary>
    public List<string> Failures { get; } = [];

    private string Substitute(string text, Dictionary<string, string> inputs, Dictionary<string, Node> done, string? item)
    {
        var result = Expression().Replace(text, m => Evaluate(m.Groups[1].Value, inputs, done));
        result = result.Replace("{{workflow.name}}", workflowName, StringComparison.Ordinal);
        if (item is not null)
        {
            result = result.Replace("{{item}}", item, StringComparison.Ordinal);
        }
        result = Reference().Replace(result, m => m.Groups[1].Value switch
        {
            "inputs.parameters" => inputs[m.Groups[2].Value],
            "workflow.parameters" => _parameters[m.Groups[2].Value],
            var tasks => done[tasks["tasks.".Length..^".outputs.parameters".Length]].Outputs[m.Groups[2].Value],
        });
        return result;
    }

    /// <summary>The expressions the compiler emits: <c>asInt(inputs.parameters.x) + 1</c> and chains of <c>tasks['a'].status == 'Succeeded' ? tasks['a'].outputs.parameters['p'] : (...)</c>.</summary>
    private static string Evaluate(string expression, Dictionary<string, string> inputs, Dictionary<string, Node> done)
    {
        expression = expression.Trim();
        if (AsIntPlusOne().Match(expression) is { Success: true } increment)
        {
            return (int.Parse(inputs[increment.Groups[1].Value], System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (expression.StartsWith('(') && expression.EndsWith(')'))
        {
            return Evaluate(expression[1..^1], inputs, done);
        }
        if (Ternary().Match(expression) is { Success: true } ternary)
        {
            var task = ternary.Groups[1].Value;
            return done.TryGetValue(task, out var node) && node.Status == "Succeeded"
                ? Evaluate(ternary.Groups[2].Value, inputs, done)
                : Evaluate(ternary.Groups[3].Value, inputs, done);
        }
        if (OutputReference().Match(expression) is { Success: true } output)
        {
            return done[output.Groups[1].Value].Outputs[output.Groups[2].Value];
        }
        throw new NotSupportedException($"expression '{expression}'");
    }

    /// <summary>Argo's <c>depends</c>: <c>a.Succeeded</c> terms joined by <c>&amp;&amp;</c>, <c>||</c> and parentheses.</summary>
    private static bool EvaluateDepends(string depends, Dictionary<string, Node> done)
    {
        var tokens = Regex.Matches(depends, @"[a-z0-9-]+\.Succeeded|&&|\|\||\(|\)").Select(m => m.Value).ToList();
        var position = 0;
        bool Or()
        {
            var value = And();
            while (position < tokens.Count && tokens[position] == "||")
            {
                position++;
                value |= And();
            }
            return value;
        }
        bool And()
        {
            var value = Atom();
            while (position < tokens.Count && tokens[position] == "&&")
            {
                position++;
                value &= Atom();
            }
            return value;
        }
        bool Atom()
        {
            var token = tokens[position++];
            if (token == "(")
            {
                var value = Or();
                Assert.Equal(")", tokens[position++]);
                return value;
            }
            return done[token[..^".Succeeded".Length]].Status == "Succeeded";
        }
        var result = Or();
        Assert.Equal(tokens.Count, position);
        return result;
    }

    private static bool EvaluateWhen(string when) =>
        when.Split("||").Any(c => WhenComparison().Match(c.Trim()) is { Success: true } m ? m.Groups[1].Value == m.Groups[2].Value : throw new NotSupportedException($"when '{when}'"));

    [GeneratedRegex(@"\{\{=(.+?)\}\}")]
    private static partial Regex Expression();

    [GeneratedRegex(@"\{\{(inputs\.parameters|workflow\.parameters|tasks\.[a-z0-9-]+\.outputs\.parameters)\.([a-z0-9-]+)\}\}")]
    private static partial Regex Reference();

    [GeneratedRegex(@"([a-z0-9-]+)\.Succeeded")]
    private static partial Regex DependsTerm();

    [GeneratedRegex(@"^asInt\(inputs\.parameters\.([a-z0-9-]+)\) \+ 1$")]
    private static partial Regex AsIntPlusOne();

    [GeneratedRegex(@"^tasks\['([a-z0-9-]+)'\]\.status == 'Succeeded' \? (tasks\['[a-z0-9-]+'\]\.outputs\.parameters\['[a-z0-9-]+'\]) : (.+)$")]
    private static partial Regex Ternary();

    [GeneratedRegex(@"^tasks\['([a-z0-9-]+)'\]\.outputs\.parameters\['([a-z0-9-]+)'\]$")]
    private static partial Regex OutputReference();

    [GeneratedRegex(@"^'(.*)' == '(.*)'$")]
    private static partial Regex WhenComparison();
}

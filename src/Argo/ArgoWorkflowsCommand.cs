using System.CommandLine;
using Sharpflow.Cli;

namespace Sharpflow.Argo;

/// <summary>
/// <c>argo-workflows create|trigger|list-runs|status|terminate|suspend|resume|publish-event|delete</c>: deploys the flow to
/// Argo Workflows (see <see cref="Deployer"/>), drives the deployment through the Argo Server (<c>ARGO_SERVER</c>,
/// <c>ARGO_TOKEN</c>), and raises Argo Events events.
/// </summary>
internal static class ArgoWorkflowsCommand
{
    public static Command Build(Type flowType, Option<string?> datastore, CliOutput output, IReadOnlyList<string>? taskCommand)
    {
        var command = new Command("argo-workflows", $"Deploy flow '{flowType.Name}' to Argo Workflows; trigger, list, watch, stop, suspend or resume its runs; delete it.");
        var name = new Option<string?>("--name") { Description = "The deployed name (flows without [Project]); default: the flow's name.", Recursive = true };
        var branch = new Option<string?>("--branch") { Description = "Deploy or address this project branch (test.<branch>); default user.<you>.", Recursive = true };
        var production = new Option<bool>("--production") { Description = "Deploy or address the project's production branch.", Recursive = true };
        var ns = new Option<string?>("--namespace") { Description = "The Kubernetes namespace (default: SHARPFLOW_K8S_NAMESPACE, else default).", Recursive = true };
        foreach (var option in new Option[] { name, branch, production, ns })
        {
            command.Options.Add(option);
        }
        DeployerOptions Options(ParseResult parse) => new()
        {
            Name = parse.GetValue(name),
            Branch = parse.GetValue(branch),
            Production = parse.GetValue(production),
            KubernetesNamespace = parse.GetValue(ns),
            DatastoreRoot = parse.GetValue(datastore),
            TaskCommand = taskCommand,
        };

        var image = new Option<string?>("--image") { Description = "The container image with .NET and the Sharpflow worker (default: SHARPFLOW_K8S_IMAGE)." };
        var secret = new Option<string?>("--secret") { Description = "A Kubernetes Secret with the datastore's credentials (default: SHARPFLOW_K8S_SECRET)." };
        var serviceAccount = new Option<string?>("--service-account") { Description = "The service account of the workflow's pods." };
        var configs = new Option<string[]>("--config") { Description = "A config file, name=path (repeatable): resolved now and baked into the template." };
        var configValues = new Option<string[]>("--config-value") { Description = "An inline config, name='{...}' (repeatable): resolved now and baked into the template." };
        var file = new Option<string?>("--output") { Description = "Write the template (and cron workflow) as YAML to this file instead of creating them on the Argo Server (the code package is stored, so the file can be applied)." };
        var preview = new Option<bool>("--preview") { Description = "Print the YAML (or write it to --output) without storing anything: no datastore or image needed, placeholders for missing ones." };
        var create = new Command("create", "Store the flow's code package in the datastore, compile the flow into an Argo WorkflowTemplate (a CronWorkflow too with [Schedule]) and create it.")
        {
            image, secret, serviceAccount, configs, configValues, file, preview,
        };
        create.SetAction((parse, cancellationToken) => CliErrors.GuardAsync(output, async () =>
        {
            using var deployer = new Deployer(flowType, Options(parse) with
            {
                Image = parse.GetValue(image),
                Secret = parse.GetValue(secret),
                ServiceAccount = parse.GetValue(serviceAccount),
                ConfigPaths = Pairs(parse.GetValue(configs), "--config"),
                ConfigValues = Pairs(parse.GetValue(configValues), "--config-value"),
            });
            CompiledDeployment compiled;
            if (parse.GetValue(preview))
            {
                compiled = await deployer.PreviewAsync(cancellationToken).ConfigureAwait(false);
                Warn(output, compiled);
                if (parse.GetValue(file) is { } previewPath)
                {
                    await File.WriteAllTextAsync(previewPath, compiled.ToYaml(), cancellationToken).ConfigureAwait(false);
                    output.Out.WriteLine($"Wrote a preview to {Path.GetFullPath(previewPath)} (nothing stored or deployed).");
                }
                else
                {
                    output.Out.Write(compiled.ToYaml());
                }
                return 0;
            }
            if (parse.GetValue(file) is { } path)
            {
                compiled = await deployer.CompileAsync(cancellationToken).ConfigureAwait(false);
                Warn(output, compiled);
                await File.WriteAllTextAsync(path, compiled.ToYaml(), cancellationToken).ConfigureAwait(false);
                output.Out.WriteLine($"Wrote {Path.GetFullPath(path)}: WorkflowTemplate {compiled.Deployment.Name}{(compiled.CronWorkflow is null ? "" : " and its CronWorkflow")} "
                    + $"(code package {compiled.Deployment.Package.Hash} in {compiled.Deployment.DatastoreRoot}). Apply it with `kubectl apply -n {compiled.Deployment.Namespace} -f {path}`.");
                return 0;
            }
            compiled = await deployer.CreateAsync(cancellationToken).ConfigureAwait(false);
            Warn(output, compiled);
            output.Out.WriteLine($"Deployed {flowType.Name} as WorkflowTemplate {compiled.Deployment.Namespace}/{compiled.Deployment.Name}"
                + $"{(compiled.CronWorkflow is null ? "" : $" on schedule '{compiled.CronWorkflow["spec"]!["schedules"]![0]}'")} (code package {compiled.Deployment.Package.Hash}).");
            return 0;
        }));

        var trigger = new Command("trigger", "Start a run of the deployed flow; flow parameters as --name value.");
        trigger.TreatUnmatchedTokensAsErrors = false;
        var runIdFile = new Option<string?>("--run-id-file") { Description = "Write the new run's id to this file." };
        trigger.Options.Add(runIdFile);
        trigger.SetAction((parse, cancellationToken) => CliErrors.GuardAsync(output, async () =>
        {
            using var deployer = new Deployer(flowType, Options(parse));
            var runId = await deployer.TriggerAsync(ParameterTokens(parse.UnmatchedTokens, flowType.Name), cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(runIdFile) is { } idFile)
            {
                await File.WriteAllTextAsync(idFile, runId, cancellationToken).ConfigureAwait(false);
            }
            output.Out.WriteLine($"Triggered {deployer.KubernetesNamespace}/{deployer.Name.Name}: run {flowType.Name}/{runId} (workflow {runId["argo-".Length..]}).");
            return 0;
        }));

        var json = CliCommands.JsonOption("the runs");
        var listRuns = new Command("list-runs", "List the runs Argo started from the deployment, newest first.") { json };
        listRuns.SetAction((parse, cancellationToken) => CliErrors.GuardAsync(output, async () =>
        {
            using var deployer = new Deployer(flowType, Options(parse));
            var runs = await deployer.ListRunsAsync(cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                output.Out.WriteLine(CliCommands.ToJson(runs.Select(r => new { r.RunId, workflow = r.Name, r.Phase, r.StartedAt, r.FinishedAt })));
                return 0;
            }
            foreach (var run in runs)
            {
                output.Out.WriteLine($"{run.RunId}  {run.Phase,-10}  started {run.StartedAt?.ToString("u") ?? "-"}  finished {run.FinishedAt?.ToString("u") ?? "-"}");
            }
            if (runs.Count == 0)
            {
                output.Out.WriteLine($"{deployer.KubernetesNamespace}/{deployer.Name.Name} has no runs.");
            }
            return 0;
        }));

        var delete = new Command("delete", "Delete the deployment (its template and cron workflow); stored runs stay in the datastore.");
        delete.SetAction((parse, cancellationToken) => CliErrors.GuardAsync(output, async () =>
        {
            using var deployer = new Deployer(flowType, Options(parse));
            var deleted = await deployer.DeleteAsync(cancellationToken).ConfigureAwait(false);
            output.Out.WriteLine(deleted ? $"Deleted {deployer.KubernetesNamespace}/{deployer.Name.Name}." : $"{deployer.KubernetesNamespace}/{deployer.Name.Name} was not deployed.");
            return deleted ? 0 : CliErrors.Refused;
        }));

        var runArgument = new Argument<string>("run-id") { Description = "The run: argo-<workflow> (as list-runs prints it) or the workflow's name." };
        var status = new Command("status", "Show where a run of the deployment stands in Argo: phase, progress, suspended, Argo's message.") { runArgument };
        status.SetAction((parse, cancellationToken) => CliErrors.GuardAsync(output, async () =>
        {
            using var deployer = new Deployer(flowType, Options(parse));
            output.Out.WriteLine(Describe(await deployer.StatusAsync(parse.GetValue(runArgument)!, cancellationToken).ConfigureAwait(false)));
            return 0;
        }));
        command.Subcommands.Add(create);
        command.Subcommands.Add(trigger);
        command.Subcommands.Add(listRuns);
        command.Subcommands.Add(status);
        foreach (var (verb, action, description) in new[]
        {
            ("terminate", ArgoWorkflowAction.Stop, "Stop a run of the deployment; its exit handler still runs, so the run is recorded as failed (argo stop)."),
            ("suspend", ArgoWorkflowAction.Suspend, "Pause a run of the deployment: running steps finish, no new step starts until it is resumed."),
            ("resume", ArgoWorkflowAction.Resume, "Let a suspended run of the deployment go on (Metaflow's unsuspend)."),
        })
        {
            var act = new Command(verb, description) { runArgument };
            if (action == ArgoWorkflowAction.Resume)
            {
                act.Aliases.Add("unsuspend");
            }
            act.SetAction((parse, cancellationToken) => CliErrors.GuardAsync(output, async () =>
            {
                using var deployer = new Deployer(flowType, Options(parse));
                output.Out.WriteLine(Describe(await deployer.ActAsync(parse.GetValue(runArgument)!, action, cancellationToken).ConfigureAwait(false)));
                return 0;
            }));
            command.Subcommands.Add(act);
        }
        command.Subcommands.Add(PublishEvent(flowType, datastore, output, branch, production, taskCommand));
        command.Subcommands.Add(delete);
        return command;
    }

    /// <summary>
    /// <c>publish-event NAME [--payload field=value]... [--webhook URL | --local]</c>: posts an event to the Argo Events
    /// webhook, so deployed flows whose [Trigger] waits for it start; with <c>--local</c>, runs this flow here as its
    /// Sensor would for that event (the same payload-to-parameter mapping), to try a trigger without a cluster.
    /// </summary>
    private static Command PublishEvent(Type flowType, Option<string?> datastore, CliOutput output, Option<string?> branch, Option<bool> production, IReadOnlyList<string>? taskCommand)
    {
        var eventName = new Argument<string>("event") { Description = "The event's name, e.g. data_updated (or sharpflow.Flow.finished)." };
        var payload = new Option<string[]>("--payload") { Description = "A payload field, name=value (repeatable)." };
        var webhook = new Option<string?>("--webhook") { Description = "The webhook event source's URL (default: SHARPFLOW_ARGO_EVENTS_WEBHOOK_URL)." };
        var local = new Option<bool>("--local") { Description = "Run this flow here as its Sensor would for the event (parameters from the payload as its [Trigger] maps them), instead of publishing." };
        var publish = new Command("publish-event", "Raise an event: post it to the Argo Events webhook so deployed flows waiting for it start, or with --local run this flow here as its Sensor would.")
        {
            eventName, payload, webhook, local,
        };
        publish.SetAction((parse, cancellationToken) => CliErrors.GuardAsync(output, async () =>
        {
            var name = parse.GetValue(eventName)!;
            var fields = Pairs(parse.GetValue(payload), "--payload") ?? new Dictionary<string, string>();
            if (!parse.GetValue(local))
            {
                var url = new[] { parse.GetValue(webhook), Environment.GetEnvironmentVariable(FlowEvents.WebhookVariable) }.FirstOrDefault(u => !string.IsNullOrWhiteSpace(u))
                    ?? throw new InvalidOperationException($"Name the Argo Events webhook with --webhook URL or {FlowEvents.WebhookVariable}, or run the flow here as the event would with --local.");
                await FlowEvents.PublishAsync(new Uri(url), name, fields, cancellationToken).ConfigureAwait(false);
                output.Out.WriteLine($"Published event '{name}' to {new Uri(url).GetLeftPart(UriPartial.Path)}.");
                return 0;
            }
            var project = ProjectBranch.For(flowType, parse.GetValue(branch), parse.GetValue(production), Execution.UserIdentity.Current());
            var events = TriggerEvents.Of(flowType, FlowParameter.Of(flowType).Select(p => p.Name).ToArray(), project);
            var trigger = events.FirstOrDefault(e => e.Name == name) ?? throw new ArgumentException(
                $"Flow '{flowType.Name}' does not wait for event '{name}'. It waits for: {(events.Count == 0 ? "nothing (add [Trigger] or [TriggerOnFinish])" : string.Join(", ", events.Select(e => e.Name)))}.");
            var parameters = TriggerEvents.ParametersFrom(trigger, fields);
            output.Out.WriteLine($"Event '{name}' starts {flowType.Name} here{(parameters.Count == 0 ? "" : " with " + string.Join(" ", parameters.Select(p => $"--{p.Key} {p.Value}")))}.");
            await using var progress = new ConsoleProgress(output.Out, quiet: true, runIdFile: null);
            await using var runner = new Execution.Runner(flowType, new Execution.RunnerOptions
            {
                DatastoreRoot = parse.GetValue(datastore),
                Branch = parse.GetValue(branch),
                Production = parse.GetValue(production),
                OnEvent = progress.Handle,
                TaskCommand = taskCommand,
            });
            var run = await runner.RunAsync(parameters.ToDictionary(p => p.Key, p => (object?)p.Value), cancellationToken).ConfigureAwait(false);
            return run.Successful ? 0 : 1;
        }));
        return publish;
    }

    private static string Describe(ArgoWorkflowRun run) =>
        $"{run.RunId}  {run.Phase}{(run.Suspended ? " (suspended)" : "")}{(run.Progress is { } progress ? $"  {progress} tasks" : "")}"
        + $"  started {run.StartedAt?.ToString("u", System.Globalization.CultureInfo.InvariantCulture) ?? "-"}  finished {run.FinishedAt?.ToString("u", System.Globalization.CultureInfo.InvariantCulture) ?? "-"}"
        + (run.Message is { Length: > 0 } message ? $"\n  {message}" : "");

    private static Dictionary<string, string>? Pairs(string[]? values, string option)
    {
        if (values is null || values.Length == 0)
        {
            return null;
        }
        return values.Select(v => v.Split('=', 2) is [var key, var value] && key.Length > 0 ? (key, value)
                : throw new ArgumentException($"{option} '{v}' is not name=value."))
            .ToDictionary(p => p.key, p => p.value, StringComparer.Ordinal);
    }

    /// <summary>Flow parameters given as <c>--name value</c> (or <c>--name=value</c>) after <c>trigger</c>.</summary>
    private static Dictionary<string, string> ParameterTokens(IReadOnlyList<string> tokens, string flow)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (!token.StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Flow '{flow}': unexpected '{token}'; give parameters as --name value.");
            }
            var equals = token.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                values[token[2..equals]] = token[(equals + 1)..];
            }
            else if (i + 1 < tokens.Count && !tokens[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                values[token[2..]] = tokens[++i];
            }
            else
            {
                values[token[2..]] = "true";
            }
        }
        return values;
    }

    private static void Warn(CliOutput output, CompiledDeployment compiled)
    {
        foreach (var warning in compiled.Warnings)
        {
            output.Error.WriteLine($"warning: {warning}");
        }
    }
}

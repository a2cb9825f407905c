using System.Text.Json.Nodes;

namespace Sharpflow.Argo;

/// <summary>The Argo Events Sensor of a flow with <see cref="TriggerAttribute"/> or <see cref="TriggerOnFinishAttribute"/>.</summary>
internal sealed partial class ArgoWorkflowCompiler
{
    /// <summary>
    /// The Sensor that submits a run of the template when the flow's events have all arrived on the deployment's event
    /// source (one dependency per [Trigger]/[TriggerOnFinish], filtered on the event's <c>name</c>), with payload
    /// fields as workflow parameters; null when the flow has no trigger. A mapping to a parameter the flow does not
    /// have is refused naming the flow.
    /// </summary>
    public JsonObject? Sensor()
    {
        var parameters = WorkflowParameters();
        var names = parameters.Select(p => p!["name"]!.GetValue<string>()).ToList();
        var events = TriggerEvents.Of(_graph.FlowType, names, _deployment.Project is { } project ? new ProjectBranch(project, _deployment.Branch!) : null);
        if (events.Count == 0)
        {
            return null;
        }
        var dependencies = new JsonArray();
        var mappings = new JsonArray();
        for (var i = 0; i < events.Count; i++)
        {
            var dependency = $"event-{i}";
            dependencies.Add(new JsonObject
            {
                ["name"] = dependency,
                ["eventSourceName"] = _deployment.EventSource,
                ["eventName"] = _deployment.EventName,
                ["filters"] = new JsonObject
                {
                    ["data"] = new JsonArray(new JsonObject { ["path"] = "body.name", ["type"] = "string", ["value"] = new JsonArray(events[i].Name) }),
                },
            });
            foreach (var (parameter, field) in events[i].Parameters)
            {
                var index = names.IndexOf(parameter);
                var source = new JsonObject { ["dependencyName"] = dependency, ["dataKey"] = $"body.payload.{field}" };
                if (parameters[index]!["value"] is { } fallback)
                {
                    source["value"] = fallback.DeepClone(); // a payload without the field leaves the default
                }
                mappings.Add(new JsonObject { ["src"] = source, ["dest"] = $"spec.arguments.parameters.{index}.value" });
            }
        }
        var workflow = new JsonObject
        {
            ["apiVersion"] = "argoproj.io/v1alpha1",
            ["kind"] = "Workflow",
            ["metadata"] = new JsonObject { ["generateName"] = _deployment.Name + "-" },
            ["spec"] = new JsonObject
            {
                ["workflowTemplateRef"] = new JsonObject { ["name"] = _deployment.Name },
                ["arguments"] = new JsonObject { ["parameters"] = parameters },
            },
        };
        var trigger = new JsonObject
        {
            ["template"] = new JsonObject
            {
                ["name"] = _deployment.Name,
                ["argoWorkflow"] = new JsonObject
                {
                    ["operation"] = "submit",
                    ["source"] = new JsonObject { ["resource"] = workflow },
                    ["parameters"] = mappings,
                },
            },
        };
        var spec = new JsonObject { ["dependencies"] = dependencies, ["triggers"] = new JsonArray(trigger) };
        if (_deployment.ServiceAccount is { } account)
        {
            spec["template"] = new JsonObject { ["serviceAccountName"] = account };
        }
        return new JsonObject
        {
            ["apiVersion"] = "argoproj.io/v1alpha1",
            ["kind"] = "Sensor",
            ["metadata"] = Metadata(_deployment.Name),
            ["spec"] = spec,
        };
    }
}

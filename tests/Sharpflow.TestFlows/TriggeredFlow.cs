namespace Sharpflow.TestFlows;

/// <summary>Deployed, it starts when data_updated arrives (table and rows from the payload) and ArgoFeaturesFlow has succeeded.</summary>
[Project("churn"), Trigger("data_updated", Parameters = "table=table_name, rows"), TriggerOnFinish("ArgoFeaturesFlow")]
public class TriggeredFlow : FlowSpec
{
    [Parameter(Help = "Which table to score")] public string Table { get; set; } = "customers";

    [Parameter(Help = "How many rows")] public int Rows { get; set; } = 100;

    [Step] public void Start() => Next(End);

    [Step] public void End() { }
}

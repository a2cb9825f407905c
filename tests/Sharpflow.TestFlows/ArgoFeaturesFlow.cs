using Sharpflow.Config;

namespace Sharpflow.TestFlows;

/// <summary>The settings a deployment to Argo Workflows carries over: project, schedule, parameters, a config, retries, timeouts, resources, environment variables, Kubernetes placement, exit hooks.</summary>
[Project("churn"), Schedule(Cron = "30 6 * * 1-5", Timezone = "Europe/Amsterdam")]
public class ArgoFeaturesFlow : FlowSpec
{
    [Parameter(Help = "Learning rate")] public double LearningRate { get; set; } = 0.05;

    [Parameter(Help = "Which table to read")] public string Table { get; set; } = "customers";

    [Config("settings")] public ConfigValue Settings { get; set; } = null!;

    public int Epochs;

    [Step] public void Start() { Epochs = Settings.Get<int>("epochs"); Next(Train); }

    [Step, Retry(Times = 2, MinutesBetween = 0.5), Timeout(Minutes = 90), Resources(Cpu = 8, Gpu = 2, Memory = "32Gi"), Environment("NCCL_DEBUG=INFO")]
    [Kubernetes(NodeSelector = "nvidia.com/gpu.present=true", Tolerations = "nvidia.com/gpu:NoSchedule")]
    public void Train() => Next(End);

    [Step] public void End() { }

    [OnFailure] public static void Alert(Client.Run run) => Console.WriteLine($"run {run.Id} failed");
}

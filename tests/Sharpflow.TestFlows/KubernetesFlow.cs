namespace Sharpflow.TestFlows;

/// <summary>A flow whose middle step runs as a Kubernetes Job on a GPU node.</summary>
public class KubernetesFlow : FlowSpec
{
    public int Value;

    [Step] public void Start() { Value = 1; Next(Train); }

    [Step, Kubernetes(Image = "registry.example/sharpflow-worker:10", Namespace = "ml", NodeSelector = "nvidia.com/gpu.present=true",
        Tolerations = "nvidia.com/gpu:NoSchedule", Secret = "sharpflow-datastore"), Resources(Gpu = 1, Cpu = 2, Memory = "8G")]
    public void Train() { Value++; Next(End); }

    [Step] public void End() { }
}

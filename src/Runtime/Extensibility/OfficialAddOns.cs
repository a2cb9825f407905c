namespace Sharpflow.Extensibility;

/// <summary>
/// Which package brings what, for messages when it is missing ("add the package Sharpflow.Slurm"). The packages
/// themselves register their backends, schemes and commands; this table only names them.
/// </summary>
public static class OfficialAddOns
{
    /// <summary>Compute backends (<c>--with NAME</c>) and their packages.</summary>
    public static IReadOnlyDictionary<string, string> Backends { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["slurm"] = "Sharpflow.Slurm",
        ["ssh"] = "Sharpflow.Ssh",
        ["kubernetes"] = "Sharpflow.Kubernetes",
    };

    /// <summary>Attributes add-ons bring (<c>[Slurm]</c>, <c>[Schedule]</c>) and their packages.</summary>
    public static IReadOnlyDictionary<string, string> Attributes { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Slurm"] = "Sharpflow.Slurm",
        ["Ssh"] = "Sharpflow.Ssh",
        ["Kubernetes"] = "Sharpflow.Kubernetes",
        ["Schedule"] = "Sharpflow.Argo",
        ["Trigger"] = "Sharpflow.Argo",
        ["TriggerOnFinish"] = "Sharpflow.Argo",
    };

    /// <summary>Datastore schemes (<c>s3://</c>) and their packages.</summary>
    public static IReadOnlyDictionary<string, string> Datastores { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["s3"] = "Sharpflow.S3",
    };

    /// <summary>Commands and their packages.</summary>
    public static IReadOnlyDictionary<string, string> Commands { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["argo-workflows"] = "Sharpflow.Argo",
    };
}

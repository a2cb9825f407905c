namespace Sharpflow.Extensibility;

/// <summary>
/// A package that adds to Sharpflow: compute backends (<c>--with slurm</c>, <c>[Slurm]</c>), datastore schemes
/// (<c>s3://</c>), commands (<c>argo-workflows</c>). It registers everything it brings in <see cref="Register"/>, which
/// the core, the CLI, the worker, notebooks and the editor all read through <see cref="AddOns"/>.
/// </summary>
public interface ISharpflowAddOn
{
    /// <summary>The NuGet package that ships it (named in messages, e.g. <c>Sharpflow.Slurm</c>).</summary>
    string PackageId { get; }

    /// <summary>Adds the add-on's backends, datastores and commands.</summary>
    void Register(AddOnRegistry registry);
}

using Sharpflow.Execution;

namespace Sharpflow.Compute;

/// <summary>
/// Where a step's tasks run: the backend of its compute attribute, else the one <c>--with NAME[:key=value,...]</c> asks
/// for every step (its settings bound onto the backend's attribute), else here (null).
/// </summary>
internal static class ComputeChoice
{
    public static (IComputeBackend Backend, IComputeAttribute? Attribute)? For(StepPolicy policy, RunnerOptions options)
    {
        if (policy.Compute is { } attribute)
        {
            return (Extensibility.AddOns.ComputeBackend(attribute.Backend), attribute);
        }
        if (options.ComputeBackend is not { Length: > 0 } with)
        {
            return null;
        }
        var request = ComputeRequest.Parse(with);
        var backend = request.ResolveBackend();
        return (backend, request.Attribute(backend));
    }
}

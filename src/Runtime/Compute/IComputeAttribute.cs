namespace Sharpflow;

/// <summary>A step attribute that sends the step's tasks to a compute backend (Slurm, ...) instead of this process.</summary>
public interface IComputeAttribute
{
    /// <summary>The backend's name, as <c>--with</c> spells it (e.g. <c>slurm</c>).</summary>
    string Backend { get; }
}

namespace Sharpflow;

/// <summary>
/// Environment variables for a step's tasks, as Metaflow's <c>@environment</c>: <c>[Environment("OMP_NUM_THREADS=4",
/// "TOKENIZERS_PARALLELISM=false")]</c>, or for every step <c>--with environment:vars=A=1;B=2</c>. The step's process
/// has them from before the step's code runs, so native libraries (OpenMP, CUDA, BLAS) see them too: a task in a
/// process of its own (<c>--isolation process</c>, a compute backend, Argo) sets them for its whole process, and a
/// flow run from its command line runs such a step in a child process of its own. Run from C# or a notebook with
/// tasks in the same process, the step sees them through <see cref="System.Environment"/> while it runs (steps with
/// [Environment] then run one at a time, and other tasks running meanwhile see them as well).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class EnvironmentAttribute : Attribute
{
    /// <summary>No variables; give them with <see cref="Vars"/>.</summary>
    public EnvironmentAttribute()
    {
    }

    /// <summary>The variables, each <c>NAME=value</c>.</summary>
    public EnvironmentAttribute(params string[] variables) => Variables = variables;

    /// <summary>The variables given to the constructor, each <c>NAME=value</c>.</summary>
    public IReadOnlyList<string> Variables { get; } = [];

    /// <summary>More variables as <c>NAME=value;NAME=value</c> (the form <c>--with environment:vars=...</c> takes).</summary>
    public string? Vars { get; set; }

    /// <summary>
    /// The variables by name (a later one wins), checked: each is <c>NAME=value</c> with a name of letters, digits and
    /// '_' not starting with a digit. A bad one is refused naming the flow and step.
    /// </summary>
    public IReadOnlyDictionary<string, string> ToDictionary(string flow, string step)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in Variables.Concat(Vars?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? []))
        {
            var at = variable.IndexOf('=', StringComparison.Ordinal);
            var name = at > 0 ? variable[..at] : "";
            if (name.Length == 0 || char.IsAsciiDigit(name[0]) || name.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '_'))
            {
                throw new ArgumentException($"Flow '{flow}', step '{step}': [Environment] variable '{variable}' is not NAME=value "
                    + "(a name of letters, digits and '_', not starting with a digit), e.g. [Environment(\"OMP_NUM_THREADS=4\")].");
            }
            result[name] = variable[(at + 1)..];
        }
        return result;
    }
}

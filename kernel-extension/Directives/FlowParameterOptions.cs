using System.Globalization;
using Microsoft.DotNet.Interactive.Directives;
using Sharpflow.Graph;

namespace Sharpflow.Interactive.Directives;

/// <summary>
/// Offers each flow's own parameters on <c>#!flow-run</c> (<c>#!flow-run GreetingFlow --name Ada</c>), as the flow's
/// command line does. The kernel's parser refuses options a directive does not declare, so each flow's parameters are
/// declared as soon as the flow is loaded (after the cell that defines it). One directive serves every flow: an option
/// another flow declared is passed through, and the run refuses a parameter its flow does not have, naming the ones it has.
/// </summary>
internal sealed class FlowParameterOptions(KernelActionDirective run)
{
    private readonly HashSet<Type> _offered = [];
    private readonly List<string> _problems = [];
    private readonly Lock _lock = new();

    /// <summary>
    /// Declares the parameters of flows loaded since the last call; a flow whose parameters cannot be read is kept
    /// for <see cref="TakeProblems"/> (the extension loads before any cell can show it).
    /// </summary>
    public void OfferNewFlows()
    {
        lock (_lock)
        {
            foreach (var flow in LoadedFlows.All.Where(_offered.Add))
            {
                IReadOnlyList<FlowParameter> parameters;
                try
                {
                    parameters = FlowParameter.Of(flow);
                }
                catch (Exception e) when (e is FlowDefinitionException or ArgumentException or InvalidOperationException)
                {
                    _problems.Add($"{flow.Name}: its parameters cannot be offered on #!flow-run: {e.Message}");
                    continue;
                }
                foreach (var parameter in parameters.Where(p => !FlowMagics.RunOptions.Contains(p.Name) && p.Name != "flow"))
                {
                    if (!run.Parameters.Any(p => p.Name == "--" + parameter.Name))
                    {
                        run.Parameters.Add(MagicDirectives.FlowParameter(parameter.Name, Describe(flow, parameter)));
                    }
                }
            }
        }
    }

    /// <summary>The flows whose parameters could not be offered since the last call, each with why.</summary>
    public IReadOnlyList<string> TakeProblems()
    {
        lock (_lock)
        {
            var taken = _problems.ToArray();
            _problems.Clear();
            return taken;
        }
    }

    private static string Describe(Type flow, FlowParameter parameter) => string.Create(CultureInfo.InvariantCulture,
        $"{flow.Name} parameter ({parameter.Type.Name}{(parameter.Required ? ", required" : "")}){(parameter.Help is { } help ? ": " + help : "")}");
}

using System.Collections;
using Sharpflow.Artifacts;
using Sharpflow.Graph;
using Sharpflow.Metadata;

namespace Sharpflow.Execution;

/// <summary>
/// Rebuilds what the scheduler needs from a task that finished elsewhere (a resumed run's origin, a child process):
/// the foreach items from its stored list artifact and the step its switch took.
/// </summary>
internal static class StoredOutcome
{
    public static async Task<TaskOutcome> ForAsync(RunContext run, TaskSpec spec, TaskRecord record, ArtifactIndex artifacts, bool cloned)
    {
        return new TaskOutcome(spec, record, artifacts)
        {
            Cloned = cloned,
            ForeachItems = await ForeachItemsAsync(run, spec.Step, record, artifacts).ConfigureAwait(false),
            ChosenStep = record.Transition?.Kind == TransitionKind.Switch ? record.Next.Single() : null,
        };
    }

    private static async Task<IReadOnlyList<EncodedArtifact>> ForeachItemsAsync(RunContext run, StepNode step, TaskRecord record, ArtifactIndex artifacts)
    {
        if (record.Status != RunStatus.Succeeded || record.Transition is not { Kind: TransitionKind.Foreach, ForeachVariable: { } variable })
        {
            return [];
        }
        var member = ArtifactMember.Find(run.FlowType, variable)!;
        var list = await run.Artifacts.LoadValueAsync(step.Name, variable, artifacts.Artifacts[variable], member.Type, run.Cancellation).ConfigureAwait(false) as IEnumerable
            ?? throw new InvalidOperationException($"Flow '{run.FlowName}', step '{step.Name}': the stored foreach list '{variable}' is null.");
        return list.Cast<object?>().Select((v, i) => run.Artifacts.Codec.Encode(run.FlowName, step.Name, $"{variable}[{i}]", v)).ToArray();
    }
}

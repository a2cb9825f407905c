using Microsoft.DotNet.Interactive.Directives;
using Sharpflow.CellFlows;
using Sharpflow.Compute;

namespace Sharpflow.Interactive.Directives;

/// <summary>
/// The magic commands as the kernel sees them: names, descriptions, options and completions, declared once here. The
/// kernel's parser checks a cell's directive lines against these before anything runs (unknown option names are refused
/// there, with the kernel's own diagnostic).
/// </summary>
internal static class MagicDirectives
{
    private const int Repeatable = 100;

    /// <summary><c>#!flow-run Flow [--parameter value ...]</c>; the flows' own parameters are added as flows appear.</summary>
    public static KernelActionDirective Run(FlowMagics magics) => Magic("#!flow-run", "Run a flow defined in an earlier cell, with a live view of its steps",
        FlowName(),
        Option("--max-workers", "How many tasks run at once (default: the processor count)"),
        Option("--max-num-splits", "The most tasks a foreach may start (default 100)"),
        Option("--max-loop-iterations", "The most times a switch may loop"),
        Option("--tag", "A tag for the run (repeatable)", Repeatable),
        Option("--with", "retry[:times=N]: retry every step; a compute backend such as slurm[:partition=gpu] (its package added): run every step there (repeatable)", Repeatable)
            .AddCompletions(() => ["retry", .. ComputeRequest.KnownBackends]),
        Option("--config", "A config file: name=path (repeatable)", Repeatable),
        Option("--config-value", "A config as JSON: name={...} (repeatable)", Repeatable),
        Option("--namespace", "The namespace the run is recorded in"),
        Flag("--reuse", "Reuse every task whose code and inputs are unchanged since an earlier run instead of running it"));

    /// <summary><c>#!flow-resume Flow [--step s] [--origin-run-id id]</c>.</summary>
    public static KernelActionDirective Resume(FlowMagics magics) => Magic("#!flow-resume", "Resume the latest (or a given) run with the flow's current definition",
        FlowName(),
        Step("The step to run again from (default: where the run failed)"),
        RunId(magics, "--origin-run-id", "The run to resume (default: the latest)"));

    /// <summary><c>#!flow-spin Flow --step s [--run-id id] [--task-id id]</c>.</summary>
    public static KernelActionDirective Spin(FlowMagics magics) => Magic("#!flow-spin", "Run one step again with a past run's inputs (nothing is stored)",
        FlowName(),
        Step("The step to spin"),
        RunId(magics, "--run-id", "The run whose inputs to use (default: the latest)"),
        Option("--task-id", "The task of the step to re-create (default: the first)"));

    /// <summary><c>#!flow-show Flow[/run|/latest]</c>.</summary>
    public static KernelActionDirective Show() => Magic("#!flow-show", "Show a flow's graph (Flow) or a run (Flow/run, Flow/latest)", FlowName("Flow, Flow/run or Flow/latest"));

    /// <summary><c>#!flow-runs [Flow]</c>.</summary>
    public static KernelActionDirective Runs() => Magic("#!flow-runs", "List a flow's runs (or every flow's)", FlowName(required: false));

    /// <summary><c>#!flow-card [Flow/]run/step[/task]</c>.</summary>
    public static KernelActionDirective Card() => Magic("#!flow-card", "Show a task's cards inline ([Flow/]run/step[/task]; run may be latest)", Pathspec());

    /// <summary><c>#!flow-logs [Flow/]run/step[/task]</c>.</summary>
    public static KernelActionDirective Logs() => Magic("#!flow-logs", "Show the output of a step's tasks ([Flow/]run/step[/task]; run may be latest)", Pathspec());

    /// <summary><c>#!flow-export Flow --to path [--package Name@Version ...]</c>.</summary>
    public static KernelActionDirective Export() => Magic("#!flow-export", "Write a flow built from cells as a flow file (dotnet run File.cs -- run)",
        FlowName(),
        Option("--to", "The file to write, e.g. flows/Churn.cs"),
        Option("--package", "A NuGet package the flow uses: Name@Version (repeatable; the notebook's #r packages are added)", Repeatable),
        Option("--runtime-project", "Refer to the runtime by this project file instead of the Sharpflow package"));

    /// <summary><c>#!flow-help</c>.</summary>
    public static KernelActionDirective Help() => Magic("#!flow-help", "List Sharpflow's magic commands");

    /// <summary><c>#!flow-define Flow [--base BaseFlow]</c>: the rest of the cell declares the flow's members.</summary>
    public static KernelActionDirective DefineCell() => Magic(FlowCellParser.FlowDirective,
        "A flow cell: the rest of the cell declares a flow's parameters, configs, artifacts, helper methods and types",
        new KernelDirectiveParameter("--name", "The flow class") { AllowImplicitName = true, Required = true },
        Option("--base", "A base flow class to derive from"));

    /// <summary><c>#!step name --flow Flow --next step ...</c>: the rest of the cell is the step's body.</summary>
    public static KernelActionDirective StepCell() => Magic(FlowCellParser.StepDirective,
        "A step cell: the rest of the cell is one step of a flow; running the cell runs that step",
        new KernelDirectiveParameter("--name", "The step (start and end are Start and End)") { AllowImplicitName = true, Required = true },
        Option("--flow", "The flow the step belongs to").AddCompletions(FlowNames),
        Option("--next", "The step that follows (repeat it for a static branch)", Repeatable),
        Option("--foreach", "A list artifact: the --next step runs once per item"),
        Flag("--join", "The step joins a split: its body gets `inputs`"),
        Option("--switch", "An artifact whose value picks the next step with --case"),
        Option("--case", "value=step for --switch (repeatable)", Repeatable),
        Option("--retry", "Retries after a failure"),
        Option("--catch", "Catch a failure into this artifact and go on"),
        Option("--timeout", "Seconds before the step is stopped"),
        Option("--gpu", "GPUs the step needs"),
        Option("--cpu", "CPU cores the step needs"),
        Option("--memory", "Memory the step needs, e.g. 16G"),
        Option("--with", "Run the step remotely: a compute backend such as slurm[:partition=gpu], its package added").AddCompletions(() => ComputeRequest.KnownBackends),
        Flag("--card", "Render the step's default card"));

    /// <summary>An option for one of a flow's own parameters, offered on <c>#!flow-run</c>.</summary>
    public static KernelDirectiveParameter FlowParameter(string name, string description) => Option("--" + name, description);

    private static KernelActionDirective Magic(string name, string description, params KernelDirectiveParameter[] parameters)
    {
        var directive = new KernelActionDirective(name, description);
        foreach (var parameter in parameters)
        {
            directive.Parameters.Add(parameter);
        }
        return directive;
    }

    private static KernelDirectiveParameter Option(string name, string description, int maxOccurrences = 1) =>
        new(name, description) { MaxOccurrences = maxOccurrences };

    private static KernelDirectiveParameter Flag(string name, string description) => new(name, description) { Flag = true };

    private static KernelDirectiveParameter FlowName(string description = "The flow class", bool required = true) =>
        new KernelDirectiveParameter("--flow", description) { AllowImplicitName = true, Required = required }.AddCompletions(FlowNames);

    private static KernelDirectiveParameter Pathspec() =>
        new KernelDirectiveParameter("--pathspec", "A step or task: [Flow/]run/step[/task]") { AllowImplicitName = true, Required = true };

    private static KernelDirectiveParameter Step(string description) =>
        Option("--step", description).AddCompletions(FlowMagics.StepCompletions);

    private static KernelDirectiveParameter RunId(FlowMagics magics, string name, string description) =>
        Option(name, description).AddCompletions(magics.RunIdCompletions);

    private static IEnumerable<string> FlowNames() => LoadedFlows.All.Select(t => t.Name).Distinct();
}

using Sharpflow.Graph;

namespace Sharpflow.LanguageServer.Checks;

/// <summary>
/// The rules only the editor can check, because they need the source (statements, initializers, files next to it):
/// declared once as data, like the runtime's <see cref="GraphRules"/>. {0} is the flow, {1} the step.
/// </summary>
internal static class EditorRules
{
    /// <summary>Statements after a transition still run, after the next steps are already decided.</summary>
    public static readonly GraphRule CodeAfterTransition = new("SF0101", "code-after-transition", RuleSeverity.Warning,
        "Flow '{0}', step '{1}': this code runs after `{2}(...)` has chosen the next step. Make the transition the step's last statement.");

    /// <summary>A step reads an artifact that nothing before it can have assigned.</summary>
    public static readonly GraphRule ArtifactReadBeforeAssigned = new("SF0102", "artifact-read-before-assigned", RuleSeverity.Warning,
        "Flow '{0}', step '{1}' reads '{2}', but no step that runs before it assigns '{2}' and it has no initial value, so it reads null. Assign it in an earlier step or give it an initial value.");

    /// <summary>A config's default file cannot be found.</summary>
    public static readonly GraphRule ConfigDefaultMissing = new("SF0103", "config-default-missing", RuleSeverity.Error,
        "Flow '{0}': config '{2}' has default file '{3}', which does not exist next to this file or its project ({4}). Create it, fix the path, or remove Default and pass --config {2}=PATH.");

    /// <summary>A config's default file does not parse or does not bind to the config's type.</summary>
    public static readonly GraphRule ConfigDefaultInvalid = new("SF0104", "config-default-invalid", RuleSeverity.Error, "{2}");

    /// <summary>A parameter whose type cannot come from the command line or be restored from the run.</summary>
    public static readonly GraphRule ParameterType = new("SF0105", "parameter-type", RuleSeverity.Error,
        "Flow '{0}': parameter '{2}' {3}. Use a string, number, bool, enum, or a concrete type that System.Text.Json can read.");

    /// <summary>A parameter default that is not a valid value, or that is never used.</summary>
    public static readonly GraphRule ParameterDefault = new("SF0106", "parameter-default", RuleSeverity.Error,
        "Flow '{0}': parameter '{2}' has default {3}, which is not a value of {4}. Use one of: {5}.");

    /// <summary>A required parameter with an initial value: the value is never used.</summary>
    public static readonly GraphRule RequiredParameterDefault = new("SF0107", "required-parameter-default", RuleSeverity.Warning,
        "Flow '{0}': parameter '{2}' is Required, so its initial value {3} is never used. Remove the initial value or Required = true.");

    /// <summary>A step asks for GPUs but nothing sends it to a machine that has them.</summary>
    public static readonly GraphRule GpuWithoutBackend = new("SF0108", "gpu-without-backend", RuleSeverity.Information,
        "Flow '{0}', step '{1}' asks for {2} GPU(s) but has no compute backend ({3}), so a plain `run` executes it locally without GPUs. Add a compute attribute or run with --with <backend>.");

    /// <summary>A step cell names a step that no cell of the notebook defines.</summary>
    public static readonly GraphRule UndefinedStepCell = new("SF0109", "undefined-step-cell", RuleSeverity.Warning,
        "Flow '{0}': {1} goes to '{2}', but no cell defines step '{2}'. Add a `#!step {2} --flow {0} ...` cell.");

    /// <summary>An attribute of an add-on (<c>[Slurm]</c>, <c>[Schedule]</c>) whose package the flow does not have.</summary>
    public static readonly GraphRule MissingAddOn = new("SF0111", "missing-add-on", RuleSeverity.Error,
        "[{2}] comes with the package {3}: add it to the flow's project (dotnet add package {3}); in a notebook, run #r \"nuget: {3}\" in a cell before the flow's cells.");

    /// <summary>A step that may be reused reads state its fingerprint cannot see.</summary>
    public static readonly GraphRule ReuseHazard = new("SF0112", "reuse-hazard", RuleSeverity.Information,
        "Flow '{0}', step '{1}' reads {2}, which its fingerprint cannot see: run --reuse (and a notebook step cell run again) may reuse an earlier result of it. If it must run every time, add [Reuse(false)] to the step.");

    /// <summary>A <c>#!step</c> or <c>#!flow-define</c> line that cannot be read.</summary>
    public static readonly GraphRule CellDirective = new("SF0110", "cell-directive", RuleSeverity.Error, "{2}");

    /// <summary>The rules only notebook cells can break (covered by the notebook-cell tests, not by .cs fixtures).</summary>
    public static IReadOnlyList<GraphRule> NotebookOnly { get; } = [UndefinedStepCell, CellDirective];

    /// <summary>The rules found in the compiler's errors (a flow that does not compile cannot be a fixture).</summary>
    public static IReadOnlyList<GraphRule> FromCompilerErrors { get; } = [MissingAddOn];

    /// <summary>Every editor rule, for documentation and tests.</summary>
    public static IReadOnlyList<GraphRule> All { get; } =
        [CodeAfterTransition, ArtifactReadBeforeAssigned, ConfigDefaultMissing, ConfigDefaultInvalid, ParameterType, ParameterDefault, RequiredParameterDefault, GpuWithoutBackend, UndefinedStepCell, CellDirective, MissingAddOn, ReuseHazard];
}

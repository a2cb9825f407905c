namespace Sharpflow.LanguageServer.Checks;

/// <summary>Runs every editor-only check (<see cref="EditorRules"/>) on a flow, after the runtime's graph rules.</summary>
internal static class EditorChecks
{
    private static readonly Func<FlowSource, IEnumerable<SourceFinding>>[] Checks =
    [
        CodeAfterTransitionCheck.Check,
        ArtifactDataFlowCheck.Check,
        ConfigDefaultCheck.Check,
        ParameterCheck.Check,
        GpuBackendCheck.Check,
        ReuseHazardCheck.Check,
    ];

    /// <summary>The findings of all checks, in rule order within each check.</summary>
    public static IEnumerable<SourceFinding> Run(FlowSource flow) => Checks.SelectMany(check => check(flow));
}

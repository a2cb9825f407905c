namespace Sharpflow.Metadata;

/// <summary>How one exit hook went: its name, and the exception when it failed.</summary>
public sealed record HookResult(string Name, bool Succeeded, ExceptionRecord? Exception);

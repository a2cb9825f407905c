namespace Sharpflow;

/// <summary>Where a CLI command writes: its stdout and stderr (the console's, never a task's captured output).</summary>
internal sealed record CliOutput(TextWriter Out, TextWriter Error);

using System.CommandLine;

namespace Sharpflow.Extensibility;

/// <summary>What an add-on's command gets: the flow, the shared <c>--datastore</c> option, where to write, and how to start the flow's program.</summary>
/// <param name="FlowType">The flow the command line is for.</param>
/// <param name="Datastore">The <c>--datastore</c> option every command shares.</param>
/// <param name="Out">Where the command writes its output.</param>
/// <param name="Error">Where it writes errors.</param>
/// <param name="TaskCommand">The command that starts this flow's program again (for workers), or null.</param>
public sealed record AddOnCommandContext(Type FlowType, Option<string?> Datastore, TextWriter Out, TextWriter Error, IReadOnlyList<string>? TaskCommand);

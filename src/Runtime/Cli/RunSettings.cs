using System.CommandLine;
using Sharpflow.Execution;
using Sharpflow.Graph;
using Sharpflow.Metadata;

namespace Sharpflow.Cli;

/// <summary>
/// The options shared by the commands that start a run (<c>run</c>, <c>resume</c>): scheduling limits, tags, retries,
/// output, and one option per flow parameter. Binds them to <see cref="RunnerOptions"/> and reports the outcome.
/// </summary>
internal sealed class RunSettings
{
    private readonly Option<int> _maxWorkers = new("--max-workers") { Description = "How many tasks run at once.", DefaultValueFactory = _ => Environment.ProcessorCount };
    private readonly Option<int> _maxNumSplits = new("--max-num-splits") { Description = "The most tasks one foreach may start.", DefaultValueFactory = _ => 100 };
    private readonly Option<int> _maxLoops = new("--max-loop-iterations") { Description = "How often a switch loop may re-enter a step.", DefaultValueFactory = _ => 1000 };
    private readonly Option<string[]> _tags = new("--tag") { Description = "A tag for the run (repeatable)." };
    private readonly Option<string[]> _configs = new("--config") { Description = "A config file: name=path (repeatable)." };
    private readonly Option<string[]> _configValues = new("--config-value") { Description = "A config given inline as JSON: name='{...}' (repeatable)." };
    private readonly Option<string?> _namespace = new("--namespace") { Description = "An extra namespace for the run (e.g. production); it is always in user:<you> too." };
    private readonly Option<string?> _branch = new("--branch") { Description = "For a flow with [Project]: run on branch test.<name> (default user.<you>)." };
    private readonly Option<bool> _production = new("--production") { Description = "For a flow with [Project]: run on the production branch (prod)." };
    private readonly Option<string[]> _with = new("--with") { Description = "Add a decorator to every step that has none of its kind (repeatable): retry, timeout, catch, resources, card or one of the flow's own, "
        + "with settings as NAME:key=value,... (retry:times=2, timeout:minutes=30, card:type=blank); or a compute backend (slurm:partition=gpu)." };
    private readonly Option<string?> _runIdFile = new("--run-id-file") { Description = "Write the run id to this file as soon as the run starts." };
    private readonly Option<bool> _json = CliCommands.JsonOption("the run's outcome");
    private readonly Option<TaskIsolation> _isolation = new("--isolation") { Description = "Where tasks run: inprocess (default) or process (each attempt in a child process).", DefaultValueFactory = _ => TaskIsolation.InProcess };
    private readonly Option<bool> _reuse = new("--reuse")
    {
        Description = "Reuse every task whose code and inputs are unchanged since an earlier run (same fingerprint) instead of running it; steps with [Reuse(false)] always run.",
    };
    private readonly Option<bool> _quiet = new("--quiet") { Description = "Print only progress and the outcome, not every task and log line." };
    private readonly ParameterOptions _parameters;
    private readonly Option<string?> _datastore;
    private readonly IReadOnlyList<string>? _taskCommand;
    private readonly CliOutput _output;

    // keepsInputs: for resume, which keeps the original run's parameters and configs. Their options are hidden from help;
    // given anyway, a different value is refused with the value the run keeps.
    public RunSettings(Type flowType, Command command, Option<string?> datastore, CliOutput output, IReadOnlyList<string>? taskCommand, bool keepsInputs = false)
    {
        _datastore = datastore;
        _taskCommand = taskCommand;
        _output = output;
        foreach (var option in new Option[] { _maxWorkers, _maxNumSplits, _maxLoops, _tags, _configs, _configValues, _namespace, _branch, _production, _with, _isolation, _reuse, _runIdFile, _json, _quiet })
        {
            command.Options.Add(option);
        }
        _configs.Hidden = _configValues.Hidden = keepsInputs;
        _parameters = new ParameterOptions(flowType, command, hidden: keepsInputs);
    }

    /// <summary>The parameter values given on the command line, by property name.</summary>
    public Dictionary<string, object?> Parameters(ParseResult parse) => _parameters.Values(parse);

    /// <summary>name=value pairs of a repeatable option, by name; null when none were given.</summary>
    private static Dictionary<string, string>? Pairs(string[]? values, string option)
    {
        if (values is null || values.Length == 0)
        {
            return null;
        }
        return values.Select(v => v.IndexOf('=', StringComparison.Ordinal) is var at and > 0
                ? KeyValuePair.Create(v[..at], v[(at + 1)..])
                : throw new ArgumentException($"{option} {v}: expected name=value."))
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
    }

    /// <summary>Runs <paramref name="start"/> with bound options and live progress; returns the exit code (0 ok, 1 failed, 2 refused).</summary>
    public async Task<int> ExecuteAsync(ParseResult parse, Type flowType, Func<Runner, Task<Client.Run>> start)
    {
        var json = parse.GetValue(_json);
        var resume = _taskCommand is { Count: > 0 } program ? $"{string.Join(' ', program.Select(Quoted))} resume" : "resume";
        await using var progress = new ConsoleProgress(json ? _output.Error : _output.Out, parse.GetValue(_quiet), parse.GetValue(_runIdFile), resume);
        try
        {
            var options = new RunnerOptions
            {
                DatastoreRoot = parse.GetValue(_datastore),
                MaxWorkers = parse.GetValue(_maxWorkers),
                MaxNumSplits = parse.GetValue(_maxNumSplits),
                MaxLoopIterations = parse.GetValue(_maxLoops),
                Tags = parse.GetValue(_tags) ?? [],
                Namespace = parse.GetValue(_namespace),
                Branch = parse.GetValue(_branch),
                Production = parse.GetValue(_production),
                ConfigPaths = Pairs(parse.GetValue(_configs), "--config"),
                ConfigValues = Pairs(parse.GetValue(_configValues), "--config-value"),
                StepDecorators = WithDecorators.StepDecorators(parse.GetValue(_with) ?? [], flowType),
                ComputeBackend = WithDecorators.ComputeBackend(parse.GetValue(_with) ?? [], flowType),
                OnEvent = progress.Handle,
                Isolation = parse.GetValue(_isolation),
                TaskCommand = _taskCommand,
                Reuse = parse.GetValue(_reuse),
            };
            await using var runner = new Runner(flowType, options);
            var run = await start(runner).ConfigureAwait(false);
            if (json)
            {
                _output.Out.WriteLine(CliCommands.ToJson(new
                {
                    flow = run.FlowName,
                    runId = run.Id,
                    status = run.Status.ToString(),
                    originRunId = run.Record.OriginRunId,
                    error = run.Error,
                    datastore = runner.Store.Location,
                }));
            }
            return run.Status == RunStatus.Succeeded ? 0 : 1;
        }
        catch (Exception e) when (CliErrors.IsUserError(e))
        {
            _output.Error.WriteLine(e.Message);
            return CliErrors.Refused;
        }
    }

    private static string Quoted(string argument) => argument.Length > 0 && !argument.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'') ? argument : $"'{argument.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}

using System.Text.Json.Nodes;
using Sharpflow.Metadata;

namespace Sharpflow.Config;

/// <summary>
/// Resolves a flow's configs when a run starts: an inline value (<c>--config-value</c>) wins over a path
/// (<c>--config</c>), which wins over the attribute's default file. Every config is parsed, bound and validated before
/// any step runs; the result is stored with the run as JSON.
/// </summary>
public static class ConfigResolver
{
    /// <summary>The resolved configs of <paramref name="flowType"/>, by name, as stored with a run.</summary>
    public static IReadOnlyDictionary<string, ConfigRecord> Resolve(
        Type flowType, IReadOnlyDictionary<string, string>? paths = null, IReadOnlyDictionary<string, string>? values = null)
    {
        var flow = flowType.Name;
        var configs = FlowConfig.Of(flowType);
        foreach (var unknown in (paths?.Keys ?? []).Concat(values?.Keys ?? []).Where(n => configs.All(c => c.Name != n)).Distinct())
        {
            throw new ArgumentException($"Flow '{flow}' has no config '{unknown}'. Its configs are: {(configs.Count == 0 ? "(none)" : string.Join(", ", configs.Select(c => c.Name)))}.");
        }
        var resolved = new Dictionary<string, ConfigRecord>(StringComparer.Ordinal);
        foreach (var config in configs)
        {
            var document = Load(flow, config, paths?.GetValueOrDefault(config.Name), values?.GetValueOrDefault(config.Name));
            ConfigBinder.Bind(config, flow, document); // validate now, before any step runs
            resolved[config.Name] = new ConfigRecord(document.Source, document.Tree.ToJsonString());
        }
        return resolved;
    }

    /// <summary>
    /// Loads, binds and validates the default file of config <paramref name="configName"/> exactly as a run would, but
    /// looks for a relative file in <paramref name="searchDirectories"/> (an editor passes the document's and project's
    /// folders). Returns the file used; throws <see cref="ConfigException"/> or <see cref="ArgumentException"/> as a run would.
    /// </summary>
    public static string CheckDefault(Type flowType, string configName, IReadOnlyList<string> searchDirectories)
    {
        var config = FlowConfig.Of(flowType).FirstOrDefault(c => c.Name == configName)
            ?? throw new ArgumentException($"Flow '{flowType.Name}' has no config '{configName}'.");
        var document = Load(flowType.Name, config, null, null, searchDirectories);
        ConfigBinder.Bind(config, flowType.Name, document);
        return document.Source;
    }

    /// <summary>A fresh typed value of a stored config, for one task.</summary>
    public static object? Materialize(FlowConfig config, string flow, ConfigRecord record) =>
        ConfigBinder.Bind(config, flow, new ConfigDocument(record.Source, JsonNode.Parse(record.Json) ?? new JsonObject(), new Dictionary<string, int>()));

    private static ConfigDocument Load(string flow, FlowConfig config, string? path, string? inline, IReadOnlyList<string>? searchDirectories = null)
    {
        if (inline is not null)
        {
            return Wrap(flow, config, $"--config-value {config.Name}", () => ConfigFormats.Parse(inline, ".json", $"--config-value {config.Name}"));
        }
        var file = path ?? config.Attribute.Default ?? throw new ArgumentException(
            $"Flow '{flow}': config '{config.Name}' has no default file; pass --config {config.Name}=PATH or --config-value {config.Name}='{{...}}'.");
        var directories = searchDirectories ?? [Directory.GetCurrentDirectory(), AppContext.BaseDirectory];
        var located = Locate(file, directories) ?? throw new ArgumentException(
            $"Flow '{flow}': config '{config.Name}' file '{file}' was not found in {string.Join(" nor in ", directories)}. Pass --config {config.Name}=PATH.");
        if (config.Attribute.Parser is { } parserType)
        {
            var parser = typeof(IConfigParser).IsAssignableFrom(parserType) && parserType.GetConstructor(Type.EmptyTypes) is not null
                ? (IConfigParser)Activator.CreateInstance(parserType)!
                : throw new ArgumentException($"Flow '{flow}': config '{config.Name}' names parser {parserType.Name}, which must implement IConfigParser and have a public parameterless constructor.");
            return Wrap(flow, config, located, () => new ConfigDocument(located, parser.Parse(located), new Dictionary<string, int>()));
        }
        return Wrap(flow, config, located, () => ConfigFormats.Read(located));
    }

    private static ConfigDocument Wrap(string flow, FlowConfig config, string source, Func<ConfigDocument> load)
    {
        try
        {
            return load();
        }
        catch (Exception e) when (e is FormatException or IOException or InvalidOperationException)
        {
            throw new ConfigException($"Flow '{flow}', config '{config.Name}': {e.Message}", config.Name, source, null, (e as ConfigSyntaxException)?.Line, e);
        }
    }

    private static string? Locate(string file, IEnumerable<string> directories) =>
        Path.IsPathRooted(file) ? (File.Exists(file) ? file : null)
        : directories.Select(d => Path.Combine(d, file)).FirstOrDefault(File.Exists);
}

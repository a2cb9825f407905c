using System.Text.Json.Nodes;

namespace Sharpflow.Config;

/// <summary>
/// A custom config parser: turns the config's source path into a JSON tree. Use <see cref="ConfigFormats.Read"/> to
/// read TOML/JSON/YAML files, e.g. to merge a base file with an override file, or build the tree in code.
/// </summary>
public interface IConfigParser
{
    /// <summary>The config tree for <paramref name="path"/> (the default or the <c>--config</c> path).</summary>
    JsonNode Parse(string path);
}

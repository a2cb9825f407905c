namespace Sharpflow;

/// <summary>
/// A decorator whose arguments can come from a config: <c>From = "train.retry"</c> names a table of a config (first
/// segment: the config's name) whose keys set the decorator's properties, e.g. <c>[Retry(From = "train.retry")]</c>
/// with <c>[retry] times = 3</c> in train.toml. A missing table or an unknown key fails the run before any step runs.
/// </summary>
public interface IConfigurableDecorator
{
    /// <summary>The config table to read the decorator's arguments from (<c>config.key.key</c>), or null.</summary>
    string? From { get; set; }
}

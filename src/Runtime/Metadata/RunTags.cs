namespace Sharpflow.Metadata;

/// <summary>The user tags of a run, changeable after it ran (system tags live in the run record and never change).</summary>
public sealed record RunTags(IReadOnlyList<string> Tags)
{
    /// <summary>Checks a tag: non-empty, at most 500 characters, printable.</summary>
    public static string Validate(string tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        if (tag.Length is 0 or > 500 || tag.Any(char.IsControl) || tag.Trim() != tag)
        {
            throw new ArgumentException($"'{tag}' is not a valid tag: use 1 to 500 printable characters without leading or trailing spaces.");
        }
        return tag;
    }
}

using System.Text.RegularExpressions;

namespace Sharpflow.Argo;

/// <summary>Names Argo and Kubernetes accept: lower case DNS-1123 (<c>[a-z0-9-]</c>, alphanumeric at both ends, bounded length).</summary>
internal static partial class ArgoNames
{
    /// <summary>A step or flow name as a template/task name: <c>TrainModel</c> → <c>trainmodel</c>, <c>fit_gpu</c> → <c>fit-gpu</c>.</summary>
    public static string Of(string name, int maxLength = 63)
    {
        var cleaned = Invalid().Replace(name.ToLowerInvariant(), "-").Trim('-');
        cleaned = cleaned.Length > maxLength ? cleaned[..maxLength].TrimEnd('-') : cleaned;
        return cleaned.Length == 0 ? throw new ArgumentException($"'{name}' has no letters or digits to make an Argo name from.") : cleaned;
    }

    [GeneratedRegex("[^a-z0-9-]+")]
    private static partial Regex Invalid();
}

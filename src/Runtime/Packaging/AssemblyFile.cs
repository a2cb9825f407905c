using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Sharpflow.Packaging;

/// <summary>
/// Where an assembly was loaded from. The one place Sharpflow asks: an assembly of a single-file or NativeAOT program, a
/// dynamic one or one loaded from bytes (flows compiled from notebook cells) has no file of its own, and every caller
/// handles that (code packages are made only from a JIT build; step doc comments are then simply absent).
/// </summary>
internal static class AssemblyFile
{
    /// <summary>The full path of the file <paramref name="assembly"/> was loaded from, or null when it has none.</summary>
    [UnconditionalSuppressMessage("SingleFile", "IL3000", Justification = "An assembly without a file of its own (single-file, NativeAOT, in memory) gives null, which every caller handles.")]
    public static string? PathOf(Assembly assembly) =>
        assembly.IsDynamic || assembly.Location is not { Length: > 0 } location ? null : location;

    /// <summary>The folder of the file <paramref name="assembly"/> was loaded from, or null when it has none.</summary>
    public static string? FolderOf(Assembly assembly) => PathOf(assembly) is { } path ? Path.GetDirectoryName(path) : null;
}

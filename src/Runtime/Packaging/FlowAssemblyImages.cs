using System.Reflection;
using System.Runtime.CompilerServices;

namespace Sharpflow.Packaging;

/// <summary>
/// The bytes of flow assemblies compiled in memory (flows defined in notebook cells), kept so a code package can
/// carry them: such an assembly has no file to copy.
/// </summary>
public static class FlowAssemblyImages
{
    private static readonly ConditionalWeakTable<Assembly, byte[]> Images = [];

    /// <summary>Remembers the image an in-memory assembly was loaded from.</summary>
    public static void Register(Assembly assembly, byte[] image) => Images.AddOrUpdate(assembly, image);

    /// <summary>The assembly's bytes: its registered image, else its file; null when neither exists.</summary>
    public static byte[]? Of(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return Images.TryGetValue(assembly, out var image) ? image
            : AssemblyFile.PathOf(assembly) is { } path && File.Exists(path) ? File.ReadAllBytes(path)
            : null;
    }
}

using System.Collections.Concurrent;

namespace Sharpflow.Artifacts;

/// <summary>Stores types by name (full name plus assembly name, no version) and finds them again among the loaded assemblies.</summary>
public static class TypeNames
{
    private static readonly ConcurrentDictionary<string, Type?> Resolved = new(StringComparer.Ordinal);

    /// <summary>The stored name of a type.</summary>
    public static string Of(Type type) => $"{FullName(type)}, {type.Assembly.GetName().Name}";

    private static string FullName(Type type)
    {
        if (type.IsArray)
        {
            return FullName(type.GetElementType()!) + (type.IsSZArray ? "[]" : $"[{new string(',', type.GetArrayRank() - 1)}]");
        }
        if (type.IsConstructedGenericType)
        {
            var arguments = type.GetGenericArguments().Select(a => $"[{Of(a)}]");
            return $"{type.GetGenericTypeDefinition().FullName}[{string.Join(",", arguments)}]";
        }
        return type.FullName ?? type.Name;
    }

    /// <summary>The type with that stored name, or null when no loaded assembly has it.</summary>
    public static Type? Resolve(string name)
    {
        if (Resolved.TryGetValue(name, out var known))
        {
            return known;
        }
        var found = Find(name);
        if (found is not null)
        {
            Resolved[name] = found; // only hits are cached: a type compiled later (a new notebook cell) can still be found
        }
        return found;
    }

    private static Type? Find(string n)
    {
        var type = Type.GetType(n, throwOnError: false);
        if (type is not null)
        {
            return type;
        }
        var comma = n.LastIndexOf(", ", StringComparison.Ordinal);
        var fullName = comma < 0 ? n : n[..comma];
        return AppDomain.CurrentDomain.GetAssemblies().Reverse()
            .Select(a => a.GetType(fullName, throwOnError: false))
            .FirstOrDefault(t => t is not null);
    }
}

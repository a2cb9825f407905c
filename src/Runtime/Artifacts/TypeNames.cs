using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Sharpflow.Artifacts;

/// <summary>Stores types by name (full name plus assembly name, no version) and finds them again among the loaded assemblies.</summary>
public static class TypeNames
{
    private static readonly ConcurrentDictionary<string, Type?> Resolved = new(StringComparer.Ordinal);

    /// <summary>Names made so far: every task names each artifact's type, and making a name walks the type and its assembly.</summary>
    private static readonly ConditionalWeakTable<Type, string> Named = [];

    /// <summary>The stored name of a type.</summary>
    public static string Of(Type type) => Named.GetValue(type, static t => $"{FullName(t)}, {t.Assembly.GetName().Name}");

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

    /// <summary>
    /// A stored type name as C# spells it (<c>List&lt;string&gt;</c>, <c>Dictionary&lt;string, Sample&gt;[]</c>), read from
    /// the name alone, so it works for types no loaded assembly has.
    /// </summary>
    public static string Friendly(string storedName)
    {
        ArgumentNullException.ThrowIfNull(storedName);
        var comma = TopLevelComma(storedName);
        var fullName = comma < 0 ? storedName : storedName[..comma];
        if (fullName.EndsWith(']') && fullName.LastIndexOf('[') is var rank and > 0 && fullName[rank..].All(c => c is '[' or ']' or ','))
        {
            return Friendly(fullName[..rank]) + fullName[rank..]; // an array: T[], T[,]
        }
        var open = fullName.IndexOf("[[", StringComparison.Ordinal);
        if (open > 0 && fullName.EndsWith(']'))
        {
            var definition = Simple(fullName[..open]);
            var tick = definition.IndexOf('`', StringComparison.Ordinal);
            return $"{(tick < 0 ? definition : definition[..tick])}<{string.Join(", ", GenericArguments(fullName[(open + 1)..^1]).Select(Friendly))}>";
        }
        return Simple(fullName) switch
        {
            "String" => "string",
            "Int32" => "int",
            "Int64" => "long",
            "Double" => "double",
            "Single" => "float",
            "Boolean" => "bool",
            "Byte" => "byte",
            "Decimal" => "decimal",
            "Object" => "object",
            var simple => simple,
        };

        static string Simple(string name) => name[(name.LastIndexOfAny(['.', '+']) + 1)..];
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

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Stored names are looked up among the types this process has; one trimming removed is not found, and its value is read as JSON.")]
    [UnconditionalSuppressMessage("Trimming", "IL2055", Justification = "As above; generic types are made only where reflection over user types is on.")]
    [UnconditionalSuppressMessage("Trimming", "IL2057", Justification = "As above.")]
    private static Type? Find(string n)
    {
        var type = Type.GetType(n, throwOnError: false);
        if (type is not null)
        {
            return type;
        }
        var comma = TopLevelComma(n);
        var fullName = comma < 0 ? n : n[..comma];
        var assembly = comma < 0 ? "" : n[(comma + 2)..];
        if (fullName.EndsWith("[]", StringComparison.Ordinal))
        {
            return Find($"{fullName[..^2]}, {assembly}") is not { } element ? null
                : RawBinarySerializer.ArrayTypeOf(element) ?? (DataJson.UseReflection ? element.MakeArrayType() : null);
        }
        var open = fullName.IndexOf("[[", StringComparison.Ordinal);
        if (open > 0 && fullName.EndsWith(']'))
        {
            // A constructed generic whose arguments may live in assemblies only the process knows (notebook cells):
            // resolve the definition and each argument on their own.
            var definition = Find($"{fullName[..open]}, {assembly}");
            var arguments = GenericArguments(fullName[(open + 1)..^1]).Select(Resolve).ToArray();
            return DataJson.UseReflection && definition is not null && arguments.All(a => a is not null) ? definition.MakeGenericType(arguments!) : null;
        }
        return AppDomain.CurrentDomain.GetAssemblies().Reverse()
            .Select(a => a.GetType(fullName, throwOnError: false))
            .FirstOrDefault(t => t is not null);
    }

    /// <summary>The ", " that separates the type from its assembly, outside any brackets.</summary>
    private static int TopLevelComma(string name)
    {
        var depth = 0;
        var last = -1;
        for (var i = 0; i < name.Length - 1; i++)
        {
            depth += name[i] == '[' ? 1 : name[i] == ']' ? -1 : 0;
            if (depth == 0 && name[i] == ',' && name[i + 1] == ' ')
            {
                last = i;
            }
        }
        return last;
    }

    /// <summary>The argument names of <c>[A, asm],[B, asm]</c>.</summary>
    private static IEnumerable<string> GenericArguments(string list)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < list.Length; i++)
        {
            depth += list[i] == '[' ? 1 : list[i] == ']' ? -1 : 0;
            if (depth == 0 && list[i] == ']')
            {
                yield return list[(start + 1)..i];
                start = i + 2; // skip "],"
            }
        }
    }
}

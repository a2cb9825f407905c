using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Sharpflow.Metadata;

namespace Sharpflow.Artifacts;

/// <summary>
/// The JSON settings for user data (artifacts, parameters, dumped values): public fields included, NaN and infinity
/// allowed, enums by name. Contracts of the built-in shapes (primitives, their arrays, JSON documents, exception records)
/// are made at compile time (<see cref="DataJsonContext"/>), as are those of the types a program lists in its own
/// contexts (<see cref="ArtifactJsonContextAttribute"/>); a user's other types get theirs by reflection, enabled explicitly
/// so flows also work in file-based apps, where it is off by default. A host that turns <see cref="UseReflection"/> off
/// (the native tool) reads a user's JSON artifacts as <see cref="JsonElement"/>.
/// </summary>
internal static class DataJson
{
    /// <summary>How deeply user data may nest (the serializer's default, 64, is too shallow for linked structures).</summary>
    public const int MaxDepth = 1000;

    public static readonly JsonSerializerOptions Options = Create();

    /// <summary>
    /// Whether user types are handled by reflection (stored type names resolved to constructed generics, JSON contracts
    /// made at run time): on, unless the host turns the <c>Sharpflow.Artifacts.UseReflection</c> switch off, as the native
    /// <c>sharpflow</c> tool does (<c>RuntimeHostConfigurationOption</c>; trimming then drops the reflection paths). Not
    /// <see cref="RuntimeFeature.IsDynamicCodeSupported"/>: file-based apps report false there and still run on the JIT.
    /// </summary>
    [FeatureSwitchDefinition(UseReflectionSwitch)]
    [FeatureGuard(typeof(RequiresUnreferencedCodeAttribute))]
    [FeatureGuard(typeof(RequiresDynamicCodeAttribute))]
    public static bool UseReflection => !AppContext.TryGetSwitch(UseReflectionSwitch, out var on) || on;

    private const string UseReflectionSwitch = "Sharpflow.Artifacts.UseReflection";

    /// <summary>Whether this process can read and write values of <paramref name="type"/> as JSON (always, unless reflection is off).</summary>
    public static bool Supports(Type type) => UseReflection || Options.TryGetTypeInfo(type, out _);

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            MaxDepth = MaxDepth,
            IncludeFields = true,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            Converters = { new WellFormedStringConverter() },
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        IJsonTypeInfoResolver[] compiled = [DataJsonContext.Default, new ArtifactJsonContexts()];
        options.TypeInfoResolver = JsonTypeInfoResolver.Combine(compiled);
        if (UseReflection)
        {
            options.Converters.Insert(0, new JsonStringEnumConverter());
            options.TypeInfoResolver = JsonTypeInfoResolver.Combine([.. compiled, new DefaultJsonTypeInfoResolver()]);
        }
        return options;
    }
}

/// <summary>
/// Compile-time JSON contracts of the built-in artifact shapes (primitives, their arrays, lists and string-keyed
/// dictionaries; a native program has them without reflection) and of <c>dump --json</c>'s output.
/// </summary>
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(byte))]
[JsonSerializable(typeof(sbyte))]
[JsonSerializable(typeof(short))]
[JsonSerializable(typeof(ushort))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(uint))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(ulong))]
[JsonSerializable(typeof(float))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(decimal))]
[JsonSerializable(typeof(char))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(bool[]))]
[JsonSerializable(typeof(byte[]))]
[JsonSerializable(typeof(sbyte[]))]
[JsonSerializable(typeof(short[]))]
[JsonSerializable(typeof(ushort[]))]
[JsonSerializable(typeof(int[]))]
[JsonSerializable(typeof(uint[]))]
[JsonSerializable(typeof(long[]))]
[JsonSerializable(typeof(ulong[]))]
[JsonSerializable(typeof(float[]))]
[JsonSerializable(typeof(double[]))]
[JsonSerializable(typeof(char[]))]
[JsonSerializable(typeof(List<int>))]
[JsonSerializable(typeof(List<long>))]
[JsonSerializable(typeof(List<float>))]
[JsonSerializable(typeof(List<double>))]
[JsonSerializable(typeof(List<bool>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(Dictionary<string, int>))]
[JsonSerializable(typeof(Dictionary<string, long>))]
[JsonSerializable(typeof(Dictionary<string, double>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(ExceptionRecord))]
[JsonSerializable(typeof(Cli.DumpCommand.TaskDump[]))]
internal sealed partial class DataJsonContext : JsonSerializerContext;

using System.Collections.Concurrent;
using System.Reflection;
using Sharpflow.Graph;

namespace Sharpflow.Artifacts;

/// <summary>
/// A public instance field or settable property of a flow that is persisted as an artifact. Parameters and
/// <see cref="TransientAttribute"/> members are not artifacts.
/// </summary>
public sealed class ArtifactMember
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<ArtifactMember>> Cache = new();
    private readonly FieldInfo? _field;
    private readonly PropertyInfo? _property;

    private ArtifactMember(FieldInfo field)
    {
        _field = field;
        Name = field.Name;
        Type = field.FieldType;
    }

    private ArtifactMember(PropertyInfo property)
    {
        _property = property;
        Name = property.Name;
        Type = property.PropertyType;
    }

    /// <summary>The artifact's name: the member's name.</summary>
    public string Name { get; }

    /// <summary>The member's declared type.</summary>
    public Type Type { get; }

    /// <summary>Reads the member's current value on a flow instance.</summary>
    public object? GetValue(object flow) => _field is not null ? _field.GetValue(flow) : _property!.GetValue(flow);

    /// <summary>Sets the member on a flow instance.</summary>
    public void SetValue(object flow, object? value)
    {
        if (_field is not null)
        {
            _field.SetValue(flow, value);
        }
        else
        {
            _property!.SetValue(flow, value);
        }
    }

    /// <summary>The artifact members of a flow type, in declaration order (cached).</summary>
    public static IReadOnlyList<ArtifactMember> Of(Type flowType) => Cache.GetOrAdd(flowType, Discover);

    /// <summary>The artifact member with this name, or null.</summary>
    public static ArtifactMember? Find(Type flowType, string name) => Of(flowType).FirstOrDefault(m => m.Name == name);

    private static IReadOnlyList<ArtifactMember> Discover(Type flowType)
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        var members = new List<ArtifactMember>();
        var chain = new List<Type>();
        for (var t = flowType; t is not null && t != typeof(FlowSpec) && t != typeof(object); t = t.BaseType)
        {
            chain.Insert(0, t);
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in chain)
        {
            foreach (var member in type.GetMembers(flags).InDeclarationOrder())
            {
                if (member.IsDefined(typeof(TransientAttribute), true) || member.IsDefined(typeof(ParameterAttribute), true) || member.IsDefined(typeof(ConfigAttribute), true)
                    || member.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), true))
                {
                    continue;
                }
                ArtifactMember? artifact = member switch
                {
                    FieldInfo field => new ArtifactMember(field),
                    PropertyInfo { CanRead: true, CanWrite: true } property
                        when property.GetIndexParameters().Length == 0 && property.SetMethod!.IsPublic => new ArtifactMember(property),
                    _ => null,
                };
                if (artifact is not null && seen.Add(artifact.Name))
                {
                    members.Add(artifact);
                }
            }
        }
        return members;
    }
}

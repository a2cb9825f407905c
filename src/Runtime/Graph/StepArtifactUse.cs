using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Emit;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Runtime.CompilerServices;
using Sharpflow.Artifacts;
using Sharpflow.Packaging;

namespace Sharpflow.Graph;

/// <summary>
/// Which artifacts a step's code can touch, read from the IL of the flow's assemblies: a task hydrates only those from
/// its parent and keeps the parent's stored references for the rest (no decode, no re-encode), and a join hydrates only
/// those on each input. Conservative by construction: every method of the flow's assemblies counts (helpers, lambdas,
/// other classes that may be handed the flow) except the other steps, their lambdas and state machines, constructors and
/// the artifacts' own accessors; a member counts when any of those methods names it; and when the flow's own code reads
/// members by reflection or <c>dynamic</c> (<c>GetField</c>, <c>GetProperty</c>, <c>GetMember</c>, ...), or an assembly's
/// image is not available, every artifact counts. A member such code assigns anyway (a library setting fields by
/// reflection) is still stored: the task compares what it did not load before and after the step (<c>NotLoaded</c>).
/// Known limit: a step that hands <c>this</c> to code outside the flow's assemblies that reads it by reflection (a
/// serializer, a generic dumper) sees the flow's defaults for the artifacts the flow's own code never names.
/// </summary>
internal static class StepArtifactUse
{
    private static readonly ConditionalWeakTable<Assembly, AssemblyMethods> Assemblies = [];
    private static readonly ConditionalWeakTable<Type, ConcurrentDictionary<string, IReadOnlySet<string>?>> ByFlow = [];

    /// <summary>Stands in a method's names for a call that reads members by name (reflection, <c>dynamic</c>).</summary>
    private const string ReflectionMarker = "<reflection>";

    /// <summary>The declaring type of a referenced member whose type could not be read (counted as the flow's, to be safe).</summary>
    private const string UnknownType = "?";

    /// <summary>The names of the artifacts <paramref name="step"/> of <paramref name="flowType"/> can touch, or null for all of them.</summary>
    public static IReadOnlySet<string>? Of(Type flowType, StepNode step)
    {
        ArgumentNullException.ThrowIfNull(flowType);
        ArgumentNullException.ThrowIfNull(step);
        return ByFlow.GetValue(flowType, _ => new ConcurrentDictionary<string, IReadOnlySet<string>?>(StringComparer.Ordinal))
            .GetOrAdd(step.Name, _ => FlowManifest.IlIsReadable ? Compute(flowType, step) : FlowManifest.Step(flowType, step.Name).ArtifactUse?.ToHashSet(StringComparer.Ordinal));
    }

    private static IReadOnlySet<string>? Compute(Type flowType, StepNode step)
    {
        var hierarchy = Hierarchy(flowType).ToArray();
        var artifacts = ArtifactMember.Of(flowType).Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        var steps = FlowGraphExtractor.Extract(flowType).Steps.Select(s => s.Method.Name).ToHashSet(StringComparer.Ordinal);
        var accessors = artifacts.SelectMany(a => new[] { "get_" + a, "set_" + a }).ToHashSet(StringComparer.Ordinal);
        var hierarchyNames = hierarchy.Select(t => MetadataName(t)).ToHashSet(StringComparer.Ordinal);
        // Members are named with their declaring type; an interface the flow implements may reach an artifact property too.
        var owners = hierarchy.SelectMany(t => t.GetInterfaces()).Select(i => MetadataName(i.IsGenericType ? i.GetGenericTypeDefinition() : i))
            .Concat(hierarchyNames).Append(UnknownType).ToHashSet(StringComparer.Ordinal);
        bool Ours(string reference, out string member)
        {
            var separator = reference.IndexOf("::", StringComparison.Ordinal);
            member = separator < 0 ? reference : reference[(separator + 2)..];
            return separator >= 0 && owners.Contains(reference[..separator]);
        }

        var methods = new List<MethodNames>();
        foreach (var assembly in hierarchy.Select(t => t.Assembly).Distinct())
        {
            if (Assemblies.GetValue(assembly, AssemblyMethods.Read).Methods is not { } read)
            {
                return null; // no image to read: every artifact counts
            }
            methods.AddRange(read);
        }

        // The other steps (and what belongs to them alone) are left out, unless code that counts calls one of them.
        var excludedSteps = steps.Where(s => s != step.Method.Name).ToHashSet(StringComparer.Ordinal);
        var counted = methods.Where(m => !Excluded(m, hierarchyNames, excludedSteps, accessors)).ToList();
        while (counted.SelectMany(m => m.Names ?? []).Select(n => Ours(n, out var member) ? member : null).OfType<string>().Where(excludedSteps.Contains).ToArray() is { Length: > 0 } called)
        {
            excludedSteps.ExceptWith(called);
            counted = [.. methods.Where(m => !Excluded(m, hierarchyNames, excludedSteps, accessors))];
        }
        // Reflection in the flow's own code (its methods, lambdas, state machines) may read any artifact; elsewhere it is
        // someone else's business unless that code is handed the flow (the limit in the summary).
        if (counted.Any(m => m.Names is null || (m.Names.Contains(ReflectionMarker) && hierarchyNames.Any(h => m.DeclaringType == h || m.DeclaringType.StartsWith(h + "+", StringComparison.Ordinal)))))
        {
            return null;
        }

        var used = counted.SelectMany(m => m.Names!).Select(n => Ours(n, out var member) ? UnderlyingMember(member) : null).OfType<string>()
            .Where(artifacts.Contains).ToHashSet(StringComparer.Ordinal);
        if (step.Transition is { } transition)
        {
            used.UnionWith(new[] { transition.ForeachVariable, transition.SwitchCondition }.OfType<string>());
        }
        return used;
    }

    /// <summary>Artifact properties are named through their accessors or backing fields.</summary>
    private static string UnderlyingMember(string name) =>
        name.StartsWith("get_", StringComparison.Ordinal) || name.StartsWith("set_", StringComparison.Ordinal) ? name[4..]
        : name.StartsWith('<') && name.EndsWith(">k__BackingField", StringComparison.Ordinal) ? name[1..name.IndexOf('>', StringComparison.Ordinal)]
        : name;

    private static bool Excluded(MethodNames method, HashSet<string> hierarchy, HashSet<string> otherSteps, HashSet<string> accessors)
    {
        if (hierarchy.Contains(method.DeclaringType))
        {
            return otherSteps.Contains(method.Name) || method.Name is ".ctor" or ".cctor" || accessors.Contains(method.Name)
                || otherSteps.Any(s => method.Name.StartsWith($"<{s}>", StringComparison.Ordinal)); // a lambda capturing this is compiled onto the flow
        }
        // Compiler-made members of a flow type: a step's state machine, lambdas and local functions carry its name.
        var owner = hierarchy.FirstOrDefault(h => method.DeclaringType.StartsWith(h + "+", StringComparison.Ordinal));
        if (owner is null)
        {
            return false;
        }
        var nested = method.DeclaringType[(owner.Length + 1)..];
        return otherSteps.Any(s => nested.StartsWith($"<{s}>d__", StringComparison.Ordinal) || method.Name.StartsWith($"<{s}>", StringComparison.Ordinal));
    }

    /// <summary>The flow type and its base flows up to <see cref="FlowSpec"/>, each as its generic definition.</summary>
    internal static IEnumerable<Type> Hierarchy(Type flowType)
    {
        for (var type = flowType; type is not null && type != typeof(FlowSpec) && type != typeof(object); type = type.BaseType)
        {
            yield return type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        }
    }

    /// <summary>A type's name as <see cref="AssemblyMethods"/> spells it: namespace, outer types joined by '+'.</summary>
    private static string MetadataName(Type type) => type.DeclaringType is { } outer ? $"{MetadataName(outer)}+{type.Name}" : $"{type.Namespace}.{type.Name}".TrimStart('.');

    /// <summary>One method of an assembly and the fields and methods its IL refers to, as <c>Type::Member</c> (null: its IL could not be read).</summary>
    private sealed record MethodNames(string DeclaringType, string Name, HashSet<string>? Names);

    /// <summary>Every method body of an assembly, read once from its image.</summary>
    private sealed class AssemblyMethods
    {
        private AssemblyMethods(IReadOnlyList<MethodNames>? methods) => Methods = methods;

        public IReadOnlyList<MethodNames>? Methods { get; }

        public static AssemblyMethods Read(Assembly assembly)
        {
            if (assembly.IsDynamic || FlowAssemblyImages.Of(assembly) is not { } image)
            {
                return new AssemblyMethods(null);
            }
            using var pe = new PEReader(new MemoryStream(image, writable: false));
            var metadata = pe.GetMetadataReader();
            var methods = new List<MethodNames>();
            foreach (var typeHandle in metadata.TypeDefinitions)
            {
                var type = metadata.GetTypeDefinition(typeHandle);
                var typeName = TypeName(metadata, type);
                foreach (var methodHandle in type.GetMethods())
                {
                    var method = metadata.GetMethodDefinition(methodHandle);
                    if (method.RelativeVirtualAddress == 0)
                    {
                        continue; // abstract or extern: no body
                    }
                    methods.Add(new MethodNames(typeName, metadata.GetString(method.Name), NamesIn(metadata, pe.GetMethodBody(method.RelativeVirtualAddress).GetILBytes())));
                }
            }
            return new AssemblyMethods(methods);
        }

        private static HashSet<string>? NamesIn(MetadataReader metadata, byte[]? il)
        {
            if (il is null)
            {
                return null;
            }
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var instruction in IlReader.Instructions(il))
            {
                // A delegate's target (ldftn) is not a call: Next(Train) names the next step, and a lambda's own body is read on its own.
                if (IlReader.HasMemberToken(instruction.OpCode) && instruction.OpCode != OpCodes.Ldftn && instruction.OpCode != OpCodes.Ldvirtftn
                    && MemberName(metadata, MetadataTokens.EntityHandle(instruction.Int32Operand(il))) is { } name)
                {
                    names.Add(name);
                }
            }
            return names;
        }

        private static string? MemberName(MetadataReader metadata, EntityHandle handle)
        {
            switch (handle.Kind)
            {
                case HandleKind.FieldDefinition:
                    var field = metadata.GetFieldDefinition((FieldDefinitionHandle)handle);
                    return $"{TypeName(metadata, metadata.GetTypeDefinition(field.GetDeclaringType()))}::{metadata.GetString(field.Name)}";
                case HandleKind.MethodDefinition:
                    var method = metadata.GetMethodDefinition((MethodDefinitionHandle)handle);
                    return $"{TypeName(metadata, metadata.GetTypeDefinition(method.GetDeclaringType()))}::{metadata.GetString(method.Name)}";
                case HandleKind.MemberReference:
                    var member = metadata.GetMemberReference((MemberReferenceHandle)handle);
                    var name = metadata.GetString(member.Name);
                    var owner = OwnerName(metadata, member.Parent);
                    return ReflectionLookups.IsLookup(name, owner) ? ReflectionMarker : $"{owner}::{name}";
                case HandleKind.MethodSpecification:
                    return MemberName(metadata, metadata.GetMethodSpecification((MethodSpecificationHandle)handle).Method);
                default:
                    return null; // a type token (ldtoken of a type)
            }
        }

        /// <summary>The full name of a member reference's parent: a type reference or definition, the generic type of an instantiation, else unknown.</summary>
        private static string OwnerName(MetadataReader metadata, EntityHandle parent)
        {
            switch (parent.Kind)
            {
                case HandleKind.TypeDefinition:
                    return TypeName(metadata, metadata.GetTypeDefinition((TypeDefinitionHandle)parent));
                case HandleKind.TypeReference:
                    var reference = metadata.GetTypeReference((TypeReferenceHandle)parent);
                    var name = metadata.GetString(reference.Name);
                    if (reference.ResolutionScope.Kind == HandleKind.TypeReference)
                    {
                        return $"{OwnerName(metadata, (EntityHandle)reference.ResolutionScope)}+{name}";
                    }
                    var ns = metadata.GetString(reference.Namespace);
                    return ns.Length == 0 ? name : $"{ns}.{name}";
                case HandleKind.TypeSpecification:
                    var signature = metadata.GetBlobReader(metadata.GetTypeSpecification((TypeSpecificationHandle)parent).Signature);
                    if (signature.ReadSignatureTypeCode() == SignatureTypeCode.GenericTypeInstance)
                    {
                        signature.ReadSignatureTypeCode(); // class or value type
                        return OwnerName(metadata, signature.ReadTypeHandle());
                    }
                    return UnknownType;
                default:
                    return UnknownType;
            }
        }

        private static string TypeName(MetadataReader metadata, TypeDefinition type)
        {
            var name = metadata.GetString(type.Name);
            if (type.GetDeclaringType() is { IsNil: false } outer)
            {
                return $"{TypeName(metadata, metadata.GetTypeDefinition(outer))}+{name}";
            }
            var ns = metadata.GetString(type.Namespace);
            return ns.Length == 0 ? name : $"{ns}.{name}";
        }
    }
}

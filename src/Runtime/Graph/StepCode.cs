using System.Collections.Concurrent;
using System.IO.Hashing;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using System.Text;

namespace Sharpflow.Graph;

/// <summary>
/// All the code one step can run, as a hash, and the members of the flow that code can touch. The hash covers the IL
/// of the step method and of every method of the flow's assemblies it can reach (calls, lambdas, async state machines
/// and iterators, overrides of the virtual methods it calls, base flows, the flow's constructors with its field
/// initializers, and whole helper classes it uses), with every token replaced by the name of what it refers to, so
/// unrelated edits elsewhere in the assembly do not change it. Code outside the flow's assemblies (the framework,
/// packages, other projects) counts by assembly identity and module version id, which a deterministic build keeps while
/// the assembly's content is unchanged; Sharpflow itself, the runtime, counts by name only. Other steps (which <c>Next</c> names as delegates) and what only they reach do
/// not count.
/// </summary>
/// <param name="Hash">The code hash (32 hex digits).</param>
/// <param name="Members">
/// The flow's fields and properties (artifacts, parameters, configs) the reached code names, plus
/// <see cref="AllParameters"/> when it reads <c>Current.Parameters</c>; null when the flow's code picks members by name
/// (reflection), so any of them may be touched.
/// </param>
public sealed record StepCode(string Hash, IReadOnlySet<string>? Members)
{
    private static readonly ConditionalWeakTable<Type, ConcurrentDictionary<string, Lazy<StepCode>>> ByFlow = [];

    /// <summary>Whether <paramref name="error"/> from <see cref="Of"/> means the step's IL could not be read (it then has no hash, and its tasks always run).</summary>
    public static bool IsUnreadable(Exception error) =>
        error is InvalidOperationException or ArgumentException or BadImageFormatException or NotSupportedException or TypeLoadException;

    /// <summary>Stands in <see cref="Members"/> for a read of <c>Current.Parameters</c>, which reads every parameter by name.</summary>
    public const string AllParameters = "<Current.Parameters>";

    /// <summary>
    /// The code of <paramref name="step"/> of <paramref name="flowType"/>, read once per flow type and step (callers
    /// asking at the same time wait for the one walk; a walk that fails fails the same way for each).
    /// </summary>
    public static StepCode Of(Type flowType, StepNode step)
    {
        ArgumentNullException.ThrowIfNull(flowType);
        ArgumentNullException.ThrowIfNull(step);
        return ByFlow.GetValue(flowType, _ => new ConcurrentDictionary<string, Lazy<StepCode>>(StringComparer.Ordinal))
            .GetOrAdd(step.Name, _ => new Lazy<StepCode>(() => FlowManifest.IlIsReadable
                ? new Walk(flowType, FlowGraphExtractor.Extract(flowType).Steps.Where(s => s != step).Select(s => s.Method)).Read(step.Method)
                : Recorded(FlowManifest.Step(flowType, step.Name))))
            .Value;
    }

    /// <summary>The code the build read (NativeAOT), failing as the build's own read failed.</summary>
    private static StepCode Recorded(FlowManifestStep step) =>
        step.CodeHash is { } hash ? new StepCode(hash, step.CodeMembers?.ToHashSet(StringComparer.Ordinal)) : throw new NotSupportedException(step.CodeUnreadable);

    /// <summary>One walk from a step method through the code it reaches, hashing each method once.</summary>
    private sealed class Walk
    {
        private const BindingFlags AllDeclared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        private readonly HashSet<Assembly> _userAssemblies;
        private readonly HashSet<Type> _flowTypes;
        private readonly HashSet<MethodBase> _seen = [];
        private readonly HashSet<Type> _seenTypes = [];
        private readonly Queue<MethodBase> _pending = new();
        private readonly SortedSet<string> _external = new(StringComparer.Ordinal);
        private readonly HashSet<Module> _externalModules = [];
        private readonly StringBuilder _text = new();
        private readonly HashSet<string> _members = new(StringComparer.Ordinal);
        private Type[]? _userTypes;
        private bool _reflection;
        private bool _inFlowConstructor;

        public Walk(Type flowType, IEnumerable<MethodInfo> otherSteps)
        {
            _flowTypes = StepArtifactUse.Hierarchy(flowType).ToHashSet();
            _userAssemblies = _flowTypes.Select(t => t.Assembly).ToHashSet();
            // Other steps are named, never walked: Next(Fit) hands the next step over as a delegate, it does not run it.
            _seen.UnionWith(otherSteps.Select(m => m.Module.ResolveMethod(m.MetadataToken) ?? m));
        }

        public StepCode Read(MethodInfo step)
        {
            Enqueue(step);
            foreach (var type in _flowTypes)
            {
                // Every task constructs the flow: its constructors (field and property initializers) shape every step.
                foreach (var constructor in type.GetConstructors(AllDeclared))
                {
                    Enqueue(constructor);
                }
            }
            Drain();
            if (_reflection)
            {
                // The flow's code picks methods by name: any of its methods may run.
                foreach (var method in UserTypes().SelectMany(DeclaredMethods))
                {
                    Enqueue(method);
                }
                Drain();
            }
            _text.Append("external:");
            foreach (var assembly in _external)
            {
                _text.Append(assembly).Append(';');
            }
            var hash = new XxHash128();
            hash.Append(Encoding.UTF8.GetBytes(_text.ToString()));
            return new StepCode(Convert.ToHexStringLower(hash.GetCurrentHash()), _reflection ? null : _members);
        }

        private void Drain()
        {
            while (_pending.TryDequeue(out var method))
            {
                Append(method);
            }
        }

        private void Enqueue(MethodBase method)
        {
            if (!_userAssemblies.Contains(method.Module.Assembly))
            {
                External(method.Module);
                return;
            }
            // Always the definition: a generic method or a method of a generic type is hashed once, as written.
            var definition = method.Module.ResolveMethod(method.MetadataToken) ?? method;
            if (_seen.Add(definition))
            {
                _pending.Enqueue(definition);
                if (definition.IsVirtual || definition.IsAbstract)
                {
                    EnqueueOverrides(definition);
                }
            }
        }

        /// <summary>Overrides and implementations of a virtual method in the flow's assemblies: a call may land on any of them.</summary>
        private void EnqueueOverrides(MethodBase method)
        {
            var declaring = Definition(method.DeclaringType!);
            foreach (var type in UserTypes().Where(t => t != declaring && Derives(t, declaring)))
            {
                foreach (var candidate in DeclaredMethods(type).Where(m => m.Name == method.Name || m.Name.EndsWith("." + method.Name, StringComparison.Ordinal)))
                {
                    Enqueue(candidate);
                }
            }
        }

        private void Touch(Type type)
        {
            if (type.HasElementType)
            {
                Touch(type.GetElementType()!);
                return;
            }
            if (type.IsGenericType && !type.IsGenericTypeDefinition)
            {
                foreach (var argument in type.GetGenericArguments())
                {
                    Touch(argument);
                }
                type = type.GetGenericTypeDefinition();
            }
            if (type.IsGenericParameter || !_seenTypes.Add(type))
            {
                return;
            }
            if (!_userAssemblies.Contains(type.Assembly))
            {
                External(type.Module);
                return;
            }
            if (_flowTypes.Contains(type))
            {
                return; // the flow's own methods count one by one, as reached
            }
            var compilerMade = type.Name.StartsWith('<');
            if (compilerMade && !typeof(IAsyncStateMachine).IsAssignableFrom(type) && !typeof(System.Collections.IEnumerator).IsAssignableFrom(type))
            {
                // A closure or the lambda cache: its lambdas count when code that counts names them (ldftn).
                foreach (var constructor in type.GetConstructors(AllDeclared))
                {
                    Enqueue(constructor);
                }
                return;
            }
            // A state machine runs all of its methods; a helper class counts whole, with its fields and the types deriving from it.
            _text.Append("type:").Append(Describe(type)).Append('{');
            foreach (var field in type.GetFields(AllDeclared))
            {
                _text.Append(Describe(field.FieldType)).Append(' ').Append(field.Name).Append(';');
            }
            _text.Append("}\n");
            foreach (var method in DeclaredMethods(type))
            {
                Enqueue(method);
            }
            if (!compilerMade)
            {
                foreach (var derived in UserTypes().Where(t => t != type && Derives(t, type)))
                {
                    Touch(derived);
                }
            }
        }

        private void External(Module module)
        {
            if (_externalModules.Add(module))
            {
                var name = module.Assembly.GetName();
                // Sharpflow itself is the runtime, not the step's code: upgrading it keeps earlier runs reusable, and the
                // editor (which runs its own copy) computes the same hashes as the flow's build.
                _external.Add(module.Assembly == typeof(FlowSpec).Assembly ? name.Name! : $"{name.Name}/{name.Version}/{module.ModuleVersionId:N}");
            }
        }

        /// <summary>Appends a method's signature, locals, exception clauses and IL, each operand by name; queues what it reaches.</summary>
        private void Append(MethodBase method)
        {
            _text.Append("method:").Append(Describe(method.DeclaringType!)).Append("::").Append(Signature(method)).Append('\n');
            Touch(method.DeclaringType!);
            if (method.GetMethodBody() is not { } body || body.GetILAsByteArray() is not { } il)
            {
                return;
            }
            _text.Append("locals:");
            foreach (var local in body.LocalVariables)
            {
                _text.Append(Describe(local.LocalType)).Append(',');
                Touch(local.LocalType);
            }
            _text.Append('\n');
            foreach (var clause in body.ExceptionHandlingClauses)
            {
                _text.Append($"try:{clause.Flags}:{clause.TryOffset}:{clause.TryLength}:{clause.HandlerOffset}:{clause.HandlerLength}:");
                if (clause.Flags == ExceptionHandlingClauseOptions.Filter)
                {
                    _text.Append(clause.FilterOffset);
                }
                else if (clause.Flags == ExceptionHandlingClauseOptions.Clause)
                {
                    _text.Append(Describe(clause.CatchType!));
                }
                _text.Append('\n');
            }
            // The flow's constructors set every member's initial value: that is not the step touching them.
            _inFlowConstructor = method is ConstructorInfo && _flowTypes.Contains(Definition(method.DeclaringType!));
            var typeArguments = method.DeclaringType!.IsGenericType ? method.DeclaringType.GetGenericArguments() : null;
            var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
            foreach (var instruction in IlReader.Instructions(il))
            {
                _text.Append(instruction.OpCode.Name);
                var operand = instruction.OpCode.OperandType;
                if (operand is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok)
                {
                    _text.Append(' ').Append(Member(method.Module, instruction.Int32Operand(il), typeArguments, methodArguments));
                }
                else if (operand == OperandType.InlineString)
                {
                    _text.Append(" \"").Append(method.Module.ResolveString(instruction.Int32Operand(il))).Append('"');
                }
                else if (operand == OperandType.InlineSig)
                {
                    _text.Append(' ').Append(Convert.ToHexString(method.Module.ResolveSignature(instruction.Int32Operand(il))));
                }
                else
                {
                    _text.Append(' ').Append(Convert.ToHexString(il, instruction.OperandStart, instruction.OperandLength));
                }
                _text.Append('\n');
            }
        }

        /// <summary>The name of what a token refers to; the flow's own methods and types are queued, others noted by assembly.</summary>
        private string Member(Module module, int token, Type[]? typeArguments, Type[]? methodArguments)
        {
            MemberInfo? member;
            try
            {
                member = module.ResolveMember(token, typeArguments, methodArguments);
            }
            catch (Exception e) when (e is ArgumentException or FileNotFoundException or FileLoadException or TypeLoadException or BadImageFormatException or MissingMemberException)
            {
                return $"unresolved:{token:X8}"; // an assembly that is not there: the task would fail anyway
            }
            switch (member)
            {
                case MethodBase called:
                    if (called is MethodInfo { IsGenericMethod: true } generic)
                    {
                        foreach (var argument in generic.GetGenericArguments())
                        {
                            Touch(argument);
                        }
                    }
                    if (ReflectionLookups.IsLookup(called.Name, called.DeclaringType?.FullName))
                    {
                        _reflection = true;
                    }
                    if (called.DeclaringType == typeof(Current) && called.Name == "get_" + nameof(Current.Parameters))
                    {
                        _members.Add(AllParameters);
                    }
                    if (!_inFlowConstructor && _flowTypes.Contains(Definition(called.DeclaringType!)) && called.Name.Length > 4 && (called.Name.StartsWith("get_", StringComparison.Ordinal) || called.Name.StartsWith("set_", StringComparison.Ordinal)))
                    {
                        _members.Add(called.Name[4..]);
                    }
                    Touch(called.DeclaringType!);
                    Enqueue(called);
                    return $"{Describe(called.DeclaringType!)}::{Signature(called)}";
                case FieldInfo field:
                    if (!_inFlowConstructor && _flowTypes.Contains(Definition(field.DeclaringType!)))
                    {
                        // An auto-property's backing field stands for the property.
                        _members.Add(field.Name.StartsWith('<') && field.Name.IndexOf('>', StringComparison.Ordinal) is > 1 and var end ? field.Name[1..end] : field.Name);
                    }
                    Touch(field.DeclaringType!);
                    Touch(field.FieldType);
                    return $"{Describe(field.DeclaringType!)}::{Unnumbered(field.Name)}";
                case Type type:
                    Touch(type);
                    return Describe(type);
                default:
                    return member?.ToString() ?? "?";
            }
        }

        private Type[] UserTypes() => _userTypes ??= [.. _userAssemblies.SelectMany(LoadableTypes).Select(Definition).Distinct().OrderBy(t => t.FullName, StringComparer.Ordinal)];

        private static IEnumerable<Type> LoadableTypes(Assembly assembly)
        {
            try
            {
                return assembly.GetTypes();
            }
            catch (ReflectionTypeLoadException e)
            {
                return e.Types.OfType<Type>();
            }
        }

        private static IEnumerable<MethodBase> DeclaredMethods(Type type)
        {
            return type.GetMethods(AllDeclared).Cast<MethodBase>().Concat(type.GetConstructors(AllDeclared)).OrderBy(m => m.MetadataToken);
        }

        private static bool Derives(Type type, Type from)
        {
            for (var t = type.BaseType; t is not null; t = t.BaseType)
            {
                if (Definition(t) == from)
                {
                    return true;
                }
            }
            return type.GetInterfaces().Any(i => Definition(i) == from);
        }

        private static Type Definition(Type type) => type.IsGenericType && !type.IsGenericTypeDefinition ? type.GetGenericTypeDefinition() : type;

        /// <summary>A method's name with its generic arity and parameter and return types.</summary>
        private static string Signature(MethodBase method)
        {
            var definition = method is MethodInfo { IsGenericMethod: true } generic && !generic.IsGenericMethodDefinition ? generic.GetGenericMethodDefinition() : method;
            var parameters = string.Join(",", definition.GetParameters().Select(p => Describe(p.ParameterType)));
            var returns = definition is MethodInfo info ? Describe(info.ReturnType) : "void";
            var arity = definition.IsGenericMethod ? $"`{definition.GetGenericArguments().Length}" : "";
            var arguments = method.IsGenericMethod && !method.IsGenericMethodDefinition ? $"<{string.Join(",", method.GetGenericArguments().Select(Describe))}>" : "";
            return $"{returns} {Unnumbered(method.Name)}{arity}{arguments}({parameters})";
        }

        /// <summary>A type's name without assembly names or the numbering of notebook submissions, so rebuilds name it the same.</summary>
        private static string Describe(Type type)
        {
            if (type.IsGenericParameter)
            {
                return (type.DeclaringMethod is null ? "!" : "!!") + type.GenericParameterPosition;
            }
            if (type.HasElementType)
            {
                var element = Describe(type.GetElementType()!);
                return type.IsArray ? $"{element}[{new string(',', type.GetArrayRank() - 1)}]" : type.IsByRef ? element + "&" : element + "*";
            }
            if (type.IsGenericType && !type.IsGenericTypeDefinition)
            {
                return $"{Describe(type.GetGenericTypeDefinition())}<{string.Join(",", type.GetGenericArguments().Select(Describe))}>";
            }
            var name = type.DeclaringType is { } outer ? $"{Describe(outer)}+{Unnumbered(type.Name)}" : type.Namespace is { Length: > 0 } ns ? $"{ns}.{type.Name}" : type.Name;
            return WithoutSubmissionNumber(name);
        }

        /// <summary>
        /// A compiler-made name without the ordinal of the method it belongs to (<c>&lt;Fit&gt;b__4_0</c>, <c>&lt;&gt;c__DisplayClass4_0</c>,
        /// <c>&lt;Fit&gt;d__4</c>): adding a method earlier in the class renumbers them, and that changes nothing they do.
        /// </summary>
        private static string Unnumbered(string name) => name.StartsWith('<') ? WithoutNumberAfter(WithoutNumberAfter(name, "__DisplayClass"), "__") : name;

        /// <summary>Notebook submissions are numbered by the kernel (<c>Submission#12</c>): the number is not the code.</summary>
        private static string WithoutSubmissionNumber(string name) => WithoutNumberAfter(name, "Submission#");

        /// <summary><paramref name="name"/> with the digits right after each <paramref name="marker"/> replaced by '#'.</summary>
        private static string WithoutNumberAfter(string name, string marker)
        {
            var at = name.IndexOf(marker, StringComparison.Ordinal);
            if (at < 0)
            {
                return name;
            }
            var text = new StringBuilder(name.Length);
            var from = 0;
            while (at >= 0)
            {
                var digits = at + marker.Length;
                var end = digits;
                while (end < name.Length && char.IsAsciiDigit(name[end]))
                {
                    end++;
                }
                text.Append(name, from, digits - from).Append(end > digits ? "#" : "");
                from = end;
                at = name.IndexOf(marker, end, StringComparison.Ordinal);
            }
            return text.Append(name, from, name.Length - from).ToString();
        }
    }
}

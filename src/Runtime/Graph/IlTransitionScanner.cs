using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;

namespace Sharpflow.Graph;

/// <summary>
/// One call to Next/Switch found in a step body, with the constant arguments that were built for it: the called method's
/// name and parameter count, the names of the step methods passed as delegates, and the string constants.
/// </summary>
internal sealed record TransitionCall(string Method, int ParameterCount, IReadOnlyList<string> Targets, IReadOnlyList<string> Strings);

/// <summary>
/// Reads a step method's IL (following async state machines) and finds its transition calls. The C# compiler builds
/// <c>Next(Train, forEach: nameof(Items))</c> as <c>ldftn Train; newobj Action; ldstr "Items"; call Next</c>, so the
/// delegate targets and string constants loaded since the previous unrelated call are the call's arguments.
/// </summary>
internal static class IlTransitionScanner
{
    public static IReadOnlyList<TransitionCall> Scan(MethodInfo step)
    {
        var body = BodyOf(step);
        return body is null ? [] : ScanBody(body);
    }

    private static MethodInfo? BodyOf(MethodInfo step)
    {
        var stateMachine = step.GetCustomAttribute<AsyncStateMachineAttribute>()?.StateMachineType;
        return stateMachine?.GetMethod("MoveNext", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public) ?? step;
    }

    private static List<TransitionCall> ScanBody(MethodInfo method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        var calls = new List<TransitionCall>();
        if (il is null)
        {
            return calls;
        }

        var module = method.Module;
        var typeArgs = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null;
        var delegates = new List<MethodBase>();
        var strings = new List<string>();
        var conditional = false; // a branch dropped loaded step delegates: the next transition's arguments depend on a condition
        foreach (var (opcode, operandStart, _) in IlReader.Instructions(il))
        {
            if (opcode == OpCodes.Ldstr)
            {
                strings.Add(module.ResolveString(BitConverter.ToInt32(il, operandStart)));
            }
            else if (opcode == OpCodes.Ldftn || opcode == OpCodes.Ldvirtftn)
            {
                if (Resolve(module, BitConverter.ToInt32(il, operandStart), typeArgs) is { } target)
                {
                    delegates.Add(target);
                }
            }
            else if (EndsStatement(opcode))
            {
                conditional |= delegates.Count > 0 && opcode.FlowControl is FlowControl.Branch or FlowControl.Cond_Branch;
                delegates.Clear();
                strings.Clear();
            }
            else if (opcode == OpCodes.Call || opcode == OpCodes.Callvirt || opcode == OpCodes.Newobj)
            {
                var callee = Resolve(module, BitConverter.ToInt32(il, operandStart), typeArgs);
                if (callee is MethodInfo transition && IsTransitionMethod(transition))
                {
                    calls.Add(new TransitionCall(transition.Name, transition.GetParameters().Length,
                        conditional ? [] : delegates.Select(d => d.Name).ToArray(), conditional ? [] : strings.ToArray()));
                    delegates.Clear();
                    strings.Clear();
                    conditional = false;
                }
                else if (!IsArgumentPlumbing(callee))
                {
                    delegates.Clear();
                    strings.Clear();
                    conditional = false;
                }
            }
        }
        return calls;
    }

    /// <summary>Stores, pops, returns and branches consume what was loaded before them: those loads were not transition arguments.</summary>
    private static bool EndsStatement(OpCode opcode) =>
        opcode.FlowControl is FlowControl.Branch or FlowControl.Cond_Branch or FlowControl.Return or FlowControl.Throw
        || opcode == OpCodes.Pop
        || (opcode.Name is { } name && (name.StartsWith("stfld", StringComparison.Ordinal) || name.StartsWith("stsfld", StringComparison.Ordinal)
            || name.StartsWith("stloc", StringComparison.Ordinal) || name.StartsWith("starg", StringComparison.Ordinal)
            || name.StartsWith("stind", StringComparison.Ordinal)));

    private static bool IsTransitionMethod(MethodInfo method) =>
        method.DeclaringType == typeof(FlowSpec) && method.Name is "Next" or "Switch";

    /// <summary>Calls the compiler emits while building transition arguments: delegate and dictionary construction.</summary>
    private static bool IsArgumentPlumbing(MethodBase? callee) => callee switch
    {
        ConstructorInfo ctor when typeof(Delegate).IsAssignableFrom(ctor.DeclaringType) => true,
        { DeclaringType: { IsGenericType: true } type } when type.GetGenericTypeDefinition() == typeof(Dictionary<,>)
            && callee.Name is ".ctor" or "set_Item" or "Add" => true,
        { DeclaringType: { } type, Name: "Empty" } when type == typeof(Array) => true,
        _ => false,
    };

    private static MethodBase? Resolve(Module module, int token, Type[]? typeArgs)
    {
        try
        {
            return module.ResolveMethod(token, typeArgs, null);
        }
        catch (ArgumentException)
        {
            return null; // a token from a generic context we cannot bind: not one of ours
        }
    }
}

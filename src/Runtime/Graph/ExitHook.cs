using System.Reflection;

namespace Sharpflow.Graph;

/// <summary>A flow's exit hook: the method and when it runs.</summary>
public sealed record ExitHook(MethodInfo Method, bool OnSuccess, bool OnFailure)
{
    /// <summary>The hook's name (its method name).</summary>
    public string Name => Method.Name;

    /// <summary>The exit hooks a flow type declares, in declaration order.</summary>
    public static IReadOnlyList<ExitHook> Of(Type flowType) => flowType
        .GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.FlattenHierarchy)
        .Where(m => m.IsDefined(typeof(OnSuccessAttribute), true) || m.IsDefined(typeof(OnFailureAttribute), true))
        .InDeclarationOrder()
        .Select(m => new ExitHook(m, m.IsDefined(typeof(OnSuccessAttribute), true), m.IsDefined(typeof(OnFailureAttribute), true)))
        .ToArray();

    /// <summary>Why the method cannot be a hook, or null.</summary>
    public string? SignatureProblem()
    {
        var parameters = Method.GetParameters();
        return !Method.IsStatic || !Method.IsPublic ? "it is not public static"
            : parameters.Length != 1 || parameters[0].ParameterType != typeof(Client.Run) ? "it does not take exactly one Sharpflow.Client.Run"
            : Method.ReturnType != typeof(void) && Method.ReturnType != typeof(Task) ? $"it returns {Method.ReturnType.Name}"
            : null;
    }
}

using System.Reflection;

namespace Sharpflow.Artifacts;

/// <summary>Types that cannot be persisted faithfully as data (handles, streams, delegates, live resources).</summary>
internal static class ArtifactTypePolicy
{
    public static string? WhyNotSerializable(Type type)
    {
        if (type.IsPointer || type == typeof(IntPtr) || type == typeof(UIntPtr) || type.IsByRefLike)
        {
            return "it is a pointer or ref struct";
        }
        if (typeof(Delegate).IsAssignableFrom(type))
        {
            return "it is a delegate (code, not data)";
        }
        if (typeof(MemberInfo).IsAssignableFrom(type) || typeof(Assembly).IsAssignableFrom(type))
        {
            return "it is reflection metadata";
        }
        if (typeof(Task).IsAssignableFrom(type) || type == typeof(CancellationToken) || type == typeof(CancellationTokenSource))
        {
            return "it is a task or cancellation primitive";
        }
        if (typeof(Stream).IsAssignableFrom(type) || typeof(WaitHandle).IsAssignableFrom(type) || typeof(Thread).IsAssignableFrom(type))
        {
            return "it is a live resource (stream, handle or thread)";
        }
        if ((typeof(IDisposable).IsAssignableFrom(type) || typeof(IAsyncDisposable).IsAssignableFrom(type))
            && !typeof(System.Collections.IEnumerable).IsAssignableFrom(type))
        {
            return "it is disposable, which means it holds a live resource that JSON would not capture";
        }
        return null;
    }
}

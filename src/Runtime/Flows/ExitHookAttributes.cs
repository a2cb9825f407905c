namespace Sharpflow;

/// <summary>
/// Marks a public static method of the flow, taking the finished <see cref="Client.Run"/> and returning void or Task,
/// to be called after the run succeeds (e.g. to post a notification). A failing hook is reported and never changes the
/// run's recorded status.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class OnSuccessAttribute : Attribute
{
}

/// <summary>Like <see cref="OnSuccessAttribute"/>, for a run that failed or was cancelled.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class OnFailureAttribute : Attribute
{
}

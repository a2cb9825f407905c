namespace Sharpflow;

/// <summary>
/// Puts the flow in a project: deployments are named <c>project.branch.flow</c>, so a user's or test branch's
/// deployment (<c>argo-workflows create --branch x</c>, default <c>user.&lt;you&gt;</c>) never replaces the production
/// one (<c>--production</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class ProjectAttribute(string name) : Attribute
{
    /// <summary>The project's name.</summary>
    public string Name { get; } = name;
}

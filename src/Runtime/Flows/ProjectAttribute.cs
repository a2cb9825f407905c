namespace Sharpflow;

/// <summary>
/// Puts the flow in a project with branches, as Metaflow's <c>@project</c> does. Every run is on a branch:
/// <c>user.&lt;you&gt;</c> by default, <c>test.&lt;name&gt;</c> with <c>--branch name</c>, <c>prod</c> with
/// <c>--production</c>. A step reads it from <see cref="Current.ProjectName"/> and <see cref="Current.BranchName"/>
/// (e.g. to write to a branch's own tables), runs carry it as the system tags <c>project:</c> and
/// <c>project_branch:</c>, and deployments are named <c>project-branch-flow</c>, so a user's or test branch's
/// deployment never replaces the production one.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class ProjectAttribute(string name) : Attribute
{
    /// <summary>The project's name.</summary>
    public string Name { get; } = name;
}

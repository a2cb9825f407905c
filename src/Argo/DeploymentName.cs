
namespace Sharpflow.Argo;

/// <summary>
/// The name a flow is deployed under. With <see cref="ProjectAttribute"/>: <c>project-branch-flow</c>, where the branch
/// is <c>prod</c> (production), <c>test-&lt;name&gt;</c> (a named branch) or <c>user-&lt;you&gt;</c> (the default), so
/// branches never collide. Without a project: the flow's name, or the name given.
/// </summary>
public sealed record DeploymentName(string Name, string? Project, string? Branch)
{
    /// <summary>Works out the deployed name of <paramref name="flowType"/>.</summary>
    /// <param name="flowType">The flow.</param>
    /// <param name="name">An explicit name (only without a project; a project names its deployments itself).</param>
    /// <param name="branch">A branch name, or null.</param>
    /// <param name="production">True to deploy the project's production branch.</param>
    /// <param name="user">Who deploys (names the default branch).</param>
    public static DeploymentName For(Type flowType, string? name, string? branch, bool production, string user)
    {
        ArgumentNullException.ThrowIfNull(flowType);
        var project = ProjectBranch.For(flowType, branch, production, user);
        if (project is null)
        {
            return new DeploymentName(ArgoNames.Of(name ?? flowType.Name), null, null);
        }
        if (name is not null)
        {
            throw new ArgumentException($"Flow '{flowType.Name}' is in project '{project.Project}', which names its deployments (project-branch-flow); use --branch instead of --name.");
        }
        return new DeploymentName(ArgoNames.Of($"{project.Project}-{project.Branch.Replace('.', '-')}-{flowType.Name}", 52), project.Project, project.Branch);
    }
}

using System.Reflection;

namespace Sharpflow;

/// <summary>
/// The project (<see cref="ProjectAttribute"/>) and branch a run or deployment of a flow belongs to: <c>prod</c>
/// (production), <c>test.&lt;name&gt;</c> (a named branch) or <c>user.&lt;you&gt;</c> (the default).
/// </summary>
/// <param name="Project">The project's name.</param>
/// <param name="Branch">The branch: <c>prod</c>, <c>test.NAME</c> or <c>user.NAME</c>.</param>
public sealed record ProjectBranch(string Project, string Branch)
{
    /// <summary>The system tag naming a run's project.</summary>
    public const string ProjectTagPrefix = "project:";

    /// <summary>The system tag naming a run's branch.</summary>
    public const string BranchTagPrefix = "project_branch:";

    /// <summary>The production branch's name.</summary>
    public const string Production = "prod";

    /// <summary>True on the production branch.</summary>
    public bool IsProduction => Branch == Production;

    /// <summary>The system tags that record the project and branch on a run.</summary>
    public IReadOnlyList<string> Tags => [ProjectTagPrefix + Project, BranchTagPrefix + Branch];

    /// <summary>
    /// The project and branch of <paramref name="flowType"/> for <paramref name="user"/>, or null when the flow has no
    /// <see cref="ProjectAttribute"/>; a branch or production asked of a flow without a project is refused.
    /// </summary>
    /// <param name="flowType">The flow.</param>
    /// <param name="branch">A branch name (<c>--branch</c>), or null.</param>
    /// <param name="production">True for the production branch (<c>--production</c>).</param>
    /// <param name="user">Who runs or deploys (names the default branch); a <c>user:</c> prefix is dropped.</param>
    public static ProjectBranch? For(Type flowType, string? branch, bool production, string user)
    {
        ArgumentNullException.ThrowIfNull(flowType);
        var project = flowType.GetCustomAttribute<ProjectAttribute>(inherit: true)?.Name;
        if (project is null)
        {
            return branch is not null || production
                ? throw new ArgumentException($"Flow '{flowType.Name}': --branch and --production need a project; add [Project(\"name\")] to the flow.")
                : null;
        }
        if (branch is not null && production)
        {
            throw new ArgumentException($"Flow '{flowType.Name}': give either --branch or --production, not both.");
        }
        if (branch is not null && (branch.Length == 0 || branch.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_' and not '.')))
        {
            throw new ArgumentException($"Flow '{flowType.Name}': branch '{branch}' may hold only letters, digits, '-', '_' and '.'.");
        }
        return new ProjectBranch(project, production ? Production : branch is not null ? "test." + branch : "user." + user.Replace("user:", "", StringComparison.Ordinal));
    }

    /// <summary>The project and branch recorded in a run's tags, or null when it has none.</summary>
    public static ProjectBranch? FromTags(IEnumerable<string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        string? project = null, branch = null;
        foreach (var tag in tags)
        {
            project ??= tag.StartsWith(ProjectTagPrefix, StringComparison.Ordinal) ? tag[ProjectTagPrefix.Length..] : null;
            branch ??= tag.StartsWith(BranchTagPrefix, StringComparison.Ordinal) ? tag[BranchTagPrefix.Length..] : null;
        }
        return project is not null && branch is not null ? new ProjectBranch(project, branch) : null;
    }
}

namespace Sharpflow.Execution;

/// <summary>Who is running: <c>SHARPFLOW_USER</c>, else <c>USER</c>, else the OS account name.</summary>
public static class UserIdentity
{
    /// <summary>The current user's name.</summary>
    public static string Current() =>
        Environment.GetEnvironmentVariable("SHARPFLOW_USER") is { Length: > 0 } user ? user
        : Environment.GetEnvironmentVariable("USER") is { Length: > 0 } osUser ? osUser
        : Environment.UserName;

    /// <summary>The default namespace of a user: <c>user:&lt;name&gt;</c>.</summary>
    public static string NamespaceOf(string user) => $"user:{user}";
}

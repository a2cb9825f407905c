namespace Sharpflow;

/// <summary>
/// Runs the step's tasks on a GPU machine over SSH: the flow's code package is uploaded over SFTP (once per code),
/// the worker runs there with the datastore's settings, its output streams back, and its exit status and
/// cancellation travel both ways. Unset properties come from <c>SHARPFLOW_SSH_HOST</c>, <c>SHARPFLOW_SSH_PORT</c>,
/// <c>SHARPFLOW_SSH_USER</c>, <c>SHARPFLOW_SSH_KEY</c>, <c>SHARPFLOW_SSH_KNOWN_HOSTS</c> and <c>SHARPFLOW_SSH_GPUS</c>.
/// The host key must be in known_hosts; trusting a new host on first use needs <c>SHARPFLOW_SSH_TRUST_NEW_HOST=1</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class SshAttribute : Attribute, IComputeAttribute
{
    /// <inheritdoc />
    public string Backend => "ssh";

    /// <summary>The host name or address.</summary>
    public string? Host { get; set; }

    /// <summary>The SSH port (0: <c>SHARPFLOW_SSH_PORT</c>, else 22).</summary>
    public int Port { get; set; }

    /// <summary>The user to log in as (default: this user).</summary>
    public string? User { get; set; }

    /// <summary>The private key file (default: ~/.ssh/id_ed25519, then ~/.ssh/id_rsa).</summary>
    public string? KeyFile { get; set; }

    /// <summary>The GPUs to use there, as <c>CUDA_VISIBLE_DEVICES</c> (e.g. <c>0,1</c>); default: the first N for <c>[Resources(Gpu = N)]</c>.</summary>
    public string? Gpus { get; set; }
}

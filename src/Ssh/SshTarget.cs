using System.Security.Cryptography;
using System.Text;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Sharpflow.Ssh;

/// <summary>
/// Where an SSH step runs and how it is reached: host, port, user and key from the step's <see cref="SshAttribute"/>
/// or the <c>SHARPFLOW_SSH_*</c> variables; the host key is checked against known_hosts (plain or hashed entries), and
/// an unknown host is refused unless trusting it on first use is switched on.
/// </summary>
internal sealed record SshTarget(string Host, int Port, string User, string KeyFile, string KnownHosts, bool TrustNewHost, string? Gpus)
{
    public static SshTarget From(SshAttribute? attribute, string flow, string step)
    {
        string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var host = attribute?.Host ?? Env("SHARPFLOW_SSH_HOST") ?? throw new InvalidOperationException(
            $"Flow '{flow}', step '{step}' runs over SSH but names no host: set [Ssh(Host = \"...\")] or SHARPFLOW_SSH_HOST.");
        var port = attribute is { Port: > 0 } ? attribute.Port : int.TryParse(Env("SHARPFLOW_SSH_PORT"), out var p) ? p : 22;
        var key = attribute?.KeyFile ?? Env("SHARPFLOW_SSH_KEY")
            ?? new[] { "id_ed25519", "id_rsa" }.Select(k => Path.Combine(home, ".ssh", k)).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException($"Flow '{flow}', step '{step}': no SSH key found; set [Ssh(KeyFile = ...)] or SHARPFLOW_SSH_KEY.");
        return new SshTarget(host, port, attribute?.User ?? Env("SHARPFLOW_SSH_USER") ?? Environment.UserName, key,
            Env("SHARPFLOW_SSH_KNOWN_HOSTS") ?? Path.Combine(home, ".ssh", "known_hosts"), Env("SHARPFLOW_SSH_TRUST_NEW_HOST") == "1",
            attribute?.Gpus ?? Env("SHARPFLOW_SSH_GPUS"));
    }

    /// <summary>Connection settings with key authentication.</summary>
    public ConnectionInfo Connection() => new(Host, Port, User, new PrivateKeyAuthenticationMethod(User, new PrivateKeyFile(KeyFile)));

    /// <summary>Checks (or, when allowed, records) the server's host key; wire it to <c>HostKeyReceived</c>.</summary>
    public void Verify(object? sender, HostKeyEventArgs key)
    {
        var pattern = Port == 22 ? Host : $"[{Host}]:{Port}";
        var known = File.Exists(KnownHosts) ? File.ReadAllLines(KnownHosts) : [];
        var entries = known.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(f => f.Length >= 3 && Matches(f[0], pattern)).ToArray();
        if (entries.Any(f => f[1] == key.HostKeyName && f[2] == Convert.ToBase64String(key.HostKey)))
        {
            key.CanTrust = true;
            return;
        }
        if (entries.Length == 0 && TrustNewHost)
        {
            File.AppendAllText(KnownHosts, $"{pattern} {key.HostKeyName} {Convert.ToBase64String(key.HostKey)}\n");
            key.CanTrust = true;
            return;
        }
        key.CanTrust = false;
        throw new SshConnectionException(entries.Length == 0
            ? $"Host {pattern} is not in {KnownHosts}. Add its key (ssh-keyscan -p {Port} {Host} >> {KnownHosts}) or set SHARPFLOW_SSH_TRUST_NEW_HOST=1 to trust it on first use."
            : $"The host key of {pattern} ({key.HostKeyName} SHA256:{key.FingerPrintSHA256}) does not match {KnownHosts}: refusing to connect (possible man-in-the-middle).");
    }

    private static bool Matches(string hosts, string pattern) => hosts.StartsWith("|1|", StringComparison.Ordinal)
        ? HashedMatches(hosts, pattern)
        : hosts.Split(',').Contains(pattern, StringComparer.OrdinalIgnoreCase);

    /// <summary>OpenSSH's hashed host names: <c>|1|base64(salt)|base64(HMAC-SHA1(salt, host))</c>.</summary>
    private static bool HashedMatches(string entry, string pattern)
    {
        var parts = entry.Split('|');
        if (parts.Length != 4)
        {
            return false;
        }
        using var hmac = new HMACSHA1(Convert.FromBase64String(parts[2]));
        return Convert.ToBase64String(hmac.ComputeHash(Encoding.ASCII.GetBytes(pattern))) == parts[3];
    }
}

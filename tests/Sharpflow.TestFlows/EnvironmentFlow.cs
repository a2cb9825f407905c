using System.Runtime.InteropServices;

namespace Sharpflow.TestFlows;

/// <summary>
/// Start sets variables with [Environment] and records what .NET and the C library (what native code reads) see; End
/// has none of its own and records whether Start's leaked into it, and what --with environment gave it.
/// </summary>
public partial class EnvironmentFlow : FlowSpec
{
    public string? Managed;

    public string? Native;

    public string? Threads;

    public string? LeakedIntoEnd;

    public string? FromWith;

    [Step, Environment("SF_GREETING=hello world", "OMP_NUM_THREADS=3")]
    public void Start()
    {
        Managed = Environment.GetEnvironmentVariable("SF_GREETING");
        Native = NativeValue("SF_GREETING");
        Threads = NativeValue("OMP_NUM_THREADS");
        Next(End);
    }

    [Step]
    public void End()
    {
        LeakedIntoEnd = Environment.GetEnvironmentVariable("SF_GREETING") ?? "(unset)";
        FromWith = Environment.GetEnvironmentVariable("SF_EXTRA") ?? "(unset)";
    }

    /// <summary>The variable as the C library holds it (getenv), or "(unset)".</summary>
    private static string NativeValue(string name) => Marshal.PtrToStringUTF8(GetEnv(name)) ?? "(unset)";

    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetEnv(string name);
}

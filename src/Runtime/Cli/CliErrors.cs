using System.Text.Json;
using Sharpflow.Graph;

namespace Sharpflow.Cli;

/// <summary>
/// The one place that decides which failures are the user's to fix (a bad argument, a missing run, an invalid flow or
/// config): their message is printed and the command exits with code 2. Anything else is a bug and propagates.
/// </summary>
internal static class CliErrors
{
    /// <summary>Exit code for a refused command.</summary>
    public const int Refused = 2;

    /// <summary>
    /// Failures a user fixes: bad input, a missing or damaged record or blob, a file they may not read, a datastore or
    /// service that refuses them, and what add-ons mark so. Anything else is a bug and propagates with its stack.
    /// </summary>
    public static bool IsUserError(Exception e) => e is ArgumentException or KeyNotFoundException or InvalidOperationException
        or FlowDefinitionException or Config.ConfigException or JsonException or IOException or System.ComponentModel.Win32Exception
        or InvalidDataException or HttpRequestException or NotSupportedException
        or Datastore.BlobIntegrityException or UnauthorizedAccessException or Artifacts.ArtifactSerializationException
        || Extensibility.AddOns.IsRefusal(e); // what add-ons mark as the user's to fix (an S3 "access denied")

    /// <summary>Runs a command; a user error prints its message to stderr and gives <see cref="Refused"/>.</summary>
    public static async Task<int> GuardAsync(CliOutput output, Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception e) when (IsUserError(e))
        {
            output.Error.WriteLine(e.Message);
            return Refused;
        }
    }

    /// <summary>The synchronous form of <see cref="GuardAsync"/>.</summary>
    public static int Guard(CliOutput output, Func<int> action) => GuardAsync(output, () => Task.FromResult(action())).GetAwaiter().GetResult();
}

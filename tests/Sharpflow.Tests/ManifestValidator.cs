namespace Sharpflow.Tests;

/// <summary>
/// The independent validator of generated manifests (<c>tests/k8s-validate/validate.mjs</c>: Kubernetes' and Argo's
/// schemas, Argo Events' OpenAPI definitions), run with node on JSON files; prints <c>valid FILE</c> or the violation.
/// </summary>
internal static class ManifestValidator
{
    /// <summary>Writes <paramref name="manifest"/> as <paramref name="file"/> and asserts it is valid.</summary>
    public static async Task AssertValidAsync(System.Text.Json.Nodes.JsonNode manifest, string file)
    {
        await File.WriteAllTextAsync(file, manifest.ToJsonString());
        var validation = await RunAsync(file);
        Assert.True(validation.ExitCode == 0, validation.Stdout + validation.Stderr);
    }

    public static async Task<ChildProcess.Result> RunAsync(params string[] files)
    {
        var folder = Path.Combine(ChildProcess.RepositoryRoot(), "tests", "k8s-validate");
        await ChildProcess.EnsureNpmPackagesAsync(folder, "@kubernetes-models/argo-workflows"); // one `npm ci` installs them all
        return await ChildProcess.RunAsync("node", folder, null, ["validate.mjs", .. files]);
    }
}

namespace Sharpflow.LanguageServer;

/// <summary>The editor's diagnostics for files on disk, printed compiler-style (<c>file(line,col): error SF0004: ...</c>), for scripts and CI.</summary>
internal static class CommandLineCheck
{
    /// <summary>Analyses each file with its project; returns 1 when any diagnostic is an error, 2 when a file is missing.</summary>
    public static int Run(IReadOnlyList<string> files, TextWriter output)
    {
        var errors = false;
        foreach (var file in files)
        {
            var path = Path.GetFullPath(file);
            if (!File.Exists(path))
            {
                output.WriteLine($"{file}: error: no such file.");
                return 2;
            }
            var analysis = FlowDocumentAnalyzer.AnalyzeInProject(File.ReadAllText(path), path);
            foreach (var compileError in analysis.CompileErrors)
            {
                output.WriteLine($"{file}: error: the file does not compile, so flow checks did not run: {compileError}");
                errors = true;
            }
            foreach (var d in analysis.Diagnostics.OrderBy(d => d.StartLine).ThenBy(d => d.StartColumn))
            {
                output.WriteLine($"{file}({d.StartLine + 1},{d.StartColumn + 1}): {d.Diagnostic.SeverityName} {d.Diagnostic.Rule.Id}: {d.Diagnostic.Message}");
                errors |= d.Diagnostic.IsError;
            }
        }
        return errors ? 1 : 0;
    }
}

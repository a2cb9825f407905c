using Sharpflow.LanguageServer;

// The Sharpflow language server: LSP over stdin/stdout.
// `--check FILE...` prints the same diagnostics the editor shows, compiler-style, and exits 1 when any is an error.
if (args is ["--check", .. var files] && files.Length > 0)
{
    return CommandLineCheck.Run(files, Console.Out);
}
await using var server = new FlowLanguageServer(Console.OpenStandardInput(), Console.OpenStandardOutput());
await server.RunAsync();
return 0;

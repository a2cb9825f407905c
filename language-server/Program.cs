using Sharpflow.LanguageServer;

// The Sharpflow language server: LSP over stdin/stdout.
await using var server = new FlowLanguageServer(Console.OpenStandardInput(), Console.OpenStandardOutput());
await server.RunAsync();

// Where the language server comes from: the setting, else the self-contained server the platform's VSIX bundles
// (server/<rid>/), else one built in a Sharpflow checkout that is open in the workspace.
import * as path from 'node:path';

/** How to start the server: an executable, or `dotnet` with the server's assembly. */
export interface ServerCommand {
  command: string;
  args: string[];
}

/** The .NET runtime identifier of a Node platform and architecture (`linux`/`x64` → `linux-x64`), or undefined. */
export function runtimeIdentifier(platform: string, arch: string): string | undefined {
  const os = { linux: 'linux', darwin: 'osx', win32: 'win' }[platform];
  const cpu = { x64: 'x64', arm64: 'arm64' }[arch];
  return os && cpu ? `${os}-${cpu}` : undefined;
}

/**
 * The first server that exists: the configured path (a .dll runs through dotnet, anything else is an executable), the
 * bundled one for this platform, a checkout's build in a workspace folder. Undefined when there is none.
 */
export function serverCommand(options: {
  configured?: string;
  extensionPath: string;
  workspaceFolders: string[];
  platform: string;
  arch: string;
  dotnet: string;
  exists: (file: string) => boolean;
}): ServerCommand | undefined {
  const rid = runtimeIdentifier(options.platform, options.arch);
  const executable = options.platform === 'win32' ? 'Sharpflow.LanguageServer.exe' : 'Sharpflow.LanguageServer';
  const candidates = [
    options.configured,
    rid && path.join(options.extensionPath, 'server', rid, executable),
    ...options.workspaceFolders.map(f => path.join(f, 'language-server', 'bin', 'Debug', 'net10.0', 'Sharpflow.LanguageServer.dll')),
  ].filter((p): p is string => Boolean(p));
  const found = candidates.find(p => options.exists(p));
  if (!found) {
    return undefined;
  }
  return found.toLowerCase().endsWith('.dll') ? { command: options.dotnet, args: [found] } : { command: found, args: [] };
}

/** What to tell the user when no server is found. */
export function noServerMessage(platform: string, arch: string): string {
  const rid = runtimeIdentifier(platform, arch) ?? `${platform}-${arch}`;
  return `Sharpflow: this extension carries no language server for ${rid}. Build one with \`dotnet publish language-server -c Release\` `
    + 'in a Sharpflow checkout and set "sharpflow.languageServerPath" to its Sharpflow.LanguageServer.dll '
    + `(or package the extension for this platform: bash scripts/bundle-server.sh ${rid}).`;
}

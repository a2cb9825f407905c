import { test } from 'node:test';
import assert from 'node:assert/strict';
import { noServerMessage, runtimeIdentifier, serverCommand } from '../src/serverLocation';

const base = { extensionPath: '/ext', workspaceFolders: ['/work/project'], platform: 'linux', arch: 'x64', dotnet: 'dotnet' };

test('the bundled self-contained server starts as an executable, without dotnet', () => {
  const files = new Set(['/ext/server/linux-x64/Sharpflow.LanguageServer']);
  assert.deepEqual(serverCommand({ ...base, exists: f => files.has(f) }), { command: '/ext/server/linux-x64/Sharpflow.LanguageServer', args: [] });
});

test('the setting wins; a .dll runs through dotnet', () => {
  const files = new Set(['/ext/server/linux-x64/Sharpflow.LanguageServer', '/opt/ls/Sharpflow.LanguageServer.dll']);
  assert.deepEqual(serverCommand({ ...base, configured: '/opt/ls/Sharpflow.LanguageServer.dll', dotnet: '/usr/bin/dotnet', exists: f => files.has(f) }),
    { command: '/usr/bin/dotnet', args: ['/opt/ls/Sharpflow.LanguageServer.dll'] });
});

test('without a bundled server for the platform, a checkout open in the workspace is used; with neither, none', () => {
  const files = new Set(['/ext/server/linux-x64/Sharpflow.LanguageServer', '/work/project/language-server/bin/Debug/net10.0/Sharpflow.LanguageServer.dll']);
  assert.deepEqual(serverCommand({ ...base, platform: 'darwin', arch: 'arm64', exists: f => files.has(f) }),
    { command: 'dotnet', args: ['/work/project/language-server/bin/Debug/net10.0/Sharpflow.LanguageServer.dll'] });
  assert.equal(serverCommand({ ...base, platform: 'darwin', arch: 'arm64', workspaceFolders: [], exists: f => files.has(f) }), undefined);
  assert.match(noServerMessage('darwin', 'arm64'), /no language server for osx-arm64.*sharpflow\.languageServerPath.*bundle-server\.sh osx-arm64/);
});

test('runtime identifiers follow .NET names', () => {
  assert.equal(runtimeIdentifier('win32', 'x64'), 'win-x64');
  assert.equal(runtimeIdentifier('linux', 'arm64'), 'linux-arm64');
  assert.equal(runtimeIdentifier('aix', 'ppc64'), undefined);
});

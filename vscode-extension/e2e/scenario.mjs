// End-to-end: the packaged extension in real VS Code (code-server) driven by Playwright in Debian's Chromium.
// The workspace is a folder outside the checkout and sets no server path: the language server is the one the VSIX
// bundles (self-contained, linux-x64). A workspace with a broken flow and a working flow (a file-based app with a [Card] step and a Plotly chart):
// the language server's diagnostic shows on the broken one, the "Run flow" code lens runs the other, the run
// explorer expands down to an artifact, the task's card opens in a webview where the Plotly chart renders, and the
// artifact's value opens in a read-only document, the flow's graph shows each step's status in its latest run, and
// Each step's lens says "unchanged since run N"; "Run changed steps" on the unchanged flow reuses every task, which the runs view marks.
// Screenshots of each stage go to $SHARPFLOW_E2E_SCREENSHOTS.
//   env: CODE_SERVER (its bin/code-server), VSIX, REPO (the repository root), SHARPFLOW_E2E_SCREENSHOTS, CHROMIUM
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { chromium } from 'playwright-core';

const { CODE_SERVER, VSIX, REPO } = process.env;
const shots = process.env.SHARPFLOW_E2E_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'sharpflow-e2e-shots-'));
mkdirSync(shots, { recursive: true });
const root = mkdtempSync(join(tmpdir(), 'sharpflow-e2e-'));
const workspace = join(root, 'workspace');
const datastore = join(root, 'datastore');
mkdirSync(join(workspace, '.vscode'), { recursive: true });

writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({
  'sharpflow.datastoreRoot': datastore,
  'sharpflow.dotnetPath': process.env.SHARPFLOW_E2E_DOTNET ?? 'dotnet',
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'security.workspace.trust.enabled': false,
}, null, 2));
writeFileSync(join(workspace, 'Broken.cs'), `using Sharpflow;

public class BrokenFlow : FlowSpec
{
    [Step] public void Start() => Next(Train);
    [Step] public void Train() { }
    [Step] public void End() { }
}
`);
writeFileSync(join(workspace, 'chart.cs'), `#:project ${join(REPO, 'src', 'Runtime', 'Sharpflow.Runtime.csproj')}
#:project ${join(REPO, 'src', 'Cards.Plotly', 'Sharpflow.Cards.Plotly.csproj')}
#:package Plotly.NET.CSharp@0.14.0
using Sharpflow;
using Sharpflow.Cards;
using Chart = Plotly.NET.CSharp.Chart;

return await FlowMain.RunAsync<ChartFlow>(args);

public class ChartFlow : FlowSpec
{
    public List<double> Losses = new();

    [Step] public void Start() { Losses = [0.9, 0.5, 0.3, 0.2]; Next(Report); }

    [Step, Card]
    public void Report()
    {
        Current.Card.Append(new Markdown("# Training loss"));
        Current.Card.Append(new PlotlyChart(Chart.Line<double, double, string>(x: Enumerable.Range(1, Losses.Count).Select(i => (double)i).ToArray(), y: Losses.ToArray(), Name: "loss")));
        Next(End);
    }

    [Step] public void End() { }
}
`);

const port = await new Promise(resolve => { const s = createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); }); });
const config = join(root, 'config.yaml');
writeFileSync(config, 'auth: none\n');
const common = ['--config', config, '--user-data-dir', join(root, 'user'), '--extensions-dir', join(root, 'extensions')];
execFileSync(CODE_SERVER, [...common, '--install-extension', VSIX], { stdio: 'inherit' });
const server = spawn(CODE_SERVER, [...common, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
  '--disable-workspace-trust', workspace], { stdio: ['ignore', 'inherit', 'inherit'], detached: true });
// code-server and everything it starts (extension host, language server, flow runs) share one process group,
// ended together at the end so that nothing keeps running (or holding the caller's output pipe) after the scenario.
const stopServer = async () => {
  const group = -server.pid;
  try { process.kill(group, 'SIGTERM'); } catch { return; }
  for (let i = 0; i < 50; i++) {
    try { process.kill(group, 0); } catch { return; }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  try { process.kill(group, 'SIGKILL'); } catch { /* already gone */ }
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
});
const step = async (name, action) => {
  process.stdout.write(`- ${name} ... `);
  try {
    await action();
  } catch (error) {
    await page.screenshot({ path: join(shots, `${name}-failed.png`) });
    throw error;
  }
  await page.screenshot({ path: join(shots, `${name}.png`) });
  console.log('ok');
};
let page;
try {
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  for (let i = 0; i < 60; i++) {
    try { await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`); break; } catch { await page.waitForTimeout(1000); }
  }
  await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
  await page.waitForTimeout(8000);

  // Quick Open; a workbench still starting up (a busy machine) may drop the key press, so it is pressed until the box shows.
  const open = async file => {
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press('Control+P');
      try {
        await page.waitForSelector('.quick-input-widget input', { timeout: 5000 });
        break;
      } catch (error) {
        if (attempt === 12) throw error;
      }
    }
    await page.keyboard.type(file);
    const result = page.locator('.quick-input-list .monaco-list-row', { hasText: file }).first();
    await result.waitFor({ timeout: 60000 });
    await result.click();
    await page.locator('.tab', { hasText: file }).first().waitFor({ timeout: 60000 });
  };

  // A command from the palette, by its title.
  const runCommand = async title => {
    await page.keyboard.press('F1');
    await page.waitForSelector('.quick-input-widget input', { timeout: 10000 });
    await page.keyboard.type(title);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().click();
    await page.waitForTimeout(700);
  };

  await step('1-diagnostic', async () => {
    await open('Broken.cs');
    await page.waitForSelector('.squiggly-error', { timeout: 60000 });
  });

  await step('2-run-flow', async () => {
    await open('chart.cs');
    const lens = page.locator('.codelens-decoration a', { hasText: 'Run flow' }).first();
    await lens.waitFor({ timeout: 120000 });
    await lens.click();
    await page.locator('.notifications-toasts', { hasText: /run \d+ succeeded/ }).waitFor({ timeout: 300000 });
  });

  await step('3-run-explorer', async () => {
    const header = page.locator('.pane-header', { hasText: /Sharpflow runs/i });
    if ((await header.getAttribute('aria-expanded')) !== 'true') {
      await header.click();
    }
    const pane = page.locator('.pane', { has: header });
    for (const label of ['ChartFlow', /^\d{10,}/, /^Report/, /^task \d+/]) {
      const row = pane.locator('.monaco-list-row', { hasText: label }).first();
      await row.waitFor({ timeout: 30000 });
      await row.click();
      if ((await row.getAttribute('aria-expanded')) === 'false') {
        await page.keyboard.press('ArrowRight'); // expand the selected row
      }
      await page.waitForTimeout(700);
    }
    await pane.locator('.monaco-list-row', { hasText: 'Losses' }).first().waitFor({ timeout: 30000 });
  });

  await step('4-card', async () => {
    // Clicking the task opened its card; the Plotly chart renders inside the webview's frames.
    let rendered = false;
    for (let i = 0; i < 60 && !rendered; i++) {
      for (const frame of page.frames()) {
        if (await frame.locator('.main-svg').count().catch(() => 0)) { rendered = true; break; }
      }
      if (!rendered) await page.waitForTimeout(1000);
    }
    if (!rendered) throw new Error('the Plotly chart did not render in the card webview');
    // The card as a reader sees it (the screenshot in docs/): the other editors and the output panel closed.
    await page.locator('.tab', { hasText: /Sharpflow: Report/ }).first().click();
    await runCommand('View: Close Editors in Other Groups');
    await runCommand('View: Hide Panel');
    await page.waitForTimeout(1500);
  });
  await step('5-artifact-value', async () => {
    // "Open value": the artifact in a read-only document, read through the language server.
    const header = page.locator('.pane-header', { hasText: /Sharpflow runs/i });
    await page.locator('.pane', { has: header }).locator('.monaco-list-row', { hasText: 'Losses' }).first().click();
    await page.locator('.tab', { hasText: 'Losses.json' }).first().waitFor({ timeout: 30000 });
    await page.locator('.view-lines', { hasText: '0.9' }).first().waitFor({ timeout: 30000 });
  });
  await step('6-live-graph', async () => {
    // "Show graph" from the palette: the flow's graph with each step colored by its latest run (redrawn while running).
    await open('chart.cs');
    await runCommand('Sharpflow: Show graph');
    let colored = 0;
    for (let i = 0; i < 60 && colored < 3; i++) {
      for (const frame of page.frames()) {
        colored = Math.max(colored, await frame.locator('g.step.succeeded').count().catch(() => 0));
      }
      if (colored < 3) await page.waitForTimeout(1000);
    }
    if (colored < 3) throw new Error(`the graph showed ${colored} succeeded steps, not 3 (Start, Report, End)`);
  });
  await step('7-run-changed-steps', async () => {
    // "Run changed steps" on the unchanged flow: every task is taken from the first run, and the runs view says so.
    await open('chart.cs');
    await runCommand('Notifications: Clear All Notifications');
    // Each step's lens says it is the code the first run ran (a label, not a command).
    await page.locator('.codelens-decoration span', { hasText: /unchanged since run \d+/ }).first().waitFor({ timeout: 60000 });
    const lens = page.locator('.codelens-decoration a', { hasText: 'Run changed steps' }).first();
    await lens.waitFor({ timeout: 60000 });
    await lens.click();
    const toast = page.locator('.notifications-toasts', { hasText: /run \d+ succeeded/ });
    await toast.waitFor({ timeout: 300000 });
    // The run that just ended, by its id: the runs view may still list only the first run when the toast appears.
    const runId = (await toast.textContent()).match(/run (\d+) succeeded/)[1];
    const header = page.locator('.pane-header', { hasText: /Sharpflow runs/i });
    const pane = page.locator('.pane', { has: header });
    for (const label of [new RegExp(`^${runId}`), /^Report/]) {
      const row = pane.locator('.monaco-list-row', { hasText: label }).first(); // the new run is listed first, its Report above the first run's
      await row.waitFor({ timeout: 30000 });
      await row.click();
      if ((await row.getAttribute('aria-expanded')) === 'false') {
        await page.keyboard.press('ArrowRight');
      }
      await page.waitForTimeout(700);
    }
    await pane.locator('.monaco-list-row', { hasText: /task \d+.*reused/ }).first().waitFor({ timeout: 30000 });
  });
  console.log(`e2e passed; screenshots in ${shots}`);
} finally {
  await browser.close();
  await stopServer();
}

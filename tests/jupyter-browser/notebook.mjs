// The Jupyter Notebook web UI in Debian's Chromium, driven by Playwright: opens a Sharpflow notebook, runs every cell
// with Cell > Run All (a cell tagged raises-exception does not stop it), waits for the live run views and the inline
// cards, checks that the Plotly chart in the card drew, and screenshots the resume cell (code, live view, run summary,
// card). Prints one JSON line with what it saw.
//   env: JUPYTER_URL (the server's base URL), JUPYTER_TOKEN, NOTEBOOK (its path under the server's root),
//        RESUME_CELL (the start of the cell to screenshot), SCREENSHOT (a .png path), CHROMIUM (the executable)
import { chromium } from 'playwright-core';

const { JUPYTER_URL, JUPYTER_TOKEN, NOTEBOOK, RESUME_CELL, SCREENSHOT } = process.env;
const minutes = (n) => n * 60_000;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 3000 } });
  await page.goto(`${JUPYTER_URL}notebooks/${NOTEBOOK}?token=${JUPYTER_TOKEN}`);
  await page.waitForSelector('#kernel_indicator_icon.kernel_idle_icon', { timeout: minutes(2) });

  await page.click('#celllink');
  await page.click('#run_all_cells');

  // Every code cell has run when none is queued or running ("In [*]") and each has an execution count.
  await page.waitForFunction(() => {
    const cells = Jupyter.notebook.get_cells().filter((c) => c.cell_type === 'code');
    return cells.every((c) => typeof c.input_prompt_number === 'number');
  }, null, { timeout: minutes(8), polling: 500 });

  // Long outputs are shown in a scrolled box by default; show them whole, as a reader expands them.
  await page.evaluate(() => Jupyter.notebook.get_cells().forEach((c) => c.output_area?.unscroll_area()));

  const cell = page.locator('.cell.code_cell', { has: page.locator('.CodeMirror-code', { hasText: RESUME_CELL }) }).first();
  const liveView = (await cell.locator('.output_area .sf-live').first().innerText()).replace(/\s+/g, ' ');
  const summary = (await cell.locator('.output_area h3').first().innerText()).trim();
  const card = cell.frameLocator('iframe.sf-card').first();
  await card.locator('.main-svg').first().waitFor({ timeout: minutes(1) });
  const chartTraces = await card.locator('.main-svg .scatterlayer .trace').count();
  const errors = await page.locator('.output_error').allInnerTexts();

  await cell.scrollIntoViewIfNeeded();
  await cell.screenshot({ path: SCREENSHOT });
  console.log(JSON.stringify({ liveView, summary, chartTraces, errors }));
} finally {
  await browser.close();
}

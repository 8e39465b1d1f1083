// Looks at the notebooks the way a reader does, in Debian's Chromium driven by playwright-core:
//   html      every executed notebook's nbconvert HTML export, from file://
//   untrusted every executed notebook opened in a live Jupyter Notebook server, where it is "Not Trusted"
//   live      the tour opened in that server, run with Cell > Run All, after the kernel went idle
// In each view it screenshots the page, then checks every code cell's outputs against the executed notebook
// (an output missing fails), every figure (each <img> and <svg> in an output, screenshotted alone) for a blank area,
// every output for an error or stderr, and every output for running off the page.
//
// usage: node check_notebooks.js CONFIG.json   (written by .ci/browser_test.py; see there)
// Prints one line per view and per problem, writes report.json beside the screenshots, exits 1 on any problem.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');
const { MIN_INK, CHROMIUM_ARGS, pixelStats, offline } = require('./common');

// Where each kind of page keeps its cells and outputs.
const LAYOUTS = {
  nbconvert: {
    codeCell: '.jp-Cell.jp-CodeCell',
    output: '.jp-OutputArea-child',
    content: '.jp-OutputArea-output',
    error: '[data-mime-type="application/vnd.jupyter.stderr"]',
  },
  classic: {
    codeCell: '.cell.code_cell',
    output: '.output_area',
    content: '.output_subarea',
    error: '.output_error, .output_stderr',
  },
};

/** Makes a classic notebook's inner scroller part of the page, so a full-page screenshot shows every cell. */
async function unscroll(page) {
  await page.addStyleTag({ content: 'html, body, #site { height: auto !important; overflow: visible !important; }'
    + ' #header { position: static !important; }' });
}

async function checkView(page, analysis, view, expected, shotPath) {
  const layout = LAYOUTS[view.layout];
  const problems = [];
  const figures = [];
  // every image decoded before anything is measured
  await page.waitForFunction(() => Array.from(document.images).every((i) => i.complete), null,
    { timeout: 60000 }).catch(() => problems.push('images still loading after 60 s'));
  await page.screenshot({ path: shotPath, fullPage: true });
  const cells = await page.$$(layout.codeCell);
  if (cells.length !== expected.length) {
    problems.push(`${expected.length} code cells expected, ${cells.length} shown`);
  }
  const pageWidth = await page.evaluate(() => document.documentElement.clientWidth);
  for (let k = 0; k < Math.min(cells.length, expected.length); k++) {
    const want = expected[k];
    const outputs = await cells[k].$$(layout.output);
    if (outputs.length < want.outputs) {
      problems.push(`cell ${want.index}: ${want.outputs} outputs expected, ${outputs.length} shown`);
    }
    const errors = await cells[k].$$(layout.error);
    for (const e of errors) {
      const text = (await e.innerText()).trim().split('\n')[0].slice(0, 200);
      problems.push(`cell ${want.index}: shows an error or stderr: ${text}`);
    }
    for (const content of await cells[k].$$(layout.content)) {
      const right = await content.evaluate((el) => el.getBoundingClientRect().right);
      if (right > pageWidth + 1) {
        problems.push(`cell ${want.index}: an output runs off the page (${Math.round(right)} px of ${pageWidth})`);
      }
    }
    const shown = await cells[k].$$(`${layout.content} img, ${layout.content} svg:not(svg svg)`);
    if (shown.length < want.figures) {
      problems.push(`cell ${want.index}: ${want.figures} figures expected, ${shown.length} shown`);
    }
    for (let f = 0; f < shown.length; f++) {
      const el = shown[f];
      const box = await el.boundingBox();
      const loaded = await el.evaluate((x) => x.tagName.toLowerCase() !== 'img'
        || (x.complete && x.naturalWidth > 0));
      const entry = { cell: want.index, figure: f, tag: await el.evaluate((x) => x.tagName.toLowerCase()) };
      if (!loaded) {
        problems.push(`cell ${want.index}: figure ${f} did not load`);
        figures.push({ ...entry, blank: true });
        continue;
      }
      if (!box || box.width < 4 || box.height < 4) {
        problems.push(`cell ${want.index}: figure ${f} has no visible area`);
        figures.push({ ...entry, blank: true });
        continue;
      }
      const stats = await pixelStats(analysis, await el.screenshot({ animations: 'disabled', timeout: 30000 }));
      const blank = stats.ink < MIN_INK;
      figures.push({ ...entry, ...stats, blank });
      if (blank) {
        problems.push(`cell ${want.index}: figure ${f} (${stats.width}×${stats.height}) is blank: `
          + `${(100 * stats.ink).toFixed(2)}% of its pixels differ from its background`);
      }
    }
  }
  return { problems, figures };
}

async function main() {
  const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  fs.mkdirSync(config.screenshots, { recursive: true });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'circuitscope-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: config.chromium, headless: true, args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 1000 },
  });
  const report = { views: [] };
  let failed = 0;
  try {
    await offline(context, config.server && config.server.url);
    const analysis = await context.newPage();
    for (const view of config.views) {
      const page = await context.newPage();
      const shot = path.join(config.screenshots, `${view.kind}-${view.name}.png`);
      const started = Date.now();
      let result;
      try {
        if (view.kind === 'html') {
          await page.goto('file://' + view.path, { waitUntil: 'load', timeout: 120000 });
        } else {
          await page.goto(`${config.server.url}/notebooks/${view.path}?token=${config.server.token}`,
            { waitUntil: 'load', timeout: 120000 });
          await page.waitForFunction(() => window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded,
            null, { timeout: 120000 });
          const trusted = await page.evaluate(() => Jupyter.notebook.trusted);
          if (view.kind === 'untrusted' && trusted !== false) {
            throw new Error('the executed notebook opened as trusted; the check needs it "Not Trusted"');
          }
          if (view.kind === 'live') {
            await page.waitForFunction(() => Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected(),
              null, { timeout: 180000 });
            await page.click('#celllink');
            await page.click('#run_all_cells a');
            // done when every code cell has a number and the kernel is idle
            await page.waitForFunction(() => {
              const code = Jupyter.notebook.get_cells().filter((c) => c.cell_type === 'code');
              const numbered = code.every((c) => typeof c.input_prompt_number === 'number');
              return numbered && document.querySelector('#kernel_indicator_icon.kernel_idle_icon') !== null;
            }, null, { timeout: view.timeoutSeconds * 1000, polling: 1000 });
            const dead = await page.evaluate(() => !Jupyter.notebook.kernel.is_connected());
            if (dead) {
              throw new Error('the kernel died during Run All');
            }
          }
          await unscroll(page);
        }
        result = await checkView(page, analysis, { ...view, layout: view.kind === 'html' ? 'nbconvert' : 'classic' },
          view.expected, shot);
      } catch (e) {
        result = { problems: [`${e.message.split('\n')[0]}`], figures: [] };
        await page.screenshot({ path: shot, fullPage: true }).catch(() => {});
      }
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const blank = result.figures.filter((f) => f.blank).length;
      const inks = result.figures.filter((f) => !f.blank).map((f) => f.ink);
      const minInk = inks.length ? Math.min(...inks) : NaN;
      console.log(`${result.problems.length ? 'FAIL' : 'PASS'} ${view.kind} ${view.name}: ${result.figures.length} `
        + `figures, ${blank} blank, least ink ${(100 * minInk).toFixed(1)}%, screenshot ${shot} (${seconds} s)`);
      for (const p of result.problems) {
        console.log('  ' + p);
      }
      if (result.problems.length) {
        failed++;
      }
      report.views.push({ kind: view.kind, name: view.name, screenshot: shot, ...result });
      await page.close();
    }
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  fs.writeFileSync(path.join(config.screenshots, 'report.json'), JSON.stringify(report, null, 1));
  console.log(`${config.views.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

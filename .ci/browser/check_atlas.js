// Looks at a model's static atlas (java -jar circuitscope-kernel.jar atlas ...) the way a reader does, in Debian's
// Chromium driven by playwright-core: starting from its index.html, it opens every page reachable by links (from
// file://, with the network cut off), and fails when a link points at a file that is not there, an image does not
// load (naturalWidth 0) or is blank (fewer than MIN_INK of its pixels differ from its background, decoded by the
// browser itself), or a unit page lacks its feature visualisation or one of the REQUIRED sections:
//   neuron      the centre-neuron visualisation (unit-N/neuron.png)
//   levels      images sampled by activation level (unit-N/level-0.png ...) beside the histogram
//   census      the census family with its best stimulus (unit-N/census-best.png)
//   dictionary  dictionary features (features/*.png), on the pages of LAYERS_WITH_DICTIONARY only
//
// usage: node check_atlas.js ATLAS_DIR SCREENSHOTS_DIR [CHROMIUM] [REQUIRED,...] [LAYERS_WITH_DICTIONARY,...]
// Prints one line per page with a problem and a summary; screenshots the site index, each layer index and the
// first unit page of each layer; exits 1 on any problem.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');
const { MIN_INK, CHROMIUM_ARGS, pixelStats, offline } = require('./common');

async function main() {
  const root = path.resolve(process.argv[2]);
  const shots = path.resolve(process.argv[3]);
  const executable = process.argv[4] || '/usr/bin/chromium';
  const required = new Set((process.argv[5] || '').split(',').filter((x) => x));
  const dictionaryLayers = new Set((process.argv[6] || '').split(',').filter((x) => x));
  const sectionCounts = {};
  fs.mkdirSync(shots, { recursive: true });
  const start = path.join(root, 'index.html');
  if (!fs.existsSync(start)) {
    console.log(`FAIL: no ${start}`);
    process.exit(1);
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'circuitscope-atlas-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: executable, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 1000 },
  });
  const problems = [];
  const seen = new Set([start]);
  const queue = [start];
  const checkedImages = new Map();
  let pages = 0;
  let unitPages = 0;
  let images = 0;
  let minInk = Infinity;
  try {
    await offline(context, null);
    const analysis = await context.newPage();
    const page = await context.newPage();
    const shotLayers = new Set();
    while (queue.length) {
      const file = queue.shift();
      pages++;
      await page.goto('file://' + file, { waitUntil: 'load', timeout: 60000 });
      const found = await page.evaluate(() => ({
        links: [...document.querySelectorAll('a[href]')].map((a) => a.href),
        images: [...document.querySelectorAll('img')].map((i) => ({
          src: i.src, loaded: i.complete && i.naturalWidth > 0, width: i.naturalWidth,
        })),
        title: document.title,
      }));
      const rel = path.relative(root, file);
      const isUnit = /unit-\d+\.html$/.test(file);
      if (isUnit) {
        unitPages++;
        if (!found.images.some((i) => i.src.endsWith('/channel.png'))) {
          problems.push(`${rel}: no feature visualisation`);
        }
        const has = (re) => found.images.some((i) => re.test(i.src));
        const sections = {
          neuron: has(/\/unit-\d+\/neuron\.png$/),
          levels: has(/\/unit-\d+\/level-\d+\.png$/),
          census: has(/\/unit-\d+\/census-best\.png$/),
          dictionary: has(/\/features\/[^/]+-\d+\.png$/),
        };
        for (const [name, present] of Object.entries(sections)) {
          sectionCounts[name] = (sectionCounts[name] || 0) + (present ? 1 : 0);
          const wanted = required.has(name)
            && (name !== 'dictionary' || dictionaryLayers.has(path.dirname(rel)));
          if (wanted && !present) {
            problems.push(`${rel}: no ${name} section (its images are missing from the page)`);
          }
        }
      }
      const layer = path.dirname(rel);
      if (rel === 'index.html' || rel.endsWith('/index.html') || (isUnit && !shotLayers.has(layer))) {
        if (isUnit) {
          shotLayers.add(layer);
        }
        await page.screenshot({ path: path.join(shots, rel.replace(/[\/]/g, '_') + '.png'), fullPage: true });
      }
      for (const img of found.images) {
        images++;
        if (!img.loaded) {
          problems.push(`${rel}: image ${img.src} did not load`);
          continue;
        }
        const f = decodeURIComponent(new URL(img.src).pathname);
        if (!checkedImages.has(f)) {
          const stats = await pixelStats(analysis, fs.readFileSync(f));
          checkedImages.set(f, stats);
          minInk = Math.min(minInk, stats.ink);
          if (stats.ink < MIN_INK) {
            problems.push(`${rel}: image ${path.relative(root, f)} (${stats.width}×${stats.height}) is blank`);
          }
        }
      }
      for (const href of found.links) {
        const u = new URL(href);
        if (u.protocol !== 'file:') {
          problems.push(`${rel}: links off the site to ${href}`);
          continue;
        }
        const target = decodeURIComponent(u.pathname);
        if (!fs.existsSync(target)) {
          problems.push(`${rel}: link to ${path.relative(root, target)}, which is missing`);
        } else if (target.endsWith('.html') && !seen.has(target)) {
          if (!target.startsWith(root + path.sep)) {
            problems.push(`${rel}: links out of the atlas folder to ${target}`);
            continue;
          }
          seen.add(target);
          queue.push(target);
        }
      }
    }
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  for (const p of problems) {
    console.log('FAIL ' + p);
  }
  console.log(`atlas ${root}: ${pages} pages (${unitPages} unit pages), ${images} images (${checkedImages.size} `
    + `files), least ink ${(100 * minInk).toFixed(1)}%, screenshots in ${shots}`);
  console.log('unit pages with each section: ' + Object.entries(sectionCounts).map(([k, v]) => `${k} ${v}`)
    .join(', ') + (required.size ? ` (required: ${[...required].join(', ')})` : ''));
  console.log(problems.length ? `${problems.length} problems` : 'no problems');
  if (unitPages === 0) {
    console.log('FAIL: no unit pages reachable from the index');
    process.exit(1);
  }
  process.exit(problems.length ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

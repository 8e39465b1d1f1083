// What the browser checks share: how Chromium is started, what counts as a blank figure, and the page's
// network kept to local files.
'use strict';

// A figure is blank when fewer than this share of its pixels differ from its background colour.
const MIN_INK = 0.005;
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Pixel statistics of a PNG, computed by the browser's own decoder on a canvas. */
async function pixelStats(analysis, png) {
  return analysis.evaluate(async (b64) => {
    const img = new Image();
    img.src = 'data:image/png;base64,' + b64;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.width;
    canvas.height = img.height;
    const g = canvas.getContext('2d');
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, img.width, img.height).data;
    const n = img.width * img.height;
    const bins = new Map();
    for (let i = 0; i < d.length; i += 4) {
      const key = ((d[i] >> 4) << 8) | ((d[i + 1] >> 4) << 4) | (d[i + 2] >> 4);
      bins.set(key, (bins.get(key) || 0) + 1);
    }
    let bg = 0;
    let bgCount = -1;
    for (const [k, c] of bins) {
      if (c > bgCount) { bg = k; bgCount = c; }
    }
    const br = ((bg >> 8) & 15) * 16 + 8;
    const bgG = ((bg >> 4) & 15) * 16 + 8;
    const bb = (bg & 15) * 16 + 8;
    let ink = 0;
    for (let i = 0; i < d.length; i += 4) {
      const diff = Math.max(Math.abs(d[i] - br), Math.abs(d[i + 1] - bgG), Math.abs(d[i + 2] - bb));
      if (diff > 40) ink++;
    }
    let colours = 0;
    for (const c of bins.values()) {
      if (c >= n * 0.001) colours++;
    }
    return { width: img.width, height: img.height, ink: ink / n, colours,
      background: [br, bgG, bb] };
  }, png.toString('base64'));
}

/** Lets through only the page itself and the local server: the sandbox has no network, and waiting costs. */
async function offline(context, allowed) {
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:') || url.startsWith('data:') || url.startsWith('about:') || url.startsWith('blob:')
        || (allowed && url.startsWith(allowed))) {
      return route.continue();
    }
    return route.abort();
  });
}

module.exports = { MIN_INK, CHROMIUM_ARGS, pixelStats, offline };

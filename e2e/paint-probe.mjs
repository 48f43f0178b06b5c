// Experiment, not a test (BENCHMARKS.md, 2026-12-06 late morning): what the first paint of
// a page painted ahead costs, part by part. The page `/inscription` as the server sends it
// and variants of it (with or without the product's COOP, without its scripts, without
// its stylesheet, its text in one size and weight, its text not drawn), served by this
// process beside the static page of e2e/bench.mjs, each loaded cold in turn; the other
// addresses (the app's files) are passed on to the product's server. Medians of FCP.
// Usage: node e2e/paint-probe.mjs [loads]
import { createServer } from 'node:http';
import { launchBrowser, startServer } from './harness.mjs';
import { STATIC } from './static-page.mjs';

const loads = Number(process.argv[2] ?? 10);
const server = await startServer();
const page = await (await fetch(`${server.base}/inscription`)).text();
const noScripts = (html) => html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<link[^>]*rel="?(modulepreload|preload)[^>]*>/g, '');
const bare = noScripts(page);
const extraStyle = (css) => bare.replace('</head>', `<style>${css}</style></head>`);
const variants = {
  static: STATIC,
  'static + COOP': STATIC,
  product: page,
  'product + COOP': page,
  'no scripts': bare,
  'no scripts, no style': bare.replace(/<style[\s\S]*?<\/style>/g, ''),
  'one size, one weight': extraStyle('*{font-weight:400 !important; font-size:16px !important}'),
  'no text': extraStyle('*{color:transparent !important}'),
};
const names = Object.keys(variants);
const yard = createServer(async (req, res) => {
  const name = decodeURIComponent(req.url.slice(1).split('?')[0]);
  if (name in variants) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...(name.endsWith('COOP') ? { 'cross-origin-opener-policy': 'same-origin' } : {}) });
    res.end(variants[name]);
    return;
  }
  const r = await fetch(`${server.base}${req.url}`);
  res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/octet-stream' });
  res.end(Buffer.from(await r.arrayBuffer()));
}).listen(0, '127.0.0.1');
await new Promise((r) => yard.once('listening', r));
const base = `http://127.0.0.1:${yard.address().port}`;
const browser = await launchBrowser();
const runs = Object.fromEntries(names.map((n) => [n, []]));
try {
  for (let i = 0; i < loads; i += 1) {
    for (const name of names) {
      const context = await browser.newContext({ locale: 'fr-FR' });
      const tab = await context.newPage();
      await tab.goto(`${base}/${encodeURIComponent(name)}`);
      const fcp = await tab.evaluate(() => new Promise((ok) => new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (e.name === 'first-contentful-paint') ok(e.startTime);
      }).observe({ type: 'paint', buffered: true })));
      const html = await tab.evaluate(() => performance.getEntriesByType('navigation')[0].responseEnd);
      runs[name].push({ fcp, html });
      await context.close();
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const name of names) {
    console.log(`${name.padEnd(28)} HTML ${median(runs[name].map((r) => r.html)).toFixed(0).padStart(4)} ms   FCP ${median(runs[name].map((r) => r.fcp)).toFixed(0).padStart(4)} ms`);
  }
} finally {
  await browser.close();
  await server.stop();
  yard.close();
}

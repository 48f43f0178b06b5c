// The designers' loop (issue 18), measured: `trunk serve` (a development build) on a free
// port and the home page open in headless Chromium; then, several times, one word of the
// home page's Rust view is changed, and one colour of the CSS. For each save it prints the
// time until the reloaded page shows the change. The files are put back at the end.
// Usage: node scripts/designer-loop.mjs [runs]   (scripts/designer-loop.sh sets PATH)
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { launchBrowser } from '../e2e/harness.mjs';

const runs = Number(process.argv[2] ?? 5);
const VIEW = 'app/src/pages/home.rs';
const CSS = 'style/main.css';
const WORDS = 'Bienvenue sur les services en ligne';
const BRAND = '--color-brand: #0b4f6c;';

const freePort = () => new Promise((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});

const view = readFileSync(VIEW, 'utf8');
const css = readFileSync(CSS, 'utf8');
if (!view.includes(WORDS) || !css.includes(BRAND)) throw new Error('the files changed: update this script');
const port = await freePort();
const trunk = spawn('trunk', ['serve', '--offline', '--port', String(port), '--address', '127.0.0.1'], {
  stdio: ['ignore', 'ignore', 'pipe'],
});
let log = '';
trunk.stderr.on('data', (chunk) => { log += chunk; });
const browser = await launchBrowser();
const restore = () => { writeFileSync(VIEW, view); writeFileSync(CSS, css); };
process.on('SIGINT', () => { restore(); trunk.kill(); process.exit(1); });

try {
  const page = await browser.newPage();
  const base = `http://127.0.0.1:${port}/`;
  // The first development build compiles every dependency: minutes, once.
  const started = Date.now();
  for (;;) {
    const ok = await page.goto(base).then((r) => r?.ok(), () => false);
    if (ok && await page.getByRole('heading', { name: WORDS }).waitFor({ timeout: 5_000 }).then(() => true, () => false)) break;
    if (Date.now() - started > 15 * 60_000) throw new Error(`trunk serve never served the page:\n${log}`);
    await new Promise((r) => setTimeout(r, 2_000));
  }
  console.log(`first development build and load: ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const measure = async (label, save, shown) => {
    const times = [];
    for (let i = 1; i <= runs; i += 1) {
      const saved = Date.now();
      save(i);
      await shown(i);
      times.push(Date.now() - saved);
      // Let trunk's watcher settle before the next save.
      await new Promise((r) => setTimeout(r, 1_000));
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)];
    console.log(`${label}: median ${(median / 1000).toFixed(2)} s, min ${(times[0] / 1000).toFixed(2)} s, max ${(times.at(-1) / 1000).toFixed(2)} s over ${runs} saves`);
  };

  await measure('a word of a page’s Rust view, save → reloaded page', (i) => {
    writeFileSync(VIEW, view.replace(WORDS, `${WORDS} ${i}`));
  }, (i) => page.getByRole('heading', { name: `${WORDS} ${i}` }).waitFor({ timeout: 120_000 }));

  const colours = ['#0b4f6d', '#0b4f6e', '#0b4f6f', '#0b4f70', '#0b4f71', '#0b4f72', '#0b4f73', '#0b4f74', '#0b4f75'];
  await measure('a colour of the CSS, save → restyled page', (i) => {
    writeFileSync(CSS, css.replace(BRAND, `--color-brand: ${colours[(i - 1) % colours.length]};`));
  }, (i) => {
    const hex = colours[(i - 1) % colours.length];
    const rgb = `rgb(${parseInt(hex.slice(1, 3), 16)}, ${parseInt(hex.slice(3, 5), 16)}, ${parseInt(hex.slice(5, 7), 16)})`;
    return page.waitForFunction((want) => getComputedStyle(document.querySelector('.site-header')).backgroundColor === want, rgb, { timeout: 60_000 });
  });
} finally {
  restore();
  await browser.close();
  trunk.kill();
}

// Starts each built bundle's WebAssembly after the page's first paint: the page painted
// from its HTML (its bare frame, or the first view the server paints ahead) is then on
// screen before the app's JavaScript and wasm take the main thread and the machine's cores
// (BENCHMARKS.md, 2026-12-06: the painted page's heading otherwise shows only once the app
// has taken over, and a module preloaded from the start, fetched and compiled while the
// page is laid out and rastered, delayed the first paint by 20–40 ms). The wasm is still
// fetched from the start (preload): only the JavaScript glue waits.
// Edits what trunk writes into each index.html:
// - its start-up module imports the glue after the paint (`import()`) instead of before;
// - its `modulepreload` links go, their integrity hashes kept in an import map, which
//   checks the glue and its snippets as the links did.
// Fails if trunk writes them otherwise. Usage: node scripts/start-after-paint.mjs dist
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dist = process.argv[2] ?? 'dist';
const pages = (dir) => readdirSync(dir).flatMap((name) => {
  const path = join(dir, name);
  return statSync(path).isDirectory() ? pages(path) : name === 'index.html' ? [path] : [];
});

const IMPORT = /import init, \* as bindings from '([^']+)';\n/;
const START = 'const wasm = await init(';
// The first paint, or half a second at most: a tab opened in the background paints late.
const AFTER_PAINT = 'await new Promise((painted) => {'
  + " new PerformanceObserver((_, observer) => { observer.disconnect(); painted(); }).observe({ type: 'paint', buffered: true });"
  + ' setTimeout(painted, 500); });\n';
const MODULE = '<script type=module>';
const PRELOAD = /<link crossorigin href=(\S+) integrity=(\S+) rel=modulepreload>/g;

// The wizard's second step starts at once: nothing of it is painted ahead (its page is the
// bare frame), and the person waits for it after "Valider".
const atOnce = join(dist, 'etape-2', 'index.html');

for (const page of pages(dist).filter((page) => page !== atOnce)) {
  let html = readFileSync(page, 'utf8');
  if (html.includes(AFTER_PAINT)) continue;
  const fail = (what) => { throw new Error(`${page}: ${what} not found as trunk writes it (or twice)`); };
  if (html.split(START).length !== 2) fail(`the start-up module (${START})`);
  const glue = html.match(IMPORT)?.[1] ?? fail('the import of the glue');
  const integrity = Object.fromEntries([...html.matchAll(PRELOAD)].map(([, href, hash]) => [href, hash]));
  if (!integrity[glue]) fail(`the glue's modulepreload (${glue})`);
  if (html.split(MODULE).length !== 2) fail(`the start-up module's tag (${MODULE})`);
  html = html
    .replace(PRELOAD, '')
    .replace(IMPORT, '')
    .replace(START, `${AFTER_PAINT}const bindings = await import('${glue}');\nconst init = bindings.default;\n${START}`)
    // Before the module: a map that comes after a module has started loading is ignored.
    .replace(MODULE, `<script type=importmap>${JSON.stringify({ integrity })}</script>${MODULE}`);
  writeFileSync(page, html);
}

// Starts each built bundle's WebAssembly after the page's first paint: the page painted
// from its HTML (its bare frame, or the first view the server paints ahead) is then on
// screen before the wasm's compilation and start take the main thread and the machine's
// cores (BENCHMARKS.md, 2026-12-06 morning: the painted page's heading otherwise shows
// only once the app has taken over). The wasm is still fetched from the start (preload).
// Edits the start-up module that trunk writes into each index.html; fails if trunk
// writes it otherwise. Usage: node scripts/start-after-paint.mjs dist
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dist = process.argv[2] ?? 'dist';
const pages = (dir) => readdirSync(dir).flatMap((name) => {
  const path = join(dir, name);
  return statSync(path).isDirectory() ? pages(path) : name === 'index.html' ? [path] : [];
});

const START = 'const wasm = await init(';
// The first paint, or half a second at most: a tab opened in the background paints late.
const AFTER_PAINT = 'await new Promise((painted) => {'
  + " new PerformanceObserver((_, observer) => { observer.disconnect(); painted(); }).observe({ type: 'paint', buffered: true });"
  + ' setTimeout(painted, 500); });\n';

for (const page of pages(dist)) {
  const html = readFileSync(page, 'utf8');
  if (html.includes(AFTER_PAINT)) continue;
  if (html.split(START).length !== 2) throw new Error(`${page}: trunk's start-up module not found (or twice): ${START}`);
  writeFileSync(page, html.replace(START, AFTER_PAINT + START));
}

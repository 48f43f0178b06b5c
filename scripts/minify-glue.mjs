// Minifies the wasm-bindgen JavaScript glue of each built bundle (trunk's own minifier
// gives up on it and leaves it whole: about 1.7 KB more per first load, brotli), and
// rewrites the Subresource Integrity hash that each index.html gives for it.
// Usage: node scripts/minify-glue.mjs dist
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { minify } from 'terser';

const dist = process.argv[2] ?? 'dist';
const files = (dir) => readdirSync(dir).flatMap((name) => {
  const path = join(dir, name);
  return statSync(path).isDirectory() ? files(path) : [path];
});
const sri = (bytes) => 'sha384-' + createHash('sha384').update(bytes).digest('base64');

const all = files(dist);
const pages = all.filter((f) => f.endsWith('index.html'));
// The glue is what a page preloads as a module: `<name>-<hash>.js` beside its `_bg.wasm`.
for (const glue of all.filter((f) => f.endsWith('.js') && all.includes(f.slice(0, -3) + '_bg.wasm'))) {
  const source = readFileSync(glue, 'utf8');
  const { code } = await minify(source, { module: true, compress: true, mangle: true });
  const [before, after] = [sri(source), sri(code)];
  let referenced = false;
  for (const page of pages) {
    const html = readFileSync(page, 'utf8');
    if (html.includes(before)) {
      writeFileSync(page, html.replaceAll(before, after));
      referenced = true;
    }
  }
  if (!referenced) throw new Error(`${glue}: no page gives its integrity hash`);
  writeFileSync(glue, code);
  console.error(`minify-glue: ${glue} ${source.length} → ${code.length} B`);
}

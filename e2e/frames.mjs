// The public pages painted ahead: each page's first view, drawn by the app itself and kept
// in app/frames/ so that the server sends it in the HTML (server/src/static_files.rs). The
// page's title, header, headings, stepper, labels and fields are then on screen before the
// WebAssembly comes; the app takes over in one task without a visible change (lib.rs). A
// test (e2e/tests/frames.test.mjs) draws them again and fails when one is out of date.
// Write them again after changing a page's view, with the app and the server built:
//   node e2e/frames.mjs
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, startServer } from './harness.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const FRAMES_DIR = join(root, 'app', 'frames');

/** The pages painted ahead: those whose first view depends on nothing but the server's
 *  configuration, which it writes into them (the lender's name and phone; the legal
 *  notice's host and the personal data page's durations: drawn here with the defaults).
 *  The wizard's later steps and the e-mails' links show a state: the app draws those. */
export const FRAMED = ['/', '/inscription', '/connexion', '/mot-de-passe-oublie', '/pas-vous', '/cgu', '/accessibilite', '/contact', '/mentions-legales', '/donnees-personnelles'];

/** The file of a page's frame: as the server names it (`frame_file`). */
export function frameFile(path) {
  return join(FRAMES_DIR, `${path === '/' ? 'accueil' : path.slice(1).replaceAll('/', '-')}.html`);
}

/**
 * The first view the app draws at `path` in a new context of `browser`, while the API does
 * not answer (what it shows before any answer): the page's title on the first line, then
 * the elements the app put in the body.
 */
export async function capture(browser, base, path) {
  const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    await page.route('**/api/**', () => { /* never answered */ });
    await page.goto(base + path);
    await page.waitForFunction(() => !document.getElementById('coquille') && document.querySelector('h1'));
    // The effects the first view starts run in the same turn; one frame more for good measure.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
    return await page.evaluate(() => {
      const drawn = [...document.body.children].filter((e) => !['SCRIPT', 'NOSCRIPT'].includes(e.tagName));
      const text = (t) => t.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
      // Without the app's empty markers, and with the non-breaking spaces as characters, as
      // the server looks for the lender's phone number written so.
      const body = drawn.map((e) => e.outerHTML).join('').replaceAll('<!---->', '').replaceAll('&nbsp;', '\u00a0');
      return `<title>${text(document.title)}</title>\n${body}\n`;
    });
  } finally {
    await context.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    for (const path of FRAMED) {
      writeFileSync(frameFile(path), await capture(browser, server.base, path));
      console.log(`${path} → ${frameFile(path)}`);
    }
  } finally {
    await browser.close();
    await server.stop();
  }
}

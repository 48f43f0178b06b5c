// Browser figures for BENCHMARKS.md (run by scripts/bench.sh, not a test): time to an
// interactive step-1 page in headless Chromium, and keystroke-to-hint time.
import { launchBrowser, startServer } from './harness.mjs';

const server = await startServer();
const browser = await launchBrowser();
try {
  const loads = [];
  for (let i = 0; i < 10; i += 1) {
    const context = await browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    const started = Date.now();
    await page.goto(server.base + '/inscription');
    // Interactive: the wasm has rendered the form and answers a keystroke.
    await page.getByLabel('Numéro client', { exact: true }).fill('0');
    await page.getByText(/zéro/).first().waitFor();
    loads.push(Date.now() - started);
    await context.close();
  }
  const page = await browser.newPage();
  await page.goto(server.base + '/inscription');
  await page.getByLabel('Numéro client', { exact: true }).waitFor();
  const hints = await page.evaluate(async () => {
    const input = document.getElementById('numero-client');
    const message = document.getElementById('numero-client-message');
    const times = [];
    const typed = ['0', '02', '023', '0237', '02375', '023751', '0237517', '237517', '23751', '2375a'];
    for (let round = 0; round < 5; round += 1) {
      for (const value of typed) {
        const changed = new Promise((resolve) => {
          const observer = new MutationObserver(() => { observer.disconnect(); resolve(true); });
          observer.observe(message, { childList: true, subtree: true, characterData: true });
          // The same message twice in a row changes nothing: not a measure.
          setTimeout(() => { observer.disconnect(); resolve(false); }, 1000);
        });
        const t = performance.now();
        input.value = value;
        input.dispatchEvent(new Event('input', { bubbles: true }));
        if (await changed) times.push(performance.now() - t);
      }
    }
    return times;
  });
  const sorted = (xs) => [...xs].sort((a, b) => a - b);
  const pct = (xs, q) => sorted(xs)[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)];
  console.log(`time to an interactive step-1 page (navigation to a live hint, 10 cold loads): median ${pct(loads, 0.5)} ms, worst ${Math.max(...loads)} ms`);
  console.log(`keystroke to hint (${hints.length} keystrokes): median ${pct(hints, 0.5).toFixed(2)} ms, p99 ${pct(hints, 0.99).toFixed(2)} ms`);
} finally {
  await browser.close();
  await server.stop();
}

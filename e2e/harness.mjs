// The browser tests' harness: the real server binary on a free port with a fresh database,
// Debian's headless Chromium driven by Playwright, axe-core for accessibility, and a
// screenshot of every failure (e2e/artifacts/failures/) and of every named state
// (e2e/artifacts/screens/) to look at.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import pg from 'pg';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const artifacts = join(root, 'e2e', 'artifacts');
const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');

/** The server binary under test (built by the test script). */
const serverBin = process.env.E2E_SERVER_BIN ?? join(root, 'target', 'debug', 'inscription-server');
/** A PostgreSQL server URL: when set, each file gets its own database there instead of SQLite. */
const postgresUrl = process.env.E2E_POSTGRES_URL || '';

export async function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

async function adminQuery(sql) {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try { await client.query(sql); } finally { await client.end(); }
}

/**
 * Starts the real server on a fresh database; resolves once it is ready. `host`: the name
 * the browser uses, which becomes the public address (passkeys need a domain name, such
 * as `localhost`, not an IP address).
 */
export async function startServer({ env = {}, host } = {}) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'inscription-e2e-'));
  let database = null;
  const childEnv = {
    ...process.env,
    PORT: String(port),
    DATA_DIR: dataDir,
    STATIC_DIR: join(root, 'dist'),
    DEMO_DATA: 'true',
    RUST_LOG: process.env.RUST_LOG ?? 'warn',
    // The harness stands for the load balancer: each test's browser says which client
    // address it is (see suite()), as each person of the tests is someone else.
    TRUSTED_PROXIES: '1',
    // A test may register several establishments from its one address; production allows 3.
    FIRST_USERS_PER_ADDRESS_PER_DAY: '1000',
    ...(host ? { PUBLIC_URL: `http://${host}:${port}` } : {}),
    ...env,
  };
  if (postgresUrl) {
    database = `inscription_e2e_${process.pid}_${port}`;
    childEnv.DATABASE_URL = postgresUrl.replace(/\/[^/]*$/, `/${database}`);
  } else {
    delete childEnv.DATABASE_URL;
  }
  const child = spawn(serverBin, ['serve'], { env: childEnv, stdio: ['ignore', 'inherit', 'inherit'] });
  const base = `http://${host ?? '127.0.0.1'}:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const r = await fetch(`${base}/readyz`);
      if (r.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error('server not ready after 30 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    dataDir,
    /** Runs a command of the server binary on this server's database; resolves to its output. */
    async command(...args) {
      const { execFileSync } = await import('node:child_process');
      return execFileSync(serverBin, args, { env: childEnv, encoding: 'utf8' });
    },
    /** The same, with `input` on the command's standard input (a password, say). */
    async commandWithInput(input, ...args) {
      const { execFileSync } = await import('node:child_process');
      return execFileSync(serverBin, args, { env: childEnv, encoding: 'utf8', input });
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      rmSync(dataDir, { recursive: true, force: true });
      if (database) await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    },
  };
}

/** Debian's Chromium, headless. Without the omnibox popup's WebUI, which each new window of
 *  Chromium 156 loads (hundreds of modules, in a renderer of its own) while the page under
 *  test loads: on 2 cores it made every first paint 30–70 % later, the static page's too
 *  (BENCHMARKS.md, 2026-12-06 late morning). The product's pages do not use it. */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.E2E_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-features=WebUIOmniboxPopup,WebUIOmniboxFullPopup,WebUIOmniboxAimPopup'],
  });
}

function slug(text) {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '').toLowerCase();
}

/**
 * Declares the file's tests: one server and one browser for the file, a fresh page (and
 * browser context) per test, a screenshot when a test fails.
 * `body(it)` receives `it(name, async ({ page, server, address }) => …, { width })`;
 * `address` is the client address the test's browser stands for.
 */
export function suite(body, { env, host } = {}) {
  let server;
  let browser;
  let people = 0;
  before(async () => {
    server = await startServer({ env, host });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });
  body((name, fn, { width = 1280, height = 900 } = {}) =>
    test(name, async () => {
      // Each test is another person, on another connection: per-address limits and the
      // proof of work's difficulty are theirs alone, as they would be in production.
      people += 1;
      const address = `198.18.${people >> 8}.${people & 255}`;
      const context = await browser.newContext({
        viewport: { width, height }, locale: 'fr-FR', extraHTTPHeaders: { 'x-forwarded-for': address },
      });
      context.setDefaultTimeout(10_000);
      const page = await context.newPage();
      // E2E_LATE_APP_MS=400: every WebAssembly comes that much later, as on a slow network,
      // so that the tests act on the pages painted ahead before the app takes them over.
      const late = Number(process.env.E2E_LATE_APP_MS ?? 0);
      if (late) await page.route('**/*.wasm', async (r) => { await new Promise((s) => setTimeout(s, late)); await r.continue(); });
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      // The Content-Security-Policy must never have to block anything of the app.
      page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) errors.push(m.text()); });
      try {
        await fn({ page, server, context, address });
        if (errors.length) throw new Error(`erreurs JavaScript dans la page : ${errors.join('; ')}`);
      } catch (e) {
        mkdirSync(join(artifacts, 'failures'), { recursive: true });
        await page.screenshot({ path: join(artifacts, 'failures', `${slug(name)}.png`), fullPage: true }).catch(() => {});
        throw e;
      } finally {
        await context.close();
      }
    }));
}

/**
 * Waits until the app has taken over a page the server painted ahead (app/src/shell.rs).
 * Before that, the page's elements are the painted ones, which the app replaces: an observer
 * set on them hears nothing more, and a link followed loads a new document.
 */
export const appTookOver = (page) => page.waitForFunction(() => !document.getElementById('coquille'));

/** Holds the page's WebAssembly until `release()` is called: the page shows its frame alone. */
export async function holdWasm(page) {
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route('**/*.wasm', async (route) => { await held; await route.continue(); });
  return release;
}

/** Saves a full-page screenshot of a named state, to look at. */
export async function snap(page, name) {
  mkdirSync(join(artifacts, 'screens'), { recursive: true });
  await page.screenshot({ path: join(artifacts, 'screens', `${slug(name)}.png`), fullPage: true });
}

/** Runs axe-core in the page and fails with a readable list on any violation. */
export async function expectNoAxeViolations(page) {
  // Evaluated through the DevTools protocol: the page's CSP forbids injected <script> tags.
  await page.evaluate(readFileSync(axePath, 'utf8'));
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  if (violations.length) throw new Error(`axe-core : ${violations.length} violation(s)\n${violations.join('\n')}`);
}

/** Fails unless the page has no horizontal scroll (narrow screens). */
export async function expectNoHorizontalScroll(page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  if (overflow > 0) throw new Error(`défilement horizontal de ${overflow} px`);
}

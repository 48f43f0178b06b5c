// Steps of the registration wizard and of sign-in that several browser tests go through.
import { createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appTookOver } from './harness.mjs';

export const numberField = (page) => page.getByLabel('Numéro client', { exact: true });

/** The queued letters, as the operators' batch PDF prints them (text, white space folded). */
export async function queuedLetters(server) {
  const file = join(mkdtempSync(join(tmpdir(), 'lettres-')), 'lettres.pdf');
  const out = await server.command('letters', '--output', file);
  const count = Number(out.match(/(\d+)\s+courriers?\b/)[1]);
  const text = count ? execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ') : '';
  return { count, text };
}

export async function passStep1(page, server, number) {
  await page.goto(server.base + '/inscription');
  // The page is painted ahead: once the app takes over, it shows the number saved by an
  // earlier registration in this tab, which a fill racing the takeover would add to.
  await appTookOver(page);
  await numberField(page).fill(number);
  await tickCaptcha(page);
  await page.getByRole('button', { name: 'Valider' }).click();
  await page.waitForURL('**/inscription/etape-2');
}

export async function tickCaptcha(page) {
  const started = Date.now();
  await page.getByLabel('Je ne suis pas un robot').check();
  await page.getByText('Vérification réussie.').waitFor({ timeout: 30_000 });
  return Date.now() - started;
}

export async function fillIdentity(page, { email, last = 'Le Bihan', first = 'Anne-Sophie' }) {
  await page.getByLabel('Madame').check();
  await page.getByLabel('Nom', { exact: true }).fill(last);
  await page.getByLabel('Prénom').fill(first);
  await page.getByLabel('Fonction').fill('Directrice financière');
  await page.getByLabel('Adresse électronique professionnelle').fill(email);
  await page.getByLabel('Téléphone professionnel').fill('02 40 12 34 56');
}


/** Registers the establishment's first user through the pages; returns the letter's code. */
export async function registerFirstUser(page, server, { number, email }) {
  await passStep1(page, server, number);
  await fillIdentity(page, { email });
  await page.getByLabel('J’accepte le rôle d’administrateur').check();
  await page.getByLabel('J’ai lu et j’accepte les Conditions Générales d’Utilisation').check();
  await page.getByRole('button', { name: 'Valider' }).click();
  await page.waitForURL('**/inscription/confirmation');
  return (await lastLetterCodes(server)).code;
}

/**
 * Makes `email` the active administrator of `number` through the pages: registration,
 * the letter's code, a chosen password. Leaves the page signed in, in "Mon espace".
 */
export async function activeAdministrator(page, server, { number, email, password }) {
  const code = await registerFirstUser(page, server, { number, email });
  await signIn(page, server, email, code);
  await page.waitForURL('**/activation');
  await page.getByLabel('Nouveau mot de passe').fill(password);
  await page.getByRole('button', { name: 'Valider' }).click();
  await leaveWelcome(page);
}

/**
 * After the activation, "Sécurité de mon compte" welcomes the new administrator (their
 * role asks a second factor); back to "Mon espace".
 */
export async function leaveWelcome(page) {
  await page.waitForURL('**/espace/securite?bienvenue=1');
  await page.getByText('Votre compte est activé.').waitFor();
  await page.getByRole('link', { name: 'Retour à mon espace' }).click();
  await page.waitForURL('**/espace');
}

/** The codes of the newest queued letter: its temporary password, then its "not you?" code. */
export async function lastLetterCodes(server) {
  const { text } = await queuedLetters(server);
  const codes = text.match(/[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}/g);
  return { code: codes.at(-2), opposition: codes.at(-1) };
}

/** Reads a PDF's text with poppler's pdftotext, white space folded. */
export function pdfText(bytes) {
  const file = join(mkdtempSync(join(tmpdir(), 'pdf-')), 'document.pdf');
  writeFileSync(file, bytes);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
}

/** Signs in through /connexion (with a password or the letter's code). */
export async function signIn(page, server, email, password) {
  await page.goto(server.base + '/connexion');
  await page.getByLabel('Adresse électronique professionnelle').fill(email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
}

/**
 * Paul Martin asks for access to `number` in a browser of his own, his e-mail address
 * verified; resolves to his page. `address`: the client address that browser stands for.
 */
export async function requestAccess(context, server, number, email, { address, password = 'Tournesol!2026-Loire' } = {}) {
  const headers = address ? { extraHTTPHeaders: { 'x-forwarded-for': address } } : {};
  const colleague = await context.browser().newContext({ locale: 'fr-FR', ...headers });
  const other = await colleague.newPage();
  await passStep1(other, server, number);
  await fillIdentity(other, { email, last: 'Martin', first: 'Paul' });
  await other.getByLabel('Monsieur').check();
  await other.getByLabel('Mot de passe', { exact: true }).fill(password);
  await other.getByLabel('J’ai lu et j’accepte les Conditions Générales d’Utilisation').check();
  await other.getByRole('button', { name: 'Valider' }).click();
  await other.waitForURL('**/inscription/confirmation');
  const mail = await server.command('outbox', email);
  await other.goto(mail.match(/https?:\/\/\S+jeton=\S+/)[0]);
  await other.getByText('Votre adresse électronique est confirmée.').waitFor();
  return other;
}

function base32(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const bytes = [];
  for (const c of text.replace(/\s|=/g, '')) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

/** RFC 6238 with SHA-1, six digits, 30-second steps: what an authenticator app shows. */
export function totp(secret, seconds) {
  const step = Buffer.alloc(8);
  step.writeBigUInt64BE(BigInt(Math.floor(seconds / 30)));
  const mac = createHmac('sha1', base32(secret)).update(step).digest();
  const offset = mac[19] & 15;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** Adds a one-time code app from "Sécurité de mon compte" (from "Mon espace"): its key. */
export async function enrolTotp(page) {
  await page.getByRole('link', { name: 'Sécurité de mon compte' }).click();
  await page.getByRole('button', { name: 'Ajouter une application de codes à usage unique' }).click();
  const secret = (await page.locator('#cle-secrete').textContent()).replace(/\s/g, '');
  await page.getByLabel('Code affiché par l’application').fill(totp(secret, Date.now() / 1000));
  await page.getByRole('button', { name: 'Confirmer' }).click();
  await page.getByRole('button', { name: 'J’ai conservé mes codes de secours' }).click();
  await page.getByText('Votre compte est protégé').waitFor();
  return secret;
}

/** Each operator's app as the tests' phone keeps it: its key, the last half-minute whose
 * code served, and the recovery codes not used yet (per server and address). */
const operatorApps = new Map();

/**
 * Signs an operator in as the back office asks: at their first sign-in they add their
 * one-time code app (the page shows its key); after it, the second step takes the app's
 * next unused code, or a recovery code once this half-minute's codes have served (a code
 * serves once, and the tests sign in faster than the app's codes change).
 */
export async function signInOperator(page, server, email, password) {
  await signIn(page, server, email, password);
  const key = `${server.base}|${email}`;
  const app = operatorApps.get(key);
  if (!app) {
    await page.getByRole('button', { name: 'Ajouter une application de codes à usage unique' }).click();
    const secret = (await page.locator('#cle-secrete').textContent()).replace(/\s/g, '');
    const step = Math.floor(Date.now() / 30_000);
    await page.getByLabel('Code affiché par l’application').fill(totp(secret, step * 30));
    await page.getByRole('button', { name: 'Confirmer' }).click();
    const codes = await page.locator('.recovery-codes code').allTextContents();
    operatorApps.set(key, { secret, lastStep: step, codes });
    await page.getByRole('button', { name: 'J’ai conservé mes codes de secours' }).click();
    await page.locator('.operator-nav').waitFor();
    return;
  }
  // The server takes the codes of its half-minute and of the ones on either side.
  const step = Math.max(app.lastStep + 1, Math.floor(Date.now() / 30_000));
  let code;
  if (step <= Math.floor(Date.now() / 30_000) + 1) {
    code = totp(app.secret, step * 30);
    app.lastStep = step;
  } else {
    code = app.codes.shift();
  }
  await page.getByLabel('Code à usage unique').fill(code);
  await page.getByRole('button', { name: 'Valider' }).click();
  await page.locator('.operator-nav').waitFor();
}

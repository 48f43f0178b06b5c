// The second factor (PRODUCT.md §3bis): a one-time code app added from "Sécurité de mon
// compte" — the test is the app, computing the codes from the key the page shows — then
// asked at every sign-in; a code serves once, and so does a recovery code.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectNoAxeViolations, snap, suite } from '../harness.mjs';
import { activeAdministrator, signIn } from '../wizard.mjs';

const PASSWORD = 'Tournesol!2026-Loire';

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
function totp(secret, seconds) {
  const step = Buffer.alloc(8);
  step.writeBigUInt64BE(BigInt(Math.floor(seconds / 30)));
  const mac = createHmac('sha1', base32(secret)).update(step).digest();
  const offset = mac[19] & 15;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

async function signOut(page) {
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await page.waitForURL((url) => url.pathname === '/');
}

suite((it) => {
  it('une application de codes à usage unique protège le compte ; un code et un code de secours servent une fois', async ({ page, server }) => {
    const email = 'anne.lebihan@habitat-loire.fr';
    await activeAdministrator(page, server, { number: '237517', email, password: PASSWORD });
    await page.getByRole('link', { name: 'Sécurité de mon compte' }).click();
    await page.getByRole('button', { name: 'Ajouter une application de codes à usage unique' }).click();
    await page.getByRole('img', { name: /Code QR/ }).waitFor();
    const secret = (await page.locator('#cle-secrete').textContent()).replace(/\s/g, '');
    assert.match(secret, /^[A-Z2-7]{32}$/);
    // The QR code, read as a phone's camera would, holds the same key.
    const picture = join(mkdtempSync(join(tmpdir(), 'qr-')), 'qr.png');
    await page.getByRole('img', { name: /Code QR/ }).screenshot({ path: picture });
    const read = execFileSync('zbarimg', ['-q', '--raw', picture], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    assert.match(read, /^otpauth:\/\/totp\/Pr%C3%AAteur%20public:anne\.lebihan%40habitat-loire\.fr\?/);
    assert.equal(new URL(read).searchParams.get('secret'), secret);
    await expectNoAxeViolations(page);
    await snap(page, 'securite-ajout-application');

    // A wrong code first: said in French, tied to its field.
    await page.getByLabel('Code affiché par l’application').fill('000000');
    await page.getByRole('button', { name: 'Confirmer' }).click();
    await page.getByRole('link', { name: /Ce code ne convient pas/ }).waitFor();
    const confirmedAt = Date.now() / 1000;
    await page.getByLabel('Code affiché par l’application').fill(totp(secret, confirmedAt));
    await page.getByRole('button', { name: 'Confirmer' }).click();
    await page.getByText('Les codes à usage unique protègent désormais votre compte').waitFor();
    const recovery = await page.locator('.recovery-codes code').allTextContents();
    assert.equal(recovery.length, 10);
    await expectNoAxeViolations(page);
    await snap(page, 'securite-codes-de-secours');
    await page.getByRole('button', { name: 'J’ai conservé mes codes de secours' }).click();
    await page.getByText('Codes de secours restants : 10').waitFor();
    await page.getByRole('link', { name: 'Retour à mon espace' }).click();
    await signOut(page);

    // The password alone is not enough; the next code of the app opens the space.
    await signIn(page, server, email, PASSWORD);
    await page.getByText('Votre mot de passe est juste.').waitFor();
    await expectNoAxeViolations(page);
    await snap(page, 'connexion-code-a-usage-unique');
    const code = totp(secret, confirmedAt + 30);
    await page.getByLabel('Code à usage unique').fill(code);
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.waitForURL('**/espace');
    await signOut(page);

    // The same code again: refused.
    await signIn(page, server, email, PASSWORD);
    await page.getByLabel('Code à usage unique').fill(code);
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.getByRole('link', { name: /Ce code a déjà servi/ }).waitFor();
    await snap(page, 'connexion-code-deja-servi');

    // A recovery code, in lower case, once.
    await page.getByLabel('Code à usage unique').fill(recovery[0].toLowerCase());
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.waitForURL('**/espace');
    await signOut(page);
    await signIn(page, server, email, PASSWORD);
    await page.getByLabel('Code à usage unique').fill(recovery[0]);
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.getByRole('link', { name: /Ce code ne convient pas/ }).waitFor();
  });
});

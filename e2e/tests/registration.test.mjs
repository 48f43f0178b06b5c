// The registration wizard, driven as a registrant would: step 1 with its live hints and
// the real proof-of-work CAPTCHA, both step-2 cases, confirmations, and the letter queued.
import assert from 'node:assert/strict';
import { appTookOver, expectNoAxeViolations, expectNoHorizontalScroll, snap, suite } from '../harness.mjs';
import { readFileSync } from 'node:fs';
import { fillIdentity, numberField, passStep1, queuedLetters, registerFirstUser, tickCaptcha } from '../wizard.mjs';

// The same table as the shared crate's test of the live hint.
const typingTable = JSON.parse(readFileSync(new URL('../../shared/tests/client_number_typing.json', import.meta.url), 'utf8'));

/** Waits until the element says exactly `text` ('' for nothing), or fails naming `what`. */
async function expectText(locator, text, what) {
  const said = await locator.evaluate((element, text) => new Promise((resolve) => {
    const done = () => element.textContent === text && resolve(text);
    new MutationObserver(done).observe(element, { childList: true, characterData: true, subtree: true });
    done();
    setTimeout(() => resolve(element.textContent), 3000);
  }), text);
  assert.equal(said, text, what);
}

const FIRST_USER = 'Vous êtes le premier utilisateur de votre établissement à vous inscrire';
const EXISTING = 'Un compte a déjà été créé par un autre utilisateur de votre établissement';

suite((it) => {
  it('étape 1 : le numéro tapé touche par touche ou collé, comme le dit la table partagée', async ({ page, server }) => {
    await page.goto(server.base + '/inscription');
    await page.getByRole('heading', { level: 1, name: 'Créer mon compte' }).waitFor();
    await page.getByText('Étape 1 sur 2').waitFor();
    // The observers below watch the app's elements, not the painted page's it replaces.
    await appTookOver(page);
    const field = numberField(page);
    assert.equal(await field.getAttribute('inputmode'), 'numeric');
    const shown = page.locator('#numero-client-message');
    const announced = page.locator('#numero-client-annonce');
    assert.equal(await announced.getAttribute('aria-live'), 'polite');
    // Every text the polite region takes is one announcement.
    await page.evaluate(() => {
      window.announcements = [];
      const region = document.getElementById('numero-client-annonce');
      new MutationObserver(() => { if (region.textContent) window.announcements.push(region.textContent); })
        .observe(region, { childList: true, characterData: true, subtree: true });
    });
    const fix = (message) => message.match(/votre numéro client est (\d+)/)?.[1];
    const expectShown = async (message, what) => {
      await expectText(shown, message, what);
      const number = fix(message);
      const button = page.getByRole('button', { name: /^Corriger en/ });
      if (number) await page.getByRole('button', { name: `Corriger en ${number}` }).waitFor();
      else assert.equal(await button.count(), 0, `${what}: no fix while the number is not certain`);
      assert.equal(await field.getAttribute('aria-invalid'), /^(\d|Format)/.test(message) || !message ? null : 'true', `${what}: aria-invalid`);
    };
    for (const { name, how, input, shown: steps, on_leaving } of typingTable.cases) {
      await field.fill('');
      await field.focus();
      await page.evaluate(() => { window.announcements = []; });
      if (how === 'typed') {
        for (const [i, key] of [...input].entries()) {
          await page.keyboard.type(key);
          await expectShown(steps[i], `${name}, touche ${i + 1} (${input.slice(0, i + 1)})`);
        }
      } else {
        await field.fill(input);
        await expectShown(steps[0], `${name}, collé`);
      }
      // Each message announced once, and the digit count never.
      const expected = steps.filter((m) => m && !/^\d/.test(m))
        .filter((m, i, all) => i === 0 || m !== all[i - 1]);
      const heard = (await page.evaluate(() => window.announcements)).map((t) => t.replace(/^Erreur\u00a0: /, ''));
      assert.deepEqual(heard, expected, `${name}: announcements`);
      await page.getByRole('heading', { level: 1 }).click();
      await expectShown(on_leaving, `${name}, en quittant le champ`);
      if (input === '000 237 517') await snap(page, 'etape1-numero-colle-imprime');
      if (input === '237.51') await snap(page, 'etape1-numero-quitte');
    }
    await expectNoAxeViolations(page);
  });

  it('étape 1 : les zéros du début sont signalés et corrigés en un clic', async ({ page, server }) => {
    await page.goto(server.base + '/inscription');
    const field = numberField(page);
    await field.pressSequentially('000237517');
    await page.locator('#numero-client-message').getByText('Ne saisissez pas les zéros du début\u00a0: votre numéro client est 237517.').waitFor();
    await snap(page, 'etape1-zeros');
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Corriger en 237517' }).click();
    assert.equal(await field.inputValue(), '237517');
    await page.locator('#numero-client-message').getByText('Format du numéro correct.').waitFor();
  });

  it('étape 1 : Valider sans rien remplir affiche le résumé des erreurs', async ({ page, server }) => {
    await page.goto(server.base + '/inscription');
    await page.getByRole('button', { name: 'Valider' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'Le formulaire contient 2 erreurs' });
    await summary.waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'resume-erreurs');
    await summary.getByRole('link', { name: 'Saisissez votre numéro client.' }).click();
    await page.waitForFunction(() => document.activeElement?.id === 'numero-client');
    await expectNoAxeViolations(page);
    await snap(page, 'etape1-resume-erreurs');
  });

  it('étape 1 : Valider pressé pendant la vérification attend sa fin, puis continue', async ({ page, server }) => {
    // The challenge comes a second late, so that the check surely still runs at the press
    // (a proof of work is sometimes found at once).
    await page.route('**/api/captcha/challenge', async (route) => {
      await new Promise((r) => setTimeout(r, 1000));
      await route.continue();
    });
    await page.goto(server.base + '/inscription');
    await numberField(page).fill('480213');
    await page.getByLabel('Je ne suis pas un robot').check();
    // At once, while the check still runs.
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.getByText('Votre demande partira dès la fin de la vérification').waitFor();
    await snap(page, 'etape-1-attente-verification');
    await page.waitForURL('**/inscription/etape-2');
    await page.getByText('Vous êtes le premier utilisateur de votre établissement à vous inscrire', { exact: false }).waitFor();
  });

  it('étape 1 : un numéro inconnu ou fermé reçoit un seul message, avec le contact', async ({ page, server }) => {
    for (const number of ['11111', '99001']) {
      await page.goto(server.base + '/inscription');
      await numberField(page).fill(number);
      await tickCaptcha(page);
      await page.getByRole('button', { name: 'Valider' }).click();
      await page.getByRole('alert').getByText('ne correspond à aucun établissement pouvant s’inscrire').waitFor();
      assert.match(page.url(), /\/inscription$/);
    }
    await snap(page, 'etape1-inconnu');
  });

  it('cas 1 de bout en bout : le premier utilisateur, puis le courrier en file', async ({ page, server }) => {
    await page.goto(server.base + '/inscription');
    await numberField(page).fill('237517');
    const solveMs = await tickCaptcha(page);
    console.log(`# CAPTCHA résolu dans le navigateur en ${solveMs} ms`);
    await snap(page, 'etape1-captcha-reussi');
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.waitForURL('**/inscription/etape-2');
    await page.getByRole('heading', { name: FIRST_USER }).waitFor();
    await page.getByText('Habitat Loire Océan SA d’HLM').first().waitFor();
    await page.getByText('Le courrier n’est pas nominatif').waitFor();
    await expectNoAxeViolations(page);
    await snap(page, 'etape2-cas1');

    // Everything wrong first: the summary lists each field.
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.getByRole('alert').filter({ hasText: 'Le formulaire contient 8 erreurs' }).waitFor();
    await expectNoAxeViolations(page);
    await snap(page, 'etape2-cas1-erreurs');

    // After that first attempt, the errors follow the fields as they are put right.
    await fillIdentity(page, { email: 'anne.lebihan@habitat-loire.fr' });
    await page.getByRole('alert').filter({ hasText: 'Le formulaire contient 2 erreurs' }).waitFor();
    await page.getByLabel('J’accepte le rôle d’administrateur').check();
    await page.getByRole('alert').filter({ hasText: 'Le formulaire contient 1 erreur' }).waitFor();
    await page.getByLabel('J’ai lu et j’accepte les Conditions Générales d’Utilisation').check();
    // A double click sends once.
    await page.getByRole('button', { name: 'Valider' }).dblclick();
    await page.waitForURL('**/inscription/confirmation');
    await page.getByRole('heading', { name: 'Votre inscription est enregistrée' }).waitFor();
    await page.getByText('représentant légal').first().waitFor();
    await expectNoAxeViolations(page);
    await snap(page, 'confirmation-cas1');

    // Refresh keeps the confirmation; back leads to step 1, where a new start would be case 2.
    await page.reload();
    await page.getByRole('heading', { name: 'Votre inscription est enregistrée' }).waitFor();
    await page.goBack();
    await page.waitForURL('**/inscription');

    const letters = await queuedLetters(server);
    assert.equal(letters.count, 1);
    assert.match(letters.text, /À l’attention du représentant légal/);
    assert.match(letters.text, /Madame Anne-Sophie Le Bihan — anne\.lebihan@habitat-loire\.fr/);
    assert.match(letters.text, /[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}/);
  });

  it('cas 2 : un compte existe, la demande part avec un mot de passe conforme', async ({ page, server, context }) => {
    // 888564 gets its first user (a candidate), in another browser.
    const first = await context.browser().newContext({ locale: 'fr-FR' });
    await registerFirstUser(await first.newPage(), server, { number: '888564', email: 'direction@grand-est-hlm.fr' });
    await first.close();
    const letters = (await queuedLetters(server)).count;
    await passStep1(page, server, '888564');
    await page.getByRole('heading', { name: EXISTING }).waitFor();
    await expectNoAxeViolations(page);
    await fillIdentity(page, { email: 'paul.martin@grand-est-hlm.fr', last: 'Martin', first: 'Paul' });
    const password = page.getByLabel('Mot de passe', { exact: true });
    await password.fill('martin2026');
    await page.getByLabel('J’ai lu et j’accepte les Conditions Générales d’Utilisation').check();
    await snap(page, 'etape2-cas2-mot-de-passe-faible');
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.getByRole('alert').filter({ hasText: 'Le formulaire contient 1 erreur' }).waitFor();
    await password.fill('Tournesol!2026-Loire');
    await page.getByText('Mot de passe suffisamment robuste.').waitFor();
    await expectNoAxeViolations(page);
    await snap(page, 'etape2-cas2');
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.waitForURL('**/inscription/confirmation');
    await page.getByRole('heading', { name: 'Votre demande est enregistrée' }).waitFor();
    await page.getByText('paul.martin@grand-est-hlm.fr').waitFor();
    await expectNoAxeViolations(page);
    await snap(page, 'confirmation-cas2');
    assert.equal((await queuedLetters(server)).count, letters, 'case 2 sends no letter');
  });

  it('Annuler à l’étape 2 revient à l’étape 1 avec le numéro, puis à l’accueil, sans rien enregistrer', async ({ page, server }) => {
    const letters = (await queuedLetters(server)).count;
    await passStep1(page, server, '480213');
    await page.getByRole('heading', { name: FIRST_USER }).waitFor();
    // Step 2 recalls the establishment and its number.
    await page.getByText('Office public de l’habitat de la Métropole').waitFor();
    await page.locator('.recall').getByText('480213').waitFor();
    await page.getByRole('button', { name: 'Annuler' }).click();
    await page.waitForURL('**/inscription');
    // Step 1 is another bundle's page, painted ahead: the app fills the number in.
    await appTookOver(page);
    assert.equal(await numberField(page).inputValue(), '480213');
    await page.getByRole('button', { name: 'Annuler' }).click();
    await page.waitForURL(server.base + '/');
    await page.goto(server.base + '/inscription/etape-2');
    await page.getByText('Votre demande d’inscription a expiré ou n’a pas été commencée').waitFor();
    assert.equal((await queuedLetters(server)).count, letters);
  });

  it('l’étape 2 arrive avant qu’on la demande : chargée dès qu’on commence l’étape 1, puis prise du cache', async ({ page, server }) => {
    const step2 = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/etape-2/')) step2.push(new URL(request.url()).pathname);
    });
    await page.goto(server.base + '/inscription');
    await appTookOver(page);
    // Whoever only looks at step 1 does not load step 2.
    assert.equal(await page.locator('link[rel=prefetch]').count(), 0);
    assert.deepEqual(step2, [], 'nothing of step 2 before the person starts');
    // Both fetched in full before step 2 is asked for, as while a person solves the CAPTCHA.
    const fetched = ['_bg.wasm', '.js'].map((end) => page.waitForEvent('requestfinished',
      (request) => /\/etape-2\/inscription-step2-[0-9a-f]+/.test(request.url()) && request.url().endsWith(end)));
    await numberField(page).pressSequentially('2');
    await Promise.all(fetched);
    assert.match(step2.join(' '), /\/etape-2\/inscription-step2-[0-9a-f]+_bg\.wasm/);
    assert.match(step2.join(' '), /\/etape-2\/inscription-step2-[0-9a-f]+\.js/);
    await numberField(page).fill('480213');
    await tickCaptcha(page);
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.waitForURL('**/inscription/etape-2');
    await page.getByRole('heading', { name: FIRST_USER }).waitFor();
    // Step 2's page took its wasm and glue from the browser's cache: nothing went over the wire.
    const transferred = await page.evaluate(() => performance.getEntriesByType('resource')
      .filter((entry) => /inscription-step2-[0-9a-f]+(_bg\.wasm|\.js)$/.test(entry.name))
      .map((entry) => [entry.name.replace(/.*\//, ''), entry.transferSize]));
    assert.equal(transferred.length, 2, JSON.stringify(transferred));
    for (const [file, bytes] of transferred) assert.equal(bytes, 0, `${file} came over the wire again`);
    await snap(page, 'etape2-apres-chargement-anticipe');
  });

  it('cas 1 au clavier seul', async ({ page, server }) => {
    const letters = (await queuedLetters(server)).count;
    await page.goto(server.base + '/inscription');
    // A key pressed and released across the takeover reaches neither box (left: see the
    // frames tests for what is carried over); the keyboard journey is the app's.
    await appTookOver(page);
    await numberField(page).focus();
    await page.keyboard.type('12345');
    await page.keyboard.press('Tab'); // the CAPTCHA box
    await page.keyboard.press('Space');
    await page.getByText('Vérification réussie.').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Valider' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL('**/inscription/etape-2');
    await page.getByRole('heading', { name: FIRST_USER }).waitFor();
    // The focus moved to the new page's content; the first stop is the civility group.
    await page.waitForFunction(() => document.activeElement?.id === 'contenu');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    const type = async (text) => { await page.keyboard.press('Tab'); await page.keyboard.type(text); };
    await type('Durand');
    await type('Claire');
    await type('Responsable financière');
    await type('claire.durand@saint-aubin.fr');
    await type('0612345678');
    await page.keyboard.press('Tab'); // J’accepte le rôle d’administrateur
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab'); // J’ai lu et j’accepte les CGU
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab'); // the CGU link
    await page.keyboard.press('Tab'); // Annuler
    await page.keyboard.press('Tab'); // Valider
    await page.keyboard.press('Enter');
    await page.waitForURL('**/inscription/confirmation');
    await page.getByRole('heading', { name: 'Votre inscription est enregistrée' }).waitFor();
    assert.equal((await queuedLetters(server)).count, letters + 1);
  });

  it('les pages de l’assistant tiennent sur 320 px', async ({ page, server }) => {
    await page.goto(server.base + '/inscription');
    await numberField(page).pressSequentially('000480213');
    await page.getByRole('button', { name: /Corriger en/ }).waitFor();
    await expectNoHorizontalScroll(page);
    await snap(page, 'etape1-320');
    await page.getByRole('button', { name: 'Corriger en 480213' }).click();
    await tickCaptcha(page);
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.waitForURL('**/inscription/etape-2');
    await expectNoHorizontalScroll(page);
    await snap(page, 'etape2-320');
  }, { width: 320, height: 800 });

  it('le tutoriel et les CGU sont disponibles', async ({ page, server }) => {
    const pdf = await fetch(server.base + '/documents/tutoriel-inscription.pdf');
    assert.equal(pdf.status, 200);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    assert.equal(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString(), '%PDF-');
    await page.goto(server.base + '/cgu');
    await page.getByRole('heading', { level: 1, name: /Conditions Générales d’Utilisation/ }).waitFor();
    await expectNoAxeViolations(page);
  });
});

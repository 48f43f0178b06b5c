// The app's frame: home page, the way to registration, the not-found page.
import assert from 'node:assert/strict';
import { appTookOver, expectNoAxeViolations, expectNoHorizontalScroll, holdWasm, snap, suite } from '../harness.mjs';

suite((it) => {
  it('la page d’accueil s’affiche sans défaut d’accessibilité', async ({ page, server }) => {
    await page.goto(server.base + '/');
    await page.getByRole('heading', { level: 1, name: 'Bienvenue sur les services en ligne' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    // The lender's name and phone come from the configuration (LENDER_NAME, SUPPORT_PHONE).
    assert.equal(await page.title(), 'Accueil — Caisse d’essai des territoires — Services en ligne');
    await page.getByRole('banner').getByText('Caisse d’essai des territoires').waitFor();
    await page.getByRole('contentinfo').getByRole('link', { name: 'Contactez-nous' }).waitFor();
    const phone = page.getByRole('contentinfo').getByRole('link', { name: '01 23 45 67 89' });
    assert.equal(await phone.getAttribute('href'), 'tel:0123456789');
    assert.equal(await phone.textContent(), '01\u00a023\u00a045\u00a067\u00a089');
    assert.equal(await page.getByText('Prêteur public').count(), 0);
    await page.getByRole('link', { name: 'Se connecter', exact: true }).waitFor();
    await expectNoAxeViolations(page);
    await snap(page, 'accueil-1280');
  });

  it('le lien d’évitement mène au contenu', async ({ page, server }) => {
    await page.goto(server.base + '/');
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.keyboard.press('Tab');
    // Read in one evaluation: the app may take over the painted page between a locator's
    // lookup and its evaluation (it gives the focus to its own link, the same one).
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Aller au contenu');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'contenu');
  });

  it('« Créer un compte » mène à l’étape 1 de l’inscription', async ({ page, server }) => {
    await page.goto(server.base + '/');
    await page.getByRole('link', { name: 'Créer un compte' }).click();
    await page.waitForURL('**/inscription');
    await page.getByRole('heading', { level: 1, name: 'Créer mon compte' }).waitFor();
    await page.getByText('Étape 1 sur 2').waitFor();
    await expectNoAxeViolations(page);
  });

  it('les pages changent sans rechargement, Précédent revient, l’espace connecté se charge à part', async ({ page, server }) => {
    const sameDocument = () => page.evaluate(() => window.sameDocument === true);
    await page.goto(server.base + '/');
    await page.getByRole('heading', { level: 1, name: 'Bienvenue sur les services en ligne' }).waitFor();
    // Before the app, the painted page's link loads /inscription as a new document.
    await appTookOver(page);
    await page.evaluate(() => { window.sameDocument = true; });
    await page.getByRole('link', { name: 'Créer un compte' }).click();
    await page.getByRole('heading', { level: 1, name: 'Créer mon compte' }).waitFor();
    // The new page takes the focus, and the app did not reload.
    await page.waitForFunction(() => document.activeElement?.id === 'contenu');
    assert.equal(await sameDocument(), true);
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Bienvenue sur les services en ligne' }).waitFor();
    assert.equal(await sameDocument(), true);

    // The signed-in spaces are the other bundle: loaded by the browser, from their own files.
    const scripts = [];
    page.on('request', (request) => { if (request.url().endsWith('.wasm')) scripts.push(new URL(request.url()).pathname); });
    await page.goto(server.base + '/espace');
    await page.getByText('vous n’êtes pas connecté', { exact: false }).waitFor();
    await snap(page, 'espace-sans-session');
    assert.equal(await page.getByRole('button', { name: 'Se déconnecter' }).count(), 0);
    assert.equal(scripts.length, 1);
    assert.match(scripts[0], /^\/espaces\/inscription-spaces-[0-9a-f]+_bg\.wasm$/);
    await page.evaluate(() => { window.sameDocument = true; });
    // Its link to the sign-in loads the access bundle (sign-in and the other pages open to
    // all but the wizard), and its page takes the focus as well.
    await page.getByRole('main').getByRole('link', { name: 'Se connecter', exact: true }).click();
    await page.waitForURL('**/connexion');
    await page.getByRole('heading', { level: 1, name: 'Se connecter', exact: true }).waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'contenu');
    assert.equal(await sameDocument(), false);
    assert.match(scripts[1], /^\/acces\/inscription-access-[0-9a-f]+_bg\.wasm$/);
    // The operators' back office is another bundle, which people of establishments never load.
    await page.goto(server.base + '/operateur');
    await page.getByRole('heading', { level: 1 }).waitFor();
    assert.equal(scripts.length, 3);
    assert.match(scripts[2], /^\/back-office\/inscription-operators-[0-9a-f]+_bg\.wasm$/);
  });

  it('une adresse inconnue affiche la page introuvable', async ({ page, server }) => {
    const response = await page.goto(server.base + '/cette/page/nexiste/pas');
    assert.equal(response.status(), 200);
    await page.getByRole('heading', { level: 1, name: 'Page introuvable' }).waitFor();
    await page.getByRole('link', { name: 'Retour à l’accueil' }).click();
    await page.getByRole('heading', { level: 1, name: 'Bienvenue sur les services en ligne' }).waitFor();
    await expectNoAxeViolations(page);
    await snap(page, 'introuvable-1280');
  });

  it('les pages légales sont au pied de chaque page, avec les durées de conservation configurées', async ({ page, server }) => {
    const footerLink = (name) => page.getByRole('contentinfo').getByRole('link', { name });
    for (const start of ['/', '/inscription', '/connexion', '/espace']) {
      await page.goto(server.base + start);
      await page.getByRole('heading', { level: 1 }).waitFor();
      for (const name of ['Mentions légales', 'Données personnelles', 'Accessibilité : non conforme', 'Conditions d’utilisation']) {
        await footerLink(name).waitFor();
      }
    }
    await footerLink('Mentions légales').click();
    await page.getByRole('heading', { level: 1, name: 'Mentions légales' }).waitFor();
    assert.equal(await page.title(), 'Mentions légales — Caisse d’essai des territoires — Services en ligne');
    await page.getByText('Ces services en ligne sont édités par Caisse d’essai des territoires').waitFor();
    await page.getByText('Hébergeur d’essai, 1 rue de la Paix, 75002 Paris').waitFor();
    await expectNoAxeViolations(page);
    await snap(page, 'mentions-legales');

    await footerLink('Données personnelles').click();
    await page.getByRole('heading', { level: 1, name: 'Données personnelles' }).waitFor();
    const durations = page.getByRole('region', { name: 'Durées de conservation' });
    const row = (what) => durations.getByRole('row', { name: what });
    assert.match(await row('Courriels envoyés').textContent(), /10\sjours après l’envoi/);
    assert.match(await row('Demande d’accès dont l’adresse électronique n’a pas été confirmée').textContent(), /7\sjours après la demande/);
    assert.match(await row('Journal des événements de sécurité').textContent(), /365\sjours, puis pseudonymisé/);
    await expectNoAxeViolations(page);
    await snap(page, 'donnees-personnelles');

    await footerLink('Accessibilité : non conforme').click();
    await page.getByRole('heading', { level: 1, name: 'Déclaration d’accessibilité' }).waitFor();
    await page.getByText('aucun audit de conformité', { exact: false }).waitFor();
    await expectNoAxeViolations(page);
    await snap(page, 'accessibilite');
  });

  it('les pages légales sont à l’écran avant le WebAssembly, avec l’hébergeur et les durées configurés', async ({ page, server }) => {
    const release = await holdWasm(page);
    await page.goto(server.base + '/mentions-legales', { waitUntil: 'domcontentloaded' });
    await page.getByRole('heading', { level: 1, name: 'Mentions légales' }).waitFor();
    await page.getByText('Hébergeur d’essai, 1 rue de la Paix, 75002 Paris').waitFor();
    assert.equal(await page.getByText('sur ses propres serveurs').count(), 0);
    assert.equal(await page.title(), 'Mentions légales — Caisse d’essai des territoires — Services en ligne');
    assert.equal(await page.locator('#coquille').count(), 1, 'the app has not come yet');
    await snap(page, 'mentions-legales-avant-le-webassembly');

    await page.goto(server.base + '/donnees-personnelles', { waitUntil: 'domcontentloaded' });
    await page.getByRole('heading', { level: 1, name: 'Données personnelles' }).waitFor();
    const row = (what) => page.getByRole('region', { name: 'Durées de conservation' }).getByRole('row', { name: what });
    assert.match(await row('Courriels envoyés').textContent(), /10\sjours après l’envoi/);
    assert.match(await row('Demande refusée, compte ou candidature annulés').textContent(), /90\sjours après la clôture/);
    assert.equal(await page.locator('#coquille').count(), 1, 'the app has not come yet');
    await snap(page, 'donnees-personnelles-avant-le-webassembly');

    // The app takes the page over and says the same.
    release();
    await appTookOver(page);
    assert.match(await row('Courriels envoyés').textContent(), /10\sjours après l’envoi/);
  });

  it('le cadre de la page est dans le HTML, peint avant le WebAssembly, au nom du prêteur configuré', async ({ page, server }) => {
    const html = await (await page.request.get(server.base + '/inscription')).text();
    assert.match(html, /<div id=coquille>/);
    // Painted ahead with its first view, in the configured lender's name and number.
    assert.match(html, /class="brand__name">Caisse d’essai des territoires</);
    assert.match(html, /<title>Créer mon compte — Étape 1 sur 2 — Caisse d’essai des territoires — Services en ligne<\/title>/);
    assert.match(html, /href="tel:0123456789">01\u00a023\u00a045\u00a067\u00a089</);
    assert.doesNotMatch(html, /Prêteur public|0800887300|0\u00a0800/);
    // Once the app has started, its own frame replaces it: one banner, one main.
    await page.goto(server.base + '/inscription');
    await page.getByRole('heading', { level: 1, name: 'Créer mon compte' }).waitFor();
    await appTookOver(page);
    assert.equal(await page.getByRole('banner').count(), 1);
    assert.equal(await page.getByRole('main').count(), 1);
  });

  it('l’accueil tient sur un écran de 320 px', async ({ page, server }) => {
    await page.goto(server.base + '/');
    await page.getByRole('heading', { level: 1 }).waitFor();
    await expectNoHorizontalScroll(page);
    await snap(page, 'accueil-320');
  }, { width: 320, height: 800 });
}, {
  env: {
    LENDER_NAME: 'Caisse d’essai des territoires', SUPPORT_PHONE: '01 23 45 67 89',
    EMAIL_RETENTION_DAYS: '10', HOSTING: 'Hébergeur d’essai, 1 rue de la Paix, 75002 Paris',
  },
});

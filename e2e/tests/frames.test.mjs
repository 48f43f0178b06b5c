// The public pages painted ahead (e2e/frames.mjs): on screen from the HTML, before the
// WebAssembly; what a person types there is kept when the app takes over; the frames are
// the app's own first views, up to date.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { capture, FRAMED, frameFile } from '../frames.mjs';
import { appTookOver, holdWasm, snap, suite } from '../harness.mjs';

suite((it) => {
  it('chaque page peinte d’avance est la première vue que l’application dessine', async ({ context, server }) => {
    for (const path of FRAMED) {
      const drawn = await capture(context.browser(), server.base, path);
      assert.equal(drawn, readFileSync(frameFile(path), 'utf8'),
        `${frameFile(path)} n’est plus ce que l’application dessine : node e2e/frames.mjs l’écrit à nouveau`);
    }
  });

  it('l’étape 1 est à l’écran avant le WebAssembly, et ce qui y est tapé est gardé', async ({ page, server }) => {
    const release = await holdWasm(page);
    await page.goto(server.base + '/inscription', { waitUntil: 'domcontentloaded' });
    // The page's title, heading, stepper and labelled field, from the HTML alone.
    assert.equal(await page.title(), 'Créer mon compte — Étape 1 sur 2 — Prêteur public — Services en ligne');
    await page.getByRole('heading', { level: 1, name: 'Créer mon compte' }).waitFor();
    await page.getByText('Étape 1 sur 2').waitFor();
    const number = page.getByLabel('Numéro client', { exact: true });
    await number.fill('000237517');
    assert.equal(await page.locator('#coquille').count(), 1, 'the app has not come yet');
    await snap(page, 'inscription-avant-le-webassembly');

    release();
    await appTookOver(page);
    assert.equal(await number.inputValue(), '000237517');
    assert.equal(await number.evaluate((el) => el === document.activeElement), true);
    // The app's live hint answers what was typed before it came.
    const message = page.locator('#numero-client-message');
    await page.waitForFunction(() => /zéros du début/.test(document.getElementById('numero-client-message').textContent));
    assert.match(await message.textContent(), /237517/);
    await snap(page, 'inscription-reprise-par-l-application');
  });

  it('la page peinte d’avance est à l’écran avant que l’application ne la reprenne', async ({ page, server }) => {
    // Its heading's first paint (Element Timing), and the moment the app takes over.
    await page.addInitScript(() => {
      window.seen = {};
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.seen.heading ??= entry.renderTime;
      }).observe({ type: 'element', buffered: true });
      new MutationObserver(() => {
        const heading = document.querySelector('h1');
        if (heading && !heading.hasAttribute('elementtiming')) heading.setAttribute('elementtiming', 'titre');
        if (window.seen.takenOver === undefined && heading && !document.getElementById('coquille')) window.seen.takenOver = performance.now();
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(server.base + '/connexion');
    await page.waitForFunction(() => window.seen.takenOver !== undefined && window.seen.heading !== undefined);
    const { heading, takenOver } = await page.evaluate(() => window.seen);
    assert.ok(heading < takenOver, `heading painted at ${heading} ms, app took over at ${takenOver} ms`);
  });

  it('le JavaScript de l’application n’est demandé qu’après la première peinture', async ({ page, server }) => {
    // Fetched and compiled while the page was laid out and rastered, it delayed the paint
    // (BENCHMARKS.md, 2026-12-06): the start-up module imports it once the page is painted,
    // or after half a second in a tab that paints late.
    await page.goto(server.base + '/inscription');
    await appTookOver(page);
    const { fcp, scripts } = await page.evaluate(() => ({
      fcp: performance.getEntriesByName('first-contentful-paint')[0].startTime,
      scripts: performance.getEntriesByType('resource').filter((r) => r.name.endsWith('.js'))
        .map((r) => [new URL(r.name).pathname, r.startTime]),
    }));
    assert.ok(scripts.some(([path]) => /^\/inscription-app-[0-9a-f]+\.js$/.test(path)), `the glue: ${JSON.stringify(scripts)}`);
    for (const [path, start] of scripts) {
      assert.ok(start >= Math.min(fcp, 500), `${path} asked for at ${start} ms, the page painted at ${fcp} ms`);
    }
  });

  it('un JavaScript de l’application altéré en chemin est refusé par son empreinte', async ({ context, server }) => {
    // The glue is imported without a modulepreload link: the page's import map keeps its
    // Subresource Integrity hash. (A page of its own: its refusal is an expected error.)
    const page = await context.newPage();
    await page.route(/\/inscription-app-[0-9a-f]+\.js$/, async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, body: `${await response.text()}\nwindow.altere = true;` });
    });
    const refused = page.waitForEvent('pageerror');
    await page.goto(server.base + '/inscription');
    assert.match((await refused).message, /Failed to fetch dynamically imported module/);
    assert.equal(await page.evaluate(() => window.altere), undefined);
    assert.equal(await page.locator('#coquille').count(), 1, 'the app did not start');
  });

  it('à la connexion, ce qui est tapé et Entrée avant l’application sont repris par elle, jamais envoyés dans l’adresse', async ({ page, server }) => {
    const release = await holdWasm(page);
    await page.goto(server.base + '/connexion', { waitUntil: 'domcontentloaded' });
    await page.getByRole('heading', { level: 1, name: 'Se connecter', exact: true }).waitFor();
    await page.getByLabel('Adresse électronique').fill('personne@example.fr');
    await page.getByLabel('Mot de passe', { exact: true }).fill('Secret-du-test-2026');
    await page.keyboard.press('Enter');
    release();
    await appTookOver(page);
    // The app sent the sign-in that Enter asked for: the server's answer is on the page.
    await page.getByText('Adresse électronique ou mot de passe incorrect.').first().waitFor();
    assert.equal(new URL(page.url()).search, '', 'the browser sent the form');
    assert.equal(await page.getByLabel('Adresse électronique').inputValue(), 'personne@example.fr');
  });

  it('au formulaire de contact, l’objet choisi avant l’application est gardé par elle', async ({ page, server }) => {
    const release = await holdWasm(page);
    await page.goto(server.base + '/contact', { waitUntil: 'domcontentloaded' });
    await page.getByLabel('Vos prénom et nom').fill('Marie Dupont');
    await page.getByLabel('Objet').selectOption('Numéro client introuvable');
    await page.getByLabel('Votre message').fill('Bonjour.');
    release();
    await appTookOver(page);
    assert.equal(await page.getByLabel('Vos prénom et nom').inputValue(), 'Marie Dupont');
    assert.equal(await page.getByLabel('Objet').inputValue(), 'Numéro client introuvable');
    assert.equal(await page.getByLabel('Votre message').inputValue(), 'Bonjour.');
    await snap(page, 'contact-repris-par-l-application');
  });

  it('le lien d’évitement atteint au clavier avant l’application garde le focus', async ({ page, server }) => {
    const release = await holdWasm(page);
    await page.goto(server.base + '/', { waitUntil: 'domcontentloaded' });
    await page.keyboard.press('Tab');
    release();
    await appTookOver(page);
    const skip = page.getByRole('link', { name: 'Aller au contenu' });
    assert.equal(await skip.evaluate((el) => el === document.activeElement), true);
  });

  it('la case « Je ne suis pas un robot » cochée avant l’application est cochée par elle', async ({ page, server }) => {
    const release = await holdWasm(page);
    await page.goto(server.base + '/inscription', { waitUntil: 'domcontentloaded' });
    // The number's hint, once the app gives it, adds a button (« Corriger en 237517 »)
    // before the box: the app still ticks the box, and leaves the number as typed.
    await page.getByLabel('Numéro client', { exact: true }).fill('000237517');
    await page.getByLabel('Je ne suis pas un robot').check();
    release();
    await appTookOver(page);
    await page.getByText('Vérification réussie.').waitFor({ timeout: 30_000 });
    assert.equal(await page.getByLabel('Je ne suis pas un robot').isChecked(), true);
    assert.equal(await page.getByLabel('Numéro client', { exact: true }).inputValue(), '000237517');
    await page.getByRole('button', { name: 'Corriger en 237517' }).waitFor();
  });

  it('« Valider » pressé avant l’application, sans rien remplir : elle montre les deux erreurs', async ({ page, server }) => {
    const release = await holdWasm(page);
    await page.goto(server.base + '/inscription', { waitUntil: 'domcontentloaded' });
    await page.getByRole('button', { name: 'Valider' }).click();
    release();
    await appTookOver(page);
    const summary = page.getByRole('alert').filter({ hasText: 'Le formulaire contient 2 erreurs' });
    await summary.getByRole('link', { name: 'Saisissez votre numéro client.' }).waitFor();
    await summary.getByRole('link', { name: 'Cochez la case «\u00a0Je ne suis pas un robot\u00a0».' }).waitFor();
    assert.equal(await page.getByLabel('Numéro client', { exact: true }).getAttribute('aria-invalid'), 'true');
    await snap(page, 'etape1-valider-avant-l-application');
  });

  it('une adresse avec une requête n’est pas peinte d’avance : l’application la dessine', async ({ page, server }) => {
    const painted = await (await page.request.get(server.base + '/connexion')).text();
    assert.match(painted, /<h1>Se connecter<\/h1>/);
    const queried = await (await page.request.get(server.base + '/connexion?service=x')).text();
    assert.doesNotMatch(queried, /<h1/);
    assert.match(queried, /<div id=coquille>/);
  });
});

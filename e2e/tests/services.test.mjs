// Signing in to the lender's online services through the portal (PRODUCT.md §11), with a
// relying party no one here wrote: Apache's mod_auth_openidc, protecting a demo service.
import assert from 'node:assert/strict';
import { expectNoAxeViolations, freePort, snap, suite } from '../harness.mjs';
import { connectedService, startRelyingParty } from '../relying_party.mjs';
import { activeAdministrator, signInOperator } from '../wizard.mjs';

const ADMIN = 'anne.lebihan@habitat-loire.fr';
const PASSWORD = 'Tournesol!2026-Loire';

suite((it) => {
  it('un service en ligne connecte la personne par le portail, avec ses habilitations, et la déconnecte', async ({ page, server }) => {
    const consultation = await connectedService(server, {
      clientId: 'consultation-prets', service: 'consultation', title: 'Consultation des encours',
    });
    let closed;
    try {
      await activeAdministrator(page, server, { number: '237517', email: ADMIN, password: PASSWORD });
      // A service added to the catalogue after the activation: nobody holds it yet.
      await server.command('services', 'add', 'espace-test', '--label', 'Espace de test');
      closed = await connectedService(server, {
        clientId: 'espace-test', service: 'espace-test', title: 'Espace de test',
      });

      // Single sign-on: signed in to the portal, the service does not ask again.
      await page.goto(consultation.base + '/service/');
      await page.getByRole('heading', { name: 'Consultation des encours' }).waitFor();
      assert.equal(await page.locator('#courriel').textContent(), ADMIN);
      assert.equal(await page.locator('#nom').textContent(), 'Anne-Sophie Le Bihan');
      assert.match(await page.locator('#habilitations').textContent(), /consultation/);
      assert.match(await page.locator('#etablissement').textContent(), /237517/);
      await snap(page, 'service-connecte');

      // Without the right: stopped on the portal's French page, which says whom to ask.
      await page.goto(closed.base + '/service/');
      await page.getByRole('heading', { name: 'Vous n’avez pas accès au service « Espace de test »' }).waitFor();
      await page.getByRole('alert').getByText('Votre compte n’a pas l’habilitation « Espace de test »').waitFor();
      await page.getByRole('listitem').getByText('Madame Anne-Sophie Le Bihan').waitFor();
      assert.ok(page.url().startsWith(server.base + '/oidc/authorize'));
      await expectNoAxeViolations(page);
      await snap(page, 'service-refuse');

      // Signing out of the service ends the portal's session too.
      await page.goto(consultation.base + '/service/');
      await page.getByRole('link', { name: 'Se déconnecter' }).click();
      await page.getByRole('heading', { name: 'Vous avez quitté le service' }).waitFor();
      assert.equal((await page.request.get(server.base + '/api/me')).status(), 401);

      // Not signed in: the service sends the person to the portal's sign-in, then back.
      await page.goto(consultation.base + '/service/');
      await page.waitForURL('**/connexion?suite=**');
      await page.getByLabel('Adresse électronique professionnelle').fill(ADMIN);
      await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
      await snap(page, 'service-connexion');
      await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
      await page.getByRole('heading', { name: 'Consultation des encours' }).waitFor();
      assert.equal(await page.locator('#courriel').textContent(), ADMIN);
    } catch (e) {
      console.error(consultation.log(), closed?.log());
      throw e;
    } finally {
      await consultation.stop();
      await closed?.stop();
    }
  });

  it('depuis un autre site, une personne déjà connectée au portail n’a rien à ressaisir', async ({ page, server }) => {
    // The session cookie is SameSite=Strict: a navigation from another site does not carry
    // it, so the sign-in page finds the session itself and goes on.
    const email = 'claire.durand@saint-aubin.fr';
    const service = await connectedService(server, {
      clientId: 'courriers-autre-site', service: 'courriers', title: 'Courriers et documents', host: 'localhost',
    });
    try {
      await activeAdministrator(page, server, { number: '12345', email, password: PASSWORD });
      const visited = [];
      page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) visited.push(frame.url()); });
      // A link of the service's own site, as a person follows it.
      await page.goto(service.base + '/');
      await page.getByRole('link', { name: 'Accéder au service' }).click();
      await page.getByRole('heading', { name: 'Courriers et documents' }).waitFor();
      assert.equal(await page.locator('#courriel').textContent(), email);
      assert.ok(page.url().startsWith(service.base));
      // It went through the sign-in page, which asked for nothing.
      assert.ok(visited.some((url) => url.startsWith(server.base + '/connexion?suite=')), visited.join('\n'));
    } catch (e) {
      console.error(service.log());
      throw e;
    } finally {
      await service.stop();
    }
  });

  it('un opérateur enregistre un service depuis le back office, qui connecte aussitôt les personnes', async ({ page, server, context }) => {
    const operator = 'claire.operatrice@preteur.example';
    const password = 'Guichet!Courrier-2026';
    await server.commandWithInput(`${password}\n`, 'operator', operator, '--name', 'Claire Opératrice');
    await signInOperator(page, server, operator, password);
    await page.waitForURL('**/operateur');
    await page.getByRole('link', { name: 'Services connectés' }).click();
    await page.getByRole('heading', { name: 'Enregistrer un service' }).waitFor();

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    await page.getByLabel('Identifiant du service (client_id)').fill('dossiers-instruction');
    await page.getByLabel('Nom du service').fill('Dossiers en cours');
    await page.getByLabel('Habilitation qui ouvre le service').selectOption({ label: 'Dossiers en cours d’instruction et pièces jointes' });
    // An address that is neither HTTPS nor on this machine is refused, in French.
    await page.getByLabel('Adresses de retour').fill('http://dossiers.example/retour');
    await page.getByRole('button', { name: 'Enregistrer le service' }).click();
    await page.getByText('doit commencer par https://').first().waitFor();
    await expectNoAxeViolations(page);
    await snap(page, 'operateur-service-adresse-refusee');

    await page.getByLabel('Adresses de retour').fill(`${base}/service/redirect_uri`);
    await page.getByLabel('Adresses après déconnexion (facultatif)').fill(`${base}/au-revoir.html`);
    await page.getByRole('button', { name: 'Enregistrer le service' }).click();
    const notice = page.locator('#secret-du-service');
    await notice.getByText('affiché cette seule fois').waitFor();
    const secret = await notice.locator('code').textContent();
    assert.match(secret, /^[A-Za-z0-9_-]{43}$/);
    await page.getByRole('row', { name: /Dossiers en cours/ }).getByText('Confidentiel').waitFor();
    await expectNoAxeViolations(page);
    await snap(page, 'operateur-service-enregistre');

    // A person of an establishment signs in to it at once, with the secret the page showed.
    const service = await startRelyingParty({ provider: server.base, clientId: 'dossiers-instruction', secret, port, host: '127.0.0.1', title: 'Dossiers en cours' });
    const person = await context.browser().newContext({ locale: 'fr-FR', extraHTTPHeaders: { 'x-forwarded-for': '198.18.9.9' } });
    try {
      const other = await person.newPage();
      const email = 'marc.petit@metropole-habitat.fr';
      await activeAdministrator(other, server, { number: '480213', email, password: 'Tournesol!2026-Loire' });
      await other.goto(service.base + '/service/');
      await other.getByRole('heading', { name: 'Dossiers en cours' }).waitFor();
      assert.equal(await other.locator('#courriel').textContent(), email);
    } catch (e) {
      console.error(service.log());
      throw e;
    } finally {
      await person.close();
      await service.stop();
    }

    // A new secret, after a confirmation: the old one stops at once.
    await page.getByRole('button', { name: 'Nouveau secret : Dossiers en cours' }).click();
    await page.getByText('Le secret actuel cessera aussitôt de fonctionner.').waitFor();
    await page.getByRole('button', { name: 'Confirmer le nouveau secret' }).click();
    await page.getByText(/renouvelé le/).waitFor();
    const renewed = await page.locator('#secret-du-service code').textContent();
    assert.notEqual(renewed, secret);
    const audit = await page.request.get(server.base + '/api/operator/audit?kind=oidc');
    const actions = (await audit.json()).map((entry) => entry.action);
    assert.ok(actions.includes('oidc.client_registered') && actions.includes('oidc.secret_rotated'), actions.join(', '));
  });
});

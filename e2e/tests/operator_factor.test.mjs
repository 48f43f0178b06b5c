// The operators' second factor (PRODUCT.md §3bis), as an operator meets it: their first
// sign-in asks them to add a one-time code app before the back office opens; every sign-in
// after asks its code; a session opened with the password alone before the app was added
// proves it first.
import assert from 'node:assert/strict';
import { expectNoAxeViolations, snap, suite } from '../harness.mjs';
import { signIn, totp } from '../wizard.mjs';

const PASSWORD = 'Guichet!Courrier-2026';

suite((it) => {
  it('un opérateur ajoute son application à sa première connexion, puis se connecte avec son code', async ({ page, server, context }) => {
    const operator = 'bruno.martel@preteur.example';
    await server.commandWithInput(`${PASSWORD}\n`, 'operator', operator, '--name', 'Bruno Martel');
    // A second browser, signed in with the password alone before the app exists.
    const office = await context.browser().newContext({ locale: 'fr-FR', extraHTTPHeaders: { 'x-forwarded-for': '198.18.9.10' } });
    const older = await office.newPage();
    await signIn(older, server, operator, PASSWORD);
    await older.getByRole('heading', { name: 'Second facteur obligatoire' }).waitFor();

    // The back office sends them to the step; its pages answer nothing else meanwhile.
    await signIn(page, server, operator, PASSWORD);
    await page.waitForURL('**/operateur/securite');
    await page.getByRole('heading', { name: 'Second facteur obligatoire' }).waitFor();
    const letters = await page.request.get(server.base + '/api/operator/letters');
    assert.equal(letters.status(), 403);
    await expectNoAxeViolations(page);
    await snap(page, 'operateur-second-facteur-obligatoire');
    await page.getByRole('button', { name: 'Ajouter une application de codes à usage unique' }).click();
    const secret = (await page.locator('#cle-secrete').textContent()).replace(/\s/g, '');
    await page.getByLabel('Code affiché par l’application').fill('000000');
    await page.getByRole('button', { name: 'Confirmer' }).click();
    await page.getByText('Ce code ne convient pas.').first().waitFor();
    const addedAt = Date.now() / 1000;
    await page.getByLabel('Code affiché par l’application').fill(totp(secret, addedAt));
    await page.getByRole('button', { name: 'Confirmer' }).click();
    await page.getByText('Voici vos codes de secours.').waitFor();
    const codes = await page.locator('.recovery-codes code').allTextContents();
    assert.equal(codes.length, 10);
    await expectNoAxeViolations(page);
    await snap(page, 'operateur-codes-de-secours');
    await page.getByRole('button', { name: 'J’ai conservé mes codes de secours' }).click();
    await page.waitForURL('**/operateur');
    await page.getByText('Les courriers aux représentants légaux attendent ici').waitFor();

    // The older session proves the app before its pages open.
    await older.goto(server.base + '/operateur');
    await older.getByText('Cette session a été ouverte avec votre seul mot de passe').waitFor();
    await older.getByLabel('Code à usage unique').fill(totp(secret, addedAt + 30));
    await expectNoAxeViolations(older);
    await snap(older, 'operateur-session-ancienne');
    await older.getByRole('button', { name: 'Confirmer mon identité' }).click();
    await older.getByText('Les courriers aux représentants légaux attendent ici').waitFor();
    await office.close();

    // Signing in again: the password, then a recovery code (the app's codes of this
    // half-minute have served).
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.waitForURL('**/connexion');
    await signIn(page, server, operator, PASSWORD);
    await page.getByText('Votre mot de passe est juste.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Utiliser ma clé d’accès' }).count(), 0, 'operators hold no passkey');
    await page.getByLabel('Code à usage unique').fill(codes[0]);
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.waitForURL('**/operateur');
    await page.getByText('Les courriers aux représentants légaux attendent ici').waitFor();
  });
});

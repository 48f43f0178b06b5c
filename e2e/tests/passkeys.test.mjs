// Passkeys ("clés d'accès", PRODUCT.md §3bis) in a real browser: Chromium's virtual
// authenticator (DevTools protocol, WebAuthn domain) stands for the computer's own, with
// user verification. Passkeys belong to a domain name, so this suite's portal is served
// and visited at `localhost`.
import assert from 'node:assert/strict';
import { expectNoAxeViolations, snap, suite } from '../harness.mjs';
import { activeAdministrator, requestAccess, signIn } from '../wizard.mjs';

const PASSWORD = 'Tournesol!2026-Loire';

/** A platform authenticator that keeps its passkeys and verifies its user. */
async function virtualAuthenticator(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2', transport: 'internal', hasResidentKey: true,
      hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true,
    },
  });
  return {
    credentials: async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials,
    /** Holds a passkey of another authenticator's (a synced passkey), its counter with it. */
    add: (credential) => cdp.send('WebAuthn.addCredential', { authenticatorId, credential }),
    /** The person cancels, or their fingerprint is not recognised. */
    refuse: (refused) => cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: !refused }),
  };
}

async function signOut(page) {
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await page.waitForURL((url) => url.pathname === '/');
}

suite((it) => {
  it('une clé d’accès s’ajoute, confirme la connexion, connecte seule, confirme l’identité, puis se retire', async ({ page, server, context }) => {
    const email = 'anne.lebihan@habitat-loire.fr';
    const authenticator = await virtualAuthenticator(page);
    await activeAdministrator(page, server, { number: '237517', email, password: PASSWORD });
    // Another browser of the administrator's, signed in with the password before the
    // passkey exists: its session never proves it.
    const office = await context.browser().newContext({ locale: 'fr-FR', extraHTTPHeaders: { 'x-forwarded-for': '198.18.7.12' } });
    const old = await office.newPage();
    const synced = await virtualAuthenticator(old);
    await signIn(old, server, email, PASSWORD);
    await old.waitForURL('**/espace');
    await page.getByRole('link', { name: 'Sécurité de mon compte' }).click();

    // A name is asked first; then the authenticator creates a passkey it keeps.
    await page.getByRole('button', { name: 'Ajouter une clé d’accès' }).click();
    await page.getByRole('link', { name: /Donnez un nom à cette clé d’accès/ }).waitFor();
    await page.getByLabel('Nom de la nouvelle clé d’accès').fill('Ordinateur du bureau');
    await page.getByRole('button', { name: 'Ajouter une clé d’accès' }).click();
    // The first factor comes with ten recovery codes, shown once.
    await page.getByText('Votre clé d’accès protège désormais votre compte').waitFor();
    const recovery = await page.locator('.recovery-codes code').allTextContents();
    assert.equal(recovery.length, 10);
    await snap(page, 'securite-cle-d-acces-codes-de-secours');
    await page.getByRole('button', { name: 'J’ai conservé mes codes de secours' }).click();
    await page.getByText('Codes de secours restants : 10').waitFor();
    await page.getByRole('listitem').filter({ hasText: 'Ordinateur du bureau' }).getByText(/ajoutée le .*, jamais utilisée/).waitFor();
    const [created] = await authenticator.credentials();
    assert.equal(created.isResidentCredential, true, 'a passkey the authenticator keeps');
    assert.equal(created.rpId, 'localhost');
    await expectNoAxeViolations(page);
    await snap(page, 'securite-cle-d-acces-ajoutee');
    assert.match(await server.command('outbox', email), /Objet\s:\sClé d’accès ajoutée à votre compte/);
    await page.goto(server.base + '/espace');
    await signOut(page);

    // The password, then the passkey.
    await signIn(page, server, email, PASSWORD);
    await page.getByText('Votre mot de passe est juste. Pour terminer, utilisez votre clé d’accès.').waitFor();
    await page.getByText('Sans elle, saisissez le code de votre application de codes à usage unique ou l’un de vos codes de secours.').waitFor();
    await expectNoAxeViolations(page);
    await snap(page, 'connexion-cle-d-acces');
    await page.getByRole('button', { name: 'Utiliser ma clé d’accès' }).click();
    await page.waitForURL('**/espace');
    await signOut(page);

    // The person's own check fails (a fingerprint not recognised): said in French.
    await page.goto(server.base + '/connexion');
    await authenticator.refuse(true);
    await page.getByRole('button', { name: 'Se connecter avec une clé d’accès' }).click();
    await page.getByText('La clé d’accès n’a pas répondu, ou la demande a été annulée.').waitFor();
    await authenticator.refuse(false);

    // The passkey alone: nothing typed, the authenticator names the person.
    await snap(page, 'connexion-page-avec-cle');
    await page.getByRole('button', { name: 'Se connecter avec une clé d’accès' }).click();
    await page.waitForURL('**/espace');
    await page.getByText('Anne-Sophie').first().waitFor();
    const [used] = await authenticator.credentials();
    assert.ok(used.signCount > created.signCount, `the counter moved on (${created.signCount} → ${used.signCount})`);
    await page.goto(server.base + '/espace/donnees');
    await page.getByText(/^«\sOrdinateur du bureau\s», ajoutée le .*, utilisée le /).waitFor();

    // In the other browser, validating a request asks for the passkey, which has reached
    // that computer too (synced, as a phone's passkeys are).
    await requestAccess(context, server, '237517', 'paul.martin@habitat-loire.fr', { address: '198.18.7.11' });
    await old.goto(server.base + '/espace/administration');
    const request = old.getByRole('article', { name: 'Monsieur Paul Martin' });
    await request.getByLabel('Consultation des encours et des échéanciers').check();
    await request.getByRole('button', { name: 'Valider la demande' }).click();
    await old.getByRole('alert').getByText('Cette action demande de confirmer votre identité').waitFor();
    await expectNoAxeViolations(old);
    await snap(old, 'administration-confirmer-identite-cle');
    await synced.add((await authenticator.credentials())[0]);
    await old.getByRole('button', { name: 'Utiliser ma clé d’accès' }).click();
    await old.getByText('Identité confirmée. Recommencez votre action.').waitFor();
    await request.getByRole('button', { name: 'Valider la demande' }).click();
    await old.getByText('Demande de Monsieur Paul Martin validée.').waitFor();
    await office.close();

    // Removed after a confirmation: the authenticator still offers it, the portal refuses it.
    await page.goto(server.base + '/espace/securite');
    await page.getByRole('button', { name: 'Retirer la clé d’accès « Ordinateur du bureau »' }).click();
    await page.getByText('Elle ne confirmera plus vos connexions.').waitFor();
    await expectNoAxeViolations(page);
    await snap(page, 'securite-retirer-cle-d-acces');
    await page.getByRole('button', { name: 'Oui, retirer' }).click();
    await page.getByText('Aucune clé d’accès n’est enregistrée sur votre compte.').waitFor();
    assert.equal(await page.getByRole('listitem').filter({ hasText: 'Ordinateur du bureau' }).count(), 0);
    assert.match(await server.command('outbox', email), /Objet\s:\sClé d’accès retirée de votre compte/);
    await page.goto(server.base + '/espace');
    await signOut(page);
    await page.goto(server.base + '/connexion');
    await page.getByRole('button', { name: 'Se connecter avec une clé d’accès' }).click();
    await page.getByText('Cette clé d’accès n’a pas été reconnue.').waitFor();
    await snap(page, 'connexion-cle-d-acces-refusee');
    // The password alone signs in again.
    await signIn(page, server, email, PASSWORD);
    await page.waitForURL('**/espace');
  });
}, { host: 'localhost' });

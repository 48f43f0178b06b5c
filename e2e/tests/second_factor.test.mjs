// The second factor (PRODUCT.md §3bis): a one-time code app added from "Sécurité de mon
// compte" — the test is the app, computing the codes from the key the page shows — then
// asked at every sign-in; a code serves once, and so does a recovery code.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectNoAxeViolations, snap, suite } from '../harness.mjs';
import { activeAdministrator, enrolTotp, requestAccess, signIn, signInOperator, totp } from '../wizard.mjs';

const PASSWORD = 'Tournesol!2026-Loire';

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
    // "Mes données" says what is kept of it (never the key).
    await page.goto(server.base + '/espace/donnees');
    await page.getByText(/^application de codes à usage unique ajoutée le .*, 10\scodes de secours restants$/).waitFor();
    await page.goto(server.base + '/espace');
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

  it('le niveau au-dessus réinitialise le second facteur : l’administrateur celui d’un utilisateur, le prêteur celui d’un administrateur', async ({ page, server, context }) => {
    const admin = 'marc.petit@metropole-habitat.fr';
    const paul = 'paul.martin@metropole-habitat.fr';
    await activeAdministrator(page, server, { number: '480213', email: admin, password: PASSWORD });
    // The app their role requires.
    await enrolTotp(page);
    await page.goto(server.base + '/espace');

    // Paul asks for access and is validated.
    const other = await requestAccess(context, server, '480213', paul, { address: '198.18.7.7' });
    await page.getByRole('link', { name: 'Administration de mon établissement' }).click();
    const request = page.getByRole('article', { name: 'Monsieur Paul Martin' });
    await request.getByLabel('Consultation des encours et des échéanciers').check();
    await request.getByRole('button', { name: 'Valider la demande' }).click();
    await page.getByText('Demande de Monsieur Paul Martin validée.').waitFor();

    // Paul adds an app, then loses his phone: his administrator resets it.
    await signIn(other, server, paul, PASSWORD);
    await other.waitForURL('**/espace');
    await enrolTotp(other);
    await page.reload();
    const row = page.getByRole('row', { name: /Paul Martin/ });
    await row.getByText('Second facteur', { exact: true }).waitFor();
    await row.getByRole('button', { name: 'Réinitialiser le second facteur… de Paul Martin' }).click();
    await row.getByText('sa prochaine connexion ne demandera que son mot de passe').waitFor();
    await expectNoAxeViolations(page);
    await snap(page, 'administration-reinitialiser-second-facteur');
    await row.getByRole('button', { name: 'Confirmer la réinitialisation' }).click();
    await page.getByText('Second facteur de Monsieur Paul Martin réinitialisé').waitFor();
    await signIn(other, server, paul, PASSWORD);
    await other.waitForURL('**/espace');
    assert.match(await server.command('outbox', paul), /Le second facteur de votre compte a été réinitialisé/);

    // The administrator's own is not theirs to reset: the lender's operator does it.
    await page.goto(server.base + '/espace/administration');
    const own = page.getByRole('row', { name: /marc\.petit@metropole-habitat\.fr/ });
    await own.getByText('Second facteur', { exact: true }).waitFor();
    assert.equal(await own.getByRole('button', { name: /^Réinitialiser/ }).count(), 0);
    const lender = await context.browser().newContext({ locale: 'fr-FR', extraHTTPHeaders: { 'x-forwarded-for': '198.18.7.8' } });
    const operator = await lender.newPage();
    await server.commandWithInput('Guichet!Courrier-2026\n', 'operator', 'claire.operatrice@preteur.example', '--name', 'Claire Opératrice');
    await signInOperator(operator, server, 'claire.operatrice@preteur.example', 'Guichet!Courrier-2026');
    await operator.waitForURL('**/operateur');
    await operator.getByRole('link', { name: 'Annuaire' }).click();
    await operator.getByLabel('Numéro client ou raison sociale').fill('480213');
    await operator.getByRole('button', { name: 'Rechercher' }).click();
    await operator.getByRole('link', { name: /Métropole/ }).click();
    const account = operator.getByRole('row', { name: /marc\.petit@metropole-habitat\.fr/ });
    await account.getByRole('button', { name: 'Réinitialiser… de Madame Anne-Sophie Le Bihan' }).click();
    await account.getByRole('button', { name: 'Confirmer la réinitialisation' }).click();
    await operator.getByText('Second facteur de Madame Anne-Sophie Le Bihan réinitialisé').waitFor();
    await expectNoAxeViolations(operator);
    await snap(operator, 'operateur-second-facteur-reinitialise');
    // Their sessions ended with it; the password alone signs them in again.
    await page.goto(server.base + '/espace');
    await page.getByText('Votre session a expiré ou vous n’êtes pas connecté.').waitFor();
    await signIn(page, server, admin, PASSWORD);
    await page.waitForURL('**/espace');
    await lender.close();
  });

  it('valider une demande demande de confirmer le code quand la dernière preuve est ancienne', async ({ page, server, context }) => {
    const admin = 'claire.durand@saint-aubin.fr';
    await activeAdministrator(page, server, { number: '12345', email: admin, password: PASSWORD });
    // Another browser's session, opened with the password before the app was added: it
    // has never proved it (adding the app proves it for the session that adds it).
    const office = await context.browser().newContext({ locale: 'fr-FR', extraHTTPHeaders: { 'x-forwarded-for': '198.18.7.10' } });
    const old = await office.newPage();
    await signIn(old, server, admin, PASSWORD);
    await old.waitForURL('**/espace');
    const secret = await enrolTotp(page);
    const enrolledAt = Date.now() / 1000;
    await requestAccess(context, server, '12345', 'paul.martin@saint-aubin.fr', { address: '198.18.7.9' });
    await old.goto(server.base + '/espace/administration');
    const request = old.getByRole('article', { name: 'Monsieur Paul Martin' });
    await request.getByLabel('Consultation des encours et des échéanciers').check();
    await request.getByRole('button', { name: 'Valider la demande' }).click();
    await old.getByRole('alert').getByText('Cette action demande de confirmer votre identité').waitFor();
    await old.getByLabel('Code à usage unique').fill(totp(secret, enrolledAt + 30));
    await expectNoAxeViolations(old);
    await snap(old, 'administration-confirmer-identite');
    await old.getByRole('button', { name: 'Confirmer mon identité' }).click();
    await old.getByText('Code accepté. Recommencez votre action.').waitFor();
    await request.getByLabel('Consultation des encours et des échéanciers').check();
    await request.getByRole('button', { name: 'Valider la demande' }).click();
    await old.getByText('Demande de Monsieur Paul Martin validée.').waitFor();
    await office.close();
  });
});

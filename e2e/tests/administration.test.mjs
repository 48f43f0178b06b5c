// The administrator's side: a colleague's request validated with chosen rights, the last
// administrator protected, and the colleague's "Mes habilitations".
import { expectNoAxeViolations, snap, suite } from '../harness.mjs';
import { enrolTotp, fillIdentity, leaveWelcome, passStep1, registerFirstUser, signIn } from '../wizard.mjs';

const ADMIN = 'anne.lebihan@habitat-loire.fr';
const PAUL = 'paul.martin@habitat-loire.fr';
const PASSWORD = 'Tournesol!2026-Loire';

suite((it) => {
  it('l’administrateur valide une demande avec les habilitations choisies', async ({ page, server, context }) => {
    const code = await registerFirstUser(page, server, { number: '237517', email: ADMIN });
    await signIn(page, server, ADMIN, code);
    await page.waitForURL('**/activation');
    await page.getByLabel('Nouveau mot de passe').fill(PASSWORD);
    await page.getByRole('button', { name: 'Valider' }).click();
    await leaveWelcome(page);
    await page.getByRole('link', { name: 'Administration de mon établissement' }).click();
    await page.getByText('Vous êtes le seul administrateur de votre établissement.').waitFor();
    await page.getByText('Aucune demande en attente.').waitFor();
    await expectNoAxeViolations(page);

    // A colleague asks for access, in another browser.
    const colleague = await context.browser().newContext({ locale: 'fr-FR' });
    const other = await colleague.newPage();
    await passStep1(other, server, '237517');
    await fillIdentity(other, { email: PAUL, last: 'Martin', first: 'Paul' });
    await other.getByLabel('Monsieur').check();
    await other.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
    await other.getByLabel('J’ai lu et j’accepte les Conditions Générales d’Utilisation').check();
    await other.getByRole('button', { name: 'Valider' }).click();
    await other.waitForURL('**/inscription/confirmation');
    const mail = await server.command('outbox', PAUL);
    const link = mail.match(/https?:\/\/\S+jeton=\S+/)[0];
    await other.goto(link);
    await other.getByText('Votre adresse électronique est confirmée.').waitFor();
    await snap(other, 'courriel-confirme');

    await page.reload();
    const request = page.getByRole('article', { name: 'Monsieur Paul Martin' });
    await request.getByLabel('Consultation des encours et des échéanciers').check();
    // An administrator's role asks a second factor from the activation on: the console
    // says where to add it, and waits for it.
    await page.getByRole('status').filter({ hasText: 'Votre rôle d’administrateur demande un second facteur' })
      .getByRole('link', { name: 'Sécurité de mon compte' }).waitFor();
    await snap(page, 'administration-second-facteur-exige');
    await request.getByRole('button', { name: 'Valider la demande' }).click();
    await page.getByRole('alert').getByText('Votre rôle d’administrateur demande un second facteur').waitFor();
    await expectNoAxeViolations(page);
    await snap(page, 'administration-second-facteur-refus');
    await page.goto(server.base + '/espace');
    await enrolTotp(page);
    await page.goto(server.base + '/espace/administration');
    await request.getByLabel('Consultation des encours et des échéanciers').check();
    await request.getByLabel('Saisie des demandes de prêt').check();
    await expectNoAxeViolations(page);
    await snap(page, 'administration-demande');
    await request.getByRole('button', { name: 'Valider la demande' }).click();
    await page.getByText('Demande de Monsieur Paul Martin validée.').waitFor();
    await page.getByText('Aucune demande en attente.').waitFor();
    await page.getByRole('row', { name: /Paul Martin/ }).getByText('Saisie des demandes de prêt').waitFor();

    // The only administrator cannot step down.
    await page.getByRole('button', { name: 'Retirer le rôle d’administrateur : Anne-Sophie Le Bihan' }).click();
    await page.getByRole('alert').getByText('doit garder au moins un administrateur actif').waitFor();
    await expectNoAxeViolations(page);
    await snap(page, 'administration-utilisateurs');

    // The colleague signs in and reads "Mes habilitations".
    await signIn(other, server, PAUL, PASSWORD);
    await other.waitForURL('**/espace');
    await other.getByRole('link', { name: 'Mes habilitations' }).click();
    await other.getByText('Consultation des encours et des échéanciers').waitFor();
    await other.getByText('Saisie des demandes de prêt').waitFor();
    await other.getByText('Madame Anne-Sophie Le Bihan').waitFor();
    await expectNoAxeViolations(other);
    await snap(other, 'mes-habilitations');
    await colleague.close();
  });
});

// "Mes données" (PRODUCT.md §12): a person sees what is kept, downloads it as JSON,
// corrects it, and closes their account; the last administrator is told why they cannot.
// An operator erases a person on request from the establishment's page.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { expectNoAxeViolations, snap, suite } from '../harness.mjs';
import { activeAdministrator, enrolTotp, requestAccess, signIn, signInOperator } from '../wizard.mjs';

const PASSWORD = 'Tournesol!2026-Loire';

const administrator = (page, server, number, email) =>
  activeAdministrator(page, server, { number, email, password: PASSWORD });

suite((it) => {
  it('Mes données : voir, télécharger, corriger ; le dernier administrateur ne peut pas fermer son compte', async ({ page, server }) => {
    const email = 'anne.lebihan@metropole-habitat.fr';
    await administrator(page, server, '480213', email);
    await page.getByRole('link', { name: 'Mes données' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mes données' }).waitFor();
    const facts = page.locator('dl.facts');
    await facts.getByText(email).waitFor();
    await facts.getByText('02 40 12 34 56').waitFor();
    await facts.getByText('(numéro client 480213)', { exact: false }).waitFor();
    await expectNoAxeViolations(page);
    await snap(page, 'mes-donnees');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Télécharger mes données (JSON)' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'mes-donnees.json');
    const kept = JSON.parse(readFileSync(await download.path(), 'utf8'));
    assert.equal(kept.account.email, email);
    assert.equal(kept.establishment.client_number, '480213');
    assert.ok(kept.events.some((e) => e.action === 'account.activated'), JSON.stringify(kept.events.map((e) => e.action)));
    assert.ok(kept.sessions.length >= 1);

    // A wrong correction is refused field by field; a right one is kept.
    await page.getByLabel('Nom', { exact: true }).fill('');
    await page.getByLabel('Téléphone professionnel').fill('12');
    await page.getByRole('button', { name: 'Enregistrer mes corrections' }).click();
    await page.getByRole('heading', { name: 'Le formulaire contient 2 erreurs' }).waitFor();
    await expectNoAxeViolations(page);
    await snap(page, 'mes-donnees-erreurs');
    await page.getByLabel('Nom', { exact: true }).fill('Le Bihan-Morel');
    await page.getByLabel('Téléphone professionnel').fill('02 51 00 00 01');
    await page.getByRole('button', { name: 'Enregistrer mes corrections' }).click();
    await page.getByText('Vos corrections sont enregistrées.').waitFor();
    await facts.getByText('02 51 00 00 01').waitFor();
    await facts.getByText('Madame Anne-Sophie Le Bihan-Morel').waitFor();

    // The only administrator is told why the account stays.
    await page.getByRole('button', { name: 'Fermer mon compte…' }).click();
    await page.getByRole('button', { name: 'Oui, fermer mon compte' }).click();
    await page.getByText('Vous êtes le dernier administrateur actif de votre établissement', { exact: false }).waitFor();
    await expectNoAxeViolations(page);
    await snap(page, 'mes-donnees-dernier-administrateur');
  });

  it('Mes données : un utilisateur ferme son compte, ses données sont effacées', async ({ page, server, context }) => {
    const admin = 'admin@saint-aubin.fr';
    const paul = 'paul.martin@saint-aubin.fr';
    await administrator(page, server, '12345', admin);
    await enrolTotp(page);
    const other = await requestAccess(context, server, '12345', paul);
    await page.goto(server.base + '/espace/administration');
    await page.getByRole('article', { name: 'Monsieur Paul Martin' }).getByRole('button', { name: 'Valider la demande' }).click();
    await page.getByText('Demande de Monsieur Paul Martin validée.').waitFor();

    await signIn(other, server, paul, PASSWORD);
    await other.waitForURL('**/espace');
    await other.goto(server.base + '/espace/donnees');
    await other.getByRole('button', { name: 'Fermer mon compte…' }).click();
    await other.getByRole('button', { name: 'Non, le garder' }).click();
    await other.getByRole('button', { name: 'Fermer mon compte…' }).click();
    await other.getByRole('button', { name: 'Oui, fermer mon compte' }).click();
    await other.getByText('Votre compte est fermé et vos données sont effacées.').waitFor();
    await expectNoAxeViolations(other);
    await snap(other, 'mes-donnees-compte-ferme');

    await signIn(other, server, paul, PASSWORD);
    await other.getByText('Adresse électronique ou mot de passe incorrect', { exact: false }).waitFor();
    const mail = await server.command('outbox', paul);
    assert.match(mail, /est fermé et vos données sont effacées/);
    // The administrator's console no longer lists him.
    await page.reload();
    await page.getByRole('heading', { level: 1 }).waitFor();
    assert.equal(await page.getByText('Paul Martin').count(), 0);
  });

  it('un opérateur efface les données d’une personne à sa demande', async ({ page, server, context }) => {
    await administrator(page, server, '237517', 'admin@habitat-loire.fr');
    await requestAccess(context, server, '237517', 'lea.petit@habitat-loire.fr');
    const operatorContext = await context.browser().newContext({ locale: 'fr-FR' });
    const operator = await operatorContext.newPage();
    await server.commandWithInput('Guichet!Courrier-2026\n', 'operator', 'claire.operatrice@preteur.example', '--name', 'Claire Opératrice');
    await signInOperator(operator, server, 'claire.operatrice@preteur.example', 'Guichet!Courrier-2026');
    await operator.waitForURL('**/operateur');
    await operator.getByRole('link', { name: 'Annuaire' }).click();
    await operator.getByLabel('Numéro client ou raison sociale').fill('237517');
    await operator.getByRole('button', { name: 'Rechercher' }).click();
    await operator.getByRole('link', { name: 'Habitat Loire Océan SA d’HLM' }).click();
    const erasure = operator.getByRole('region', { name: 'Effacer les données d’une personne' });
    await erasure.getByLabel('Personne').selectOption({ label: 'Monsieur Paul Martin — lea.petit@habitat-loire.fr (En attente de validation)' });
    await erasure.getByLabel('Motif (gardé dans le journal)').fill('Demande écrite de la personne');
    await erasure.getByRole('button', { name: 'Effacer ses données' }).click();
    await operator.getByText('Les données de la personne sont effacées', { exact: false }).waitFor();
    await operator.getByRole('cell', { name: 'Données effacées' }).or(operator.getByRole('rowheader', { name: /Données effacées/ })).first().waitFor();
    assert.equal(await operator.getByText('lea.petit@habitat-loire.fr').count(), 0);
    await expectNoAxeViolations(operator);
    await snap(operator, 'operateur-effacement');
    // The last administrator is not erased: the reason is shown.
    await erasure.getByLabel('Personne').selectOption({ index: 0 });
    await erasure.getByLabel('Motif (gardé dans le journal)').fill('Demande écrite');
    await erasure.getByRole('button', { name: 'Effacer ses données' }).click();
    await operator.getByText('re-désignez d’abord l’établissement', { exact: false }).waitFor();
    await operatorContext.close();
  });
});

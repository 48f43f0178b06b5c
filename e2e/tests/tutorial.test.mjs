// The registration tutorial's screens, taken from the real pages along the whole journey:
// step 1, case 1, its confirmation, activation, case 2, the administrator's console. They
// go to e2e/artifacts/tutorial/; with TUTORIAL_UPDATE=1 (scripts/tutorial-screens.sh) to
// server/tutorial/, which the server builds into /documents/tutoriel-inscription.pdf.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from '../harness.mjs';
import { enrolTotp, fillIdentity, leaveWelcome, lastLetterCodes, numberField, passStep1, pdfText, signIn, tickCaptcha } from '../wizard.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const folder = process.env.TUTORIAL_UPDATE === '1'
  ? join(root, 'server', 'tutorial')
  : join(root, 'e2e', 'artifacts', 'tutorial');

const ADMIN = 'anne.lebihan@habitat-loire.fr';
const PAUL = 'paul.martin@habitat-loire.fr';
const PASSWORD = 'Tournesol!2026-Loire';

/** The page's content (no header or footer, which carry the lender's name), at most 680 px high. */
async function shoot(page, file) {
  mkdirSync(folder, { recursive: true });
  // In the page's coordinates, whatever the scroll.
  const box = await page.locator('#contenu').evaluate((main) => {
    const r = main.getBoundingClientRect();
    return { x: r.x + window.scrollX, y: r.y + window.scrollY, width: r.width, height: r.height };
  });
  await page.screenshot({
    path: join(folder, file),
    fullPage: true,
    clip: { x: box.x, y: box.y, width: box.width, height: Math.min(box.height, 680) },
  });
}

suite((it) => {
  it('le tutoriel d’inscription montre les vrais écrans du parcours', async ({ page, server, context }) => {
    // Step 1: the printed number typed with its zeros, and the one-click fix offered.
    await page.goto(server.base + '/inscription');
    await numberField(page).pressSequentially('000237517');
    await page.getByRole('button', { name: 'Corriger en 237517' }).waitFor();
    await shoot(page, '01-numero.png');
    await page.getByRole('button', { name: 'Corriger en 237517' }).click();
    await tickCaptcha(page);
    await shoot(page, '02-etape-1.png');
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.waitForURL('**/inscription/etape-2');

    // Case 1, filled in, then its confirmation.
    await fillIdentity(page, { email: ADMIN });
    await page.getByLabel('J’accepte le rôle d’administrateur').check();
    await page.getByLabel('J’ai lu et j’accepte les Conditions Générales d’Utilisation').check();
    await shoot(page, '03-cas-1.png');
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.waitForURL('**/inscription/confirmation');
    await shoot(page, '04-confirmation-cas-1.png');

    // Activation with the letter's code.
    const { code } = await lastLetterCodes(server);
    await signIn(page, server, ADMIN, code);
    await page.waitForURL('**/activation');
    await page.getByLabel('Nouveau mot de passe').fill(PASSWORD);
    await page.getByText('Mot de passe suffisamment robuste.').waitFor();
    await shoot(page, '05-activation.png');
    await page.getByRole('button', { name: 'Valider' }).click();
    await leaveWelcome(page);

    // Case 2: a colleague asks for access and confirms the address.
    const colleague = await context.browser().newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
    const other = await colleague.newPage();
    await passStep1(other, server, '237517');
    await fillIdentity(other, { email: PAUL, last: 'Martin', first: 'Paul' });
    await other.getByLabel('Monsieur').check();
    await other.getByLabel('Fonction').fill('Chargé de gestion des prêts');
    await other.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
    await other.getByLabel('J’ai lu et j’accepte les Conditions Générales d’Utilisation').check();
    await shoot(other, '06-cas-2.png');
    await other.getByRole('button', { name: 'Valider' }).click();
    await other.waitForURL('**/inscription/confirmation');
    const mail = await server.command('outbox', PAUL);
    await other.goto(mail.match(/https?:\/\/\S+jeton=\S+/)[0]);
    await other.getByText('Votre adresse électronique est confirmée.').waitFor();
    await colleague.close();

    // The administrator's console with the request, rights chosen, once the second factor
    // the role requires is added.
    await enrolTotp(page);
    await page.goto(server.base + '/espace');
    await page.getByRole('link', { name: 'Administration de mon établissement' }).click();
    const request = page.getByRole('article', { name: 'Monsieur Paul Martin' });
    await request.getByLabel('Consultation des encours et des échéanciers').check();
    await request.getByLabel('Saisie des demandes de prêt').check();
    await shoot(page, '07-administration.png');

    // The tutorial the product serves walks the same journey.
    const pdf = await fetch(server.base + '/documents/tutoriel-inscription.pdf');
    assert.equal(pdf.status, 200);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    const tutorial = pdfText(Buffer.from(await pdf.arrayBuffer()));
    for (const title of [
      'Avant de commencer : votre numéro client',
      'Étape 1 sur 2 : votre établissement',
      'Cas 1 : vous êtes le premier utilisateur de votre établissement',
      'Le courrier au représentant légal',
      'Activer votre compte d’administrateur',
      'Cas 2 : un compte existe déjà pour votre établissement',
      'Premiers pas de l’administrateur',
    ]) {
      assert.ok(tutorial.includes(title), `« ${title} » is in the tutorial`);
    }
    assert.ok(tutorial.includes('votre rôle demande un second facteur'), 'the administrator adds one first');
  });
});

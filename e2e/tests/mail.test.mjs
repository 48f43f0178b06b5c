// E-mails that cannot be sent, as the operators see them (issue 12): the mail server here
// refuses every connection, so each e-mail waits for its next try, and the outbox says so.
import { expectNoAxeViolations, snap, suite } from '../harness.mjs';
import { signInOperator, tickCaptcha } from '../wizard.mjs';

const OPERATOR = 'claire.operatrice@preteur.example';
const OPERATOR_PASSWORD = 'Guichet!Courrier-2026';

suite((it) => {
  it('un courriel non remis attend son prochain essai, et l’opérateur le voit', async ({ page, server, context }) => {
    await page.goto(server.base + '/contact');
    await page.getByLabel('Vos prénom et nom').fill('Marie Dupont');
    await page.getByLabel('Votre adresse électronique').fill('marie.dupont@exemple.fr');
    await page.getByLabel('Objet').selectOption('Numéro client introuvable');
    await page.getByLabel('Votre message').fill('Bonjour, nous ne trouvons pas notre numéro client.');
    await tickCaptcha(page);
    await page.getByRole('button', { name: 'Envoyer le message' }).click();
    await page.getByText('Votre message a bien été envoyé.').waitFor();

    const console = await (await context.browser().newContext({ locale: 'fr-FR' })).newPage();
    await server.commandWithInput(`${OPERATOR_PASSWORD}\n`, 'operator', OPERATOR, '--name', 'Claire Opératrice');
    await signInOperator(console, server, OPERATOR, OPERATOR_PASSWORD);
    await console.waitForURL('**/operateur');
    await console.getByRole('link', { name: 'Courriels' }).click();
    await console.getByText('Les courriels partent par le serveur SMTP configuré').waitFor();
    // The acknowledgement to the visitor (the support's copy mentions her address too).
    await console.locator('summary', { hasText: '— à marie.dupont@exemple.fr —' })
      .filter({ hasText: 'non envoyé, nouvel essai prévu (1 essai en échec)' }).waitFor();
    await expectNoAxeViolations(console);
    await snap(console, 'operateur-courriels-en-echec');
  });
}, { env: { SMTP_URL: 'smtp://127.0.0.1:9' } });

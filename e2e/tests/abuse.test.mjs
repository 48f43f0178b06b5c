// Abuse resistance as people see it (issue 12): strangers guessing a candidate's code from
// elsewhere never lock the candidate out — the page asks for a "Je ne suis pas un robot"
// proof, the code still works, and the candidate and the operators are told of the
// failed tries; operators see new first users grouped by the address they came from.
// (The harness stands for a trusted load balancer: X-Forwarded-For names the client.)
import assert from 'node:assert/strict';
import { expectNoAxeViolations, snap, suite } from '../harness.mjs';
import { registerFirstUser, signIn, signInOperator, tickCaptcha } from '../wizard.mjs';

const EMAIL = 'anne.lebihan@habitat-loire.fr';
const OPERATOR = 'claire.operatrice@preteur.example';
const OPERATOR_PASSWORD = 'Guichet!Courrier-2026';

/** A wrong sign-in on `email` sent by a stranger from `address` (behind the trusted load balancer). */
async function strangerSignIn(server, address, password, email = EMAIL) {
  const response = await fetch(`${server.base}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-inscription': '1', 'x-forwarded-for': address },
    body: JSON.stringify({ email, password }),
  });
  return response.status;
}

suite((it) => {
  it('des essais venus d’ailleurs ne bloquent pas le candidat : une vérification lui est demandée', async ({ page, server }) => {
    const code = await registerFirstUser(page, server, { number: '237517', email: EMAIL });
    for (let i = 0; i < 5; i += 1) {
      assert.equal(await strangerSignIn(server, `203.0.113.${i}`, 'AAAA-BBBB-CCCC'), 401);
    }
    await signIn(page, server, EMAIL, code);
    // The summary links to the box to tick, under the password.
    await page.getByRole('alert').getByRole('link', { name: /^Plusieurs tentatives de connexion ont échoué pour ce compte/ }).waitFor();
    await page.getByLabel('Je ne suis pas un robot').waitFor();
    await expectNoAxeViolations(page);
    await snap(page, 'connexion-verification-demandee');
    await tickCaptcha(page);
    await page.getByLabel('Mot de passe', { exact: true }).fill(code);
    await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
    await page.waitForURL('**/activation');
    await page.getByText('Depuis l’envoi du courrier, 5\u00a0essais avec un mot de passe temporaire erroné ont eu lieu sur votre compte.', { exact: false }).waitFor();
    await expectNoAxeViolations(page);
    await snap(page, 'activation-essais-errones');
  });

  it('l’opérateur voit les essais de code et les inscriptions par adresse', async ({ page, server, context, address }) => {
    // A candidate of its own, registered from this test's address, and five wrong codes.
    const email = 'jean.perrin@habitat-mediterranee.fr';
    const candidate = await context.newPage();
    await registerFirstUser(candidate, server, { number: '164301', email });
    await candidate.close();
    for (let i = 0; i < 5; i += 1) {
      assert.equal(await strangerSignIn(server, `203.0.113.${50 + i}`, 'AAAA-BBBB-CCCC', email), 401);
    }
    await server.commandWithInput(`${OPERATOR_PASSWORD}\n`, 'operator', OPERATOR, '--name', 'Claire Opératrice');
    await signInOperator(page, server, OPERATOR, OPERATOR_PASSWORD);
    await page.waitForURL('**/operateur');
    await page.getByRole('combobox', { name: 'Afficher' }).selectOption({ label: 'Tous' });
    await page.getByRole('row', { name: new RegExp(email) }).getByText('5\u00a0essais de code erronés').waitFor();
    const region = page.getByRole('region', { name: 'Premiers utilisateurs par adresse' });
    const row = region.getByRole('row', { name: new RegExp(`^${address.replaceAll('.', '\\.')}\\s`) });
    await row.getByText('164301 Coopérative Habitat Méditerranée').waitFor();
    await expectNoAxeViolations(page);
    await snap(page, 'operateur-essais-et-adresses');
  });
});

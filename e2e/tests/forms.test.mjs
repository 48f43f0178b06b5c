// What every form does the same way (app/src/components/form.rs): the shared rules
// checked before anything is sent, the error summary taking the focus, errors that follow
// the person's corrections once a first submit was tried, and the server's refusal kept on
// screen when the form itself clears a field.
import assert from 'node:assert/strict';
import { expectNoAxeViolations, snap, suite } from '../harness.mjs';

suite((it) => {
  it('après un premier envoi, les erreurs suivent chaque correction', async ({ page, server }) => {
    await page.goto(server.base + '/contact');
    const summary = page.locator('.error-summary');
    await page.getByRole('button', { name: 'Envoyer le message' }).click();
    await summary.getByRole('heading', { name: 'Le formulaire contient 5 erreurs' }).waitFor();
    // The summary takes the focus, so that a screen reader reads it first.
    await page.waitForFunction(() => document.activeElement?.id === 'resume-erreurs');
    assert.equal(await page.getByLabel('Vos prénom et nom').getAttribute('aria-invalid'), 'true');

    // Corrected without sending again: its error goes as it is typed.
    await page.getByLabel('Vos prénom et nom').fill('Marie Dupont');
    await summary.getByRole('heading', { name: 'Le formulaire contient 4 erreurs' }).waitFor();
    assert.equal(await page.getByLabel('Vos prénom et nom').getAttribute('aria-invalid'), null);
    // A field made wrong again is said again, with the rule of the shared crate.
    await page.getByLabel('Votre adresse électronique').fill('marie.dupont@');
    await summary.getByRole('heading', { name: 'Le formulaire contient 4 erreurs' }).waitFor();
    await page.getByLabel('Votre adresse électronique').fill('marie.dupont@exemple.fr');
    await summary.getByRole('heading', { name: 'Le formulaire contient 3 erreurs' }).waitFor();
    await expectNoAxeViolations(page);
    await snap(page, 'formulaire-erreurs-suivies');
  });

  it('le refus du serveur reste affiché quand le formulaire vide le mot de passe', async ({ page, server }) => {
    await page.goto(server.base + '/connexion');
    await page.getByLabel('Adresse électronique professionnelle').fill('personne@exemple.fr');
    await page.getByLabel('Mot de passe', { exact: true }).fill('Pas-le-bon-1234');
    await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
    const summary = page.locator('.error-summary');
    await summary.getByText('Adresse électronique ou mot de passe incorrect', { exact: false }).waitFor();
    assert.equal(await page.getByLabel('Mot de passe', { exact: true }).inputValue(), '');
    // The cleared password is the form's doing, not the person's: no local error replaces
    // the server's answer.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    assert.equal(await summary.getByText('Saisissez votre mot de passe.').count(), 0);
    // Once the person types, the errors follow them again.
    await page.getByLabel('Adresse électronique professionnelle').fill('');
    await summary.getByRole('link', { name: 'Saisissez votre adresse électronique.' }).waitFor();
  });
});

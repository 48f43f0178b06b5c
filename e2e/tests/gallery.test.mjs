// The designers' gallery: every state of the wizard with sample data, no back end needed.
import assert from 'node:assert/strict';
import { expectNoAxeViolations, expectNoHorizontalScroll, snap, suite } from '../harness.mjs';

suite((it) => {
  for (const width of [1280, 320]) {
    it(`la galerie montre chaque état, accessible, à ${width} px`, async ({ page, server }) => {
      const apiCalls = [];
      page.on('request', (r) => { if (r.url().includes('/api/')) apiCalls.push(r.url()); });
      await page.goto(server.base + '/galerie');
      await page.getByRole('heading', { level: 1, name: 'Galerie des états de l’inscription' }).waitFor();
      for (const text of [
        'Ne saisissez pas les zéros du début : votre numéro client est 237517.',
        'Le numéro client ne contient que des chiffres : retirez les lettres.',
        'Format du numéro correct.',
        'Vérification en cours…',
        'Vérification réussie.',
        'Le formulaire contient 2 erreurs',
        'Vous êtes le premier utilisateur de votre établissement à vous inscrire',
        'Un compte a déjà été créé par un autre utilisateur de votre établissement',
        'Votre inscription est enregistrée',
        'Votre demande est enregistrée',
      ]) {
        await page.getByText(text).first().waitFor();
      }
      await expectNoAxeViolations(page);
      await expectNoHorizontalScroll(page);
      await snap(page, `galerie-${width}`);
      assert.deepEqual(apiCalls, [], 'the gallery needs no back end');
    }, { width, height: 900 });
  }
});

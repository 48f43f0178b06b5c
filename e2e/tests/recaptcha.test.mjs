// Step 1 in reCAPTCHA mode, against local stand-ins of Google's script (served in place of
// https://www.google.com/recaptcha/api.js) and of its siteverify API (RECAPTCHA_VERIFY_URL).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { expectNoAxeViolations, snap, suite } from '../harness.mjs';
import { numberField } from '../wizard.mjs';

/** Siteverify: every token the stand-in script made is good for 127.0.0.1, ticked now. */
async function startSiteverify() {
  const seen = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => { body += chunk; });
    request.on('end', () => {
      const form = new URLSearchParams(body);
      seen.push(form.get('response'));
      const good = form.get('secret') === 'secret-de-test' && form.get('response')?.startsWith('jeton-');
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(good
        ? { success: true, hostname: '127.0.0.1', challenge_ts: new Date().toISOString() }
        : { success: false, 'error-codes': ['invalid-input-response'] }));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/recaptcha/api/siteverify`, seen, server };
}

// Google's widget, reduced to its contract: render() returns an id and calls `callback`
// with a token when ticked; reset(id) unticks; `expired-callback` after the token's life
// (here on demand, through window.expireRecaptcha).
const STAND_IN_SCRIPT = `
(() => {
  let tokens = 0;
  const widgets = [];
  window.grecaptcha = {
    render(element, options) {
      const id = widgets.length;
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.id = 'recaptcha-' + id;
      const label = document.createElement('label');
      label.htmlFor = box.id;
      label.textContent = 'Je ne suis pas un robot';
      box.addEventListener('change', () => {
        if (box.checked) setTimeout(() => options.callback('jeton-' + (++tokens) + '-' + crypto.randomUUID()), 50);
      });
      element.append(box, label);
      widgets.push({ box, options });
      window.expireRecaptcha = () => { box.checked = false; options['expired-callback'](); };
      return id;
    },
    reset(id) { widgets[id].box.checked = false; window.resets = (window.resets ?? 0) + 1; },
    getResponse() { return ''; },
  };
  const onload = new URL(document.currentScript.src).searchParams.get('onload');
  window[onload]();
})();
`;

const siteverify = await startSiteverify();

suite((it) => {
  async function openStep1(page, server) {
    await page.route('https://www.google.com/recaptcha/api.js**', (route) =>
      route.fulfill({ contentType: 'text/javascript', body: STAND_IN_SCRIPT }));
    await page.goto(server.base + '/inscription');
    // Google's widget, not the self-hosted box the app draws until it knows the provider.
    await page.locator('.captcha__recaptcha').getByLabel('Je ne suis pas un robot').waitFor();
  }

  it('reCAPTCHA : après un refus, la case se coche de nouveau aussitôt et l’inscription continue', async ({ page, server }) => {
    // The page knows the provider from its HTML: it never shows the self-hosted box, nor
    // asks the server which CAPTCHA it uses.
    const asked = [];
    page.on('request', (r) => { if (new URL(r.url()).pathname === '/api/captcha') asked.push(r.url()); });
    await page.addInitScript(() => {
      new MutationObserver(() => { if (document.getElementById('captcha')) window.ownBoxShown = true; })
        .observe(document, { childList: true, subtree: true });
    });
    await openStep1(page, server);
    assert.deepEqual(asked, []);
    assert.equal(await page.evaluate(() => window.ownBoxShown), undefined);
    // The note tells the truth about the provider.
    const note = page.locator('.captcha__privacy');
    await note.getByText('reCAPTCHA de Google').waitFor();
    assert.match(await note.getByRole('link', { name: /règles de confidentialité/ }).getAttribute('href'), /^https:\/\/policies\.google\.com\/privacy/);
    assert.equal(await note.getByText('sans service tiers').count(), 0);

    await numberField(page).fill('11111');
    await page.getByLabel('Je ne suis pas un robot').check();
    await page.getByText('Vérification réussie.').waitFor();
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.getByText('Ce numéro client ne correspond à aucun établissement').first().waitFor();
    // The refused token is gone: the widget was reset, the box is free to tick again.
    await page.waitForFunction(() => window.resets === 1);
    assert.equal(await page.getByLabel('Je ne suis pas un robot').isChecked(), false);
    await snap(page, 'recaptcha-apres-refus');
    await expectNoAxeViolations(page);

    await numberField(page).fill('480213');
    await page.getByLabel('Je ne suis pas un robot').check();
    await page.getByText('Vérification réussie.').waitFor();
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.waitForURL('**/inscription/etape-2');
    // Two ticks, two tokens, each verified once.
    const [first, second] = siteverify.seen.slice(-2);
    assert.match(first, /^jeton-1-/);
    assert.match(second, /^jeton-2-/);
  });

  it('reCAPTCHA : un jeton expiré est signalé et la case se coche de nouveau', async ({ page, server }) => {
    await openStep1(page, server);
    await numberField(page).fill('12345');
    await page.getByLabel('Je ne suis pas un robot').check();
    await page.getByText('Vérification réussie.').waitFor();
    await page.evaluate(() => window.expireRecaptcha());
    await page.getByText('La vérification a expiré\u00a0: cochez de nouveau la case.').waitFor();
    await page.waitForFunction(() => window.resets === 1);
    // Valider now asks for a new tick instead of sending a dead token.
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.getByRole('alert').getByText('Cochez la case').waitFor();
    await page.getByLabel('Je ne suis pas un robot').check();
    await page.getByText('Vérification réussie.').waitFor();
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.waitForURL('**/inscription/etape-2');
  });
}, {
  env: {
    RECAPTCHA_SITE_KEY: 'cle-de-site-de-test',
    RECAPTCHA_SECRET: 'secret-de-test',
    RECAPTCHA_VERIFY_URL: siteverify.url,
  },
});

siteverify.server.unref();

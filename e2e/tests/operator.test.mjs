// The operators' back office, as an operator works it: the letter outbox (print, dispatch,
// re-send, cancel), "not you?", the directory with a CSV upload and re-designation, the
// audit trail and its CSV, contact messages and the e-mail outbox.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { expectNoAxeViolations, expectNoHorizontalScroll, snap, suite } from '../harness.mjs';
import { lastLetterCodes, pdfText, registerFirstUser, signInOperator, tickCaptcha } from '../wizard.mjs';

const OPERATOR = 'claire.operatrice@preteur.example';
const OPERATOR_PASSWORD = 'Guichet!Courrier-2026';

/** Creates (or resets) the operator from the command line, then signs in as them. */
async function asOperator(page, server) {
  await server.commandWithInput(`${OPERATOR_PASSWORD}\n`, 'operator', OPERATOR, '--name', 'Claire Opératrice');
  await signInOperator(page, server, OPERATOR, OPERATOR_PASSWORD);
  await page.waitForURL('**/operateur');
}

/** The bytes behind a link of the page, fetched with the page's session. */
async function download(page, href) {
  const response = await page.request.get(new URL(href, page.url()).href);
  assert.equal(response.status(), 200);
  return response.body();
}

suite((it) => {
  it('le back office est fermé sans session d’opérateur', async ({ page, server }) => {
    await page.goto(server.base + '/operateur');
    await page.getByText('Votre session a expiré ou vous n’êtes pas connecté.').waitFor();
    await page.getByRole('link', { name: 'Se connecter', exact: true }).waitFor();
  });

  it('une fiche d’établissement inconnue le dit, sans proposer de se reconnecter', async ({ page, server }) => {
    await asOperator(page, server);
    await page.goto(server.base + '/operateur/etablissements/999999');
    await page.getByText('Ce courrier ou cet établissement n’existe pas').waitFor();
    assert.equal(await page.getByRole('link', { name: 'Se connecter', exact: true }).count(), 0);
    await page.getByRole('link', { name: 'Retour à l’annuaire' }).waitFor();
    await snap(page, 'operateur-etablissement-inconnu');
  });

  it('un opérateur imprime le lot, le marque envoyé, puis renvoie un courrier', async ({ page, server, context }) => {
    const candidate = await context.browser().newContext({ locale: 'fr-FR' });
    const code = await registerFirstUser(await candidate.newPage(), server, { number: '237517', email: 'anne.lebihan@habitat-loire.fr' });
    await candidate.close();

    await asOperator(page, server);
    const row = page.getByRole('row', { name: /Habitat Loire Océan/ });
    await row.getByText('anne.lebihan@habitat-loire.fr').waitFor();
    await expectNoAxeViolations(page);
    await snap(page, 'operateur-courriers');

    const batch = page.getByRole('link', { name: 'Imprimer le lot (1 courrier, PDF)' });
    const printed = pdfText(await download(page, await batch.getAttribute('href')));
    assert.ok(printed.includes(code), 'the batch prints the code');
    assert.ok(printed.includes('À l’attention du représentant légal (Directeur général)'));
    assert.ok(printed.includes('21000 DIJON'));

    await page.getByRole('button', { name: 'Marquer le courrier comme envoyé' }).click();
    await page.getByText('seront effacés définitivement').waitFor();
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Confirmer l’envoi' }).click();
    await page.getByText('1 courrier marqué comme envoyé : son code est effacé.').waitFor();
    await page.getByText('Aucun courrier.').waitFor();

    await page.getByLabel('Afficher').selectOption('dispatched');
    const sent = page.getByRole('row', { name: /Habitat Loire Océan/ });
    await sent.getByText(/^Envoyé le/).waitFor();
    const copy = pdfText(await download(page, await sent.getByRole('link', { name: /INS-/ }).getAttribute('href')));
    assert.ok(!copy.includes(code), 'the code is gone after dispatch');
    assert.ok(copy.includes('effacé après l’envoi'));

    await sent.getByRole('button', { name: /^Renvoyer/ }).click();
    await page.getByText(/renvoyé\s: un nouveau code est dans la file, l’ancien ne fonctionne plus/).waitFor();
    await page.getByLabel('Afficher').selectOption('queued');
    await page.getByRole('row', { name: /Habitat Loire Océan/ }).getByText('À envoyer').waitFor();
    const { code: newCode } = await lastLetterCodes(server);
    assert.notEqual(newCode, code);
    await snap(page, 'operateur-courriers-renvoi');

    // The old code no longer opens anything; the new one does.
    const old = await page.request.post(server.base + '/api/session', {
      data: { email: 'anne.lebihan@habitat-loire.fr', password: code },
      headers: { 'x-inscription': '1' },
    });
    assert.equal(old.status(), 401);
  });

  it('le représentant légal annule l’inscription avec le code du courrier (« Pas vous ? »)', async ({ page, server, context }) => {
    const candidate = await context.browser().newContext({ locale: 'fr-FR' });
    await registerFirstUser(await candidate.newPage(), server, { number: '12345', email: 'inconnu@saint-aubin.fr' });
    await candidate.close();
    const { opposition } = await lastLetterCodes(server);

    await page.goto(server.base + '/pas-vous');
    await page.getByRole('button', { name: 'Annuler cette inscription' }).click();
    await page.getByRole('link', { name: /Saisissez le code d’opposition/ }).waitFor();
    await expectNoAxeViolations(page);
    await page.getByLabel('Numéro client', { exact: true }).fill('12345');
    await page.getByLabel('Code d’opposition').fill('K7QX-3MPD-9HTW');
    await page.getByRole('button', { name: 'Annuler cette inscription' }).click();
    await page.getByRole('link', { name: /ne correspondent à aucune inscription en cours/ }).waitFor();
    await page.getByLabel('Code d’opposition').fill(opposition.toLowerCase());
    await page.getByRole('button', { name: 'Annuler cette inscription' }).click();
    await page.getByText('L’inscription est annulée').waitFor();
    await expectNoAxeViolations(page);
    await snap(page, 'pas-vous-annulee');
    const mail = await server.command('outbox', 'inconnu@saint-aubin.fr');
    assert.match(mail, /représentant légal de votre établissement s’y est opposé/);
  });

  it('annuaire : import CSV avec lignes rejetées, recherche, fiche et re-désignation', async ({ page, server }) => {
    await asOperator(page, server);
    await page.getByRole('link', { name: 'Annuaire' }).click();
    await page.getByRole('heading', { name: 'Annuaire des établissements' }).waitFor();
    const csv = 'numero_client;raison_sociale;categorie;titre_representant_legal;adresse_1;adresse_2;code_postal;commune;statut\n'
      + '555001;Office Public de l’Habitat du Val;OPH;Directeur général;1 rue Neuve;;44000;Nantes;actif\n'
      + '55A002;Numéro faux;OPH;Directeur;1 rue;;44000;Nantes;actif\n';
    await page.getByLabel('Fichier CSV de l’annuaire').setInputFiles({ name: 'annuaire.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Importer' }).click();
    await page.getByText(/1\sligne importée, 1\srejetée/).waitFor();
    await page.getByText(/^ligne 3\s:/).waitFor();
    await page.getByLabel('Numéro client ou raison sociale').fill('habitat du val');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.getByRole('link', { name: 'Office Public de l’Habitat du Val' }).waitFor();
    await expectNoAxeViolations(page);
    await snap(page, 'operateur-annuaire');

    await page.getByLabel('Numéro client ou raison sociale').fill('237517');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.getByRole('link', { name: 'Habitat Loire Océan SA d’HLM' }).click();
    await page.getByRole('heading', { level: 1, name: 'Habitat Loire Océan SA d’HLM' }).waitFor();
    assert.match(await page.title(), /^Habitat Loire Océan SA d’HLM — Espace opérateur/);
    await page.getByText('Directeur général').first().waitFor();
    await page.getByRole('heading', { name: 'Re-désignation de l’administrateur' }).waitFor();
    await expectNoAxeViolations(page);
    // A reason of blanks is refused, and what was typed stays (the page does not reload).
    const reason = page.getByLabel('Motif (gardé dans le journal)').last();
    await reason.fill('   ');
    await page.getByRole('button', { name: 'Lancer la re-désignation' }).click();
    await page.getByRole('alert').getByText(/Indiquez le motif/).waitFor();
    await page.waitForLoadState('networkidle');
    assert.equal(await reason.inputValue(), '   ');
    await reason.fill('Administrateur parti ; courrier du directeur général');
    await page.getByRole('button', { name: 'Lancer la re-désignation' }).click();
    await page.getByText(/Re-désignation lancée/).waitFor();
    await snap(page, 'operateur-etablissement');
  });

  it('journal d’audit filtré puis exporté en CSV', async ({ page, server, context }) => {
    // A first user of 185045, whose letter the operator marks as sent.
    const email = 'paul.girard@maisons-auvergne.fr';
    const candidate = await context.browser().newContext({ locale: 'fr-FR' });
    await registerFirstUser(await candidate.newPage(), server, { number: '185045', email });
    await candidate.close();
    await asOperator(page, server);
    const letters = await (await page.request.get(server.base + '/api/operator/letters')).json();
    const id = letters.find((l) => l.candidate_email === email).id;
    const sent = await page.request.post(server.base + '/api/operator/letters/dispatch', {
      data: { ids: [id] }, headers: { 'x-inscription': '1' },
    });
    assert.equal(sent.status(), 200);
    await page.getByRole('link', { name: 'Journal d’audit' }).click();
    await page.getByLabel('Numéro client').fill('185045');
    await page.getByLabel('Type d’événement').selectOption('letter');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.getByRole('row', { name: /letter\.dispatched.*185045/ }).waitFor();
    // The unfiltered list had both: wait for the filtered one to replace it.
    await page.getByRole('row', { name: /registration\.first_user/ }).first().waitFor({ state: 'detached' });
    assert.equal(await page.getByRole('row', { name: /registration\.first_user/ }).count(), 0);
    await expectNoAxeViolations(page);
    await snap(page, 'operateur-journal');
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Exporter en CSV' }).click(),
    ]);
    const text = readFileSync(await file.path(), 'utf8');
    assert.ok(text.startsWith('\uFEFFdate;action;acteur;adresse IP;établissement;personne;détails'));
    assert.match(text, /letter\.dispatched/);
    assert.ok(!text.includes('registration.first_user'));

    // A change of the rights catalogue, made on the command line, is in the trail too.
    await server.command('services', 'add', 'prets-bonifies', '--label', 'Prêts bonifiés');
    await page.getByLabel('Numéro client').fill('');
    await page.getByLabel('Type d’événement').selectOption('service');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.getByRole('row', { name: /service\.added.*prets-bonifies/ }).waitFor();
  });

  it('journal d’audit : à 320 px le tableau défile au clavier, les heures sont celles de Paris', async ({ page, server, context }) => {
    // Enough events to fill the page, made now.
    for (let i = 0; i < 25; i += 1) {
      await server.command('services', 'add', `service-essai-${i}`, '--label', `Service d’essai ${i}`);
    }
    // A browser in New York: the page must still show the lender's clocks.
    const newYork = await context.browser().newContext({
      locale: 'fr-FR', timezoneId: 'America/New_York', viewport: { width: 320, height: 800 },
    });
    const operatorPage = await newYork.newPage();
    await asOperator(operatorPage, server);
    await operatorPage.getByRole('link', { name: 'Journal d’audit' }).click();
    await operatorPage.getByRole('row', { name: /service-essai-24/ }).waitFor();
    const region = operatorPage.getByRole('region', { name: 'Événements du journal d’audit' });
    assert.ok(await region.evaluate((el) => el.scrollWidth > el.clientWidth), 'the table is wider than the screen');
    await region.focus();
    await operatorPage.keyboard.press('ArrowRight');
    await operatorPage.waitForFunction(() => document.querySelector('.table-wrap[role=region]').scrollLeft > 0);
    await expectNoAxeViolations(operatorPage);
    await snap(operatorPage, 'operateur-journal-320');
    const shown = await operatorPage.getByRole('row', { name: /service-essai-24/ }).getByRole('cell').first().textContent();
    const paris = new Intl.DateTimeFormat('fr-FR', {
      timeZone: 'Europe/Paris', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit',
    }).format(new Date()).replace(',', '');
    // Within the minute the event was made.
    assert.ok(!shown.includes('UTC'));
    assert.equal(shown.slice(0, 13), paris.slice(0, 13), `${shown} is Paris time (${paris})`);
    await newYork.close();
  });

  it('un visiteur écrit au support, l’opérateur traite le message', async ({ page, server, context }) => {
    await page.goto(server.base + '/inscription');
    await page.getByRole('link', { name: 'contactez-nous', exact: true }).click();
    await page.getByRole('heading', { name: 'Formulaire de contact en ligne' }).waitFor();
    await page.getByRole('button', { name: 'Envoyer le message' }).click();
    await page.getByRole('link', { name: /Saisissez votre nom/ }).waitFor();
    await expectNoAxeViolations(page);
    await page.getByLabel('Vos prénom et nom').fill('Marie Dupont');
    await page.getByLabel('Votre adresse électronique').fill('marie.dupont@exemple.fr');
    // Pasted with its zeros: the fix waits until the field is left (a sixth digit could come).
    await page.getByLabel('Numéro client (facultatif)').fill('0012345');
    await page.getByText(/Ne saisissez pas les zéros du début/).first().waitFor();
    await page.getByLabel('Numéro client (facultatif)').blur();
    await page.getByRole('button', { name: 'Corriger en 12345' }).click();
    await page.getByLabel('Objet').selectOption('Numéro client introuvable');
    await page.getByLabel('Votre message').fill('Bonjour, nous ne trouvons pas notre numéro client.');
    await tickCaptcha(page);
    await page.getByRole('button', { name: 'Envoyer le message' }).click();
    await page.getByText('Votre message a bien été envoyé.').waitFor();
    await expectNoAxeViolations(page);
    await snap(page, 'contact-envoye');

    const console = await (await context.browser().newContext({ locale: 'fr-FR' })).newPage();
    await asOperator(console, server);
    await console.getByRole('link', { name: 'Messages de contact' }).click();
    const message = console.getByRole('article', { name: 'Numéro client introuvable' });
    await message.getByText('nous ne trouvons pas notre numéro client').waitFor();
    await message.getByText(/numéro client 12345/).waitFor();
    await expectNoAxeViolations(console);
    await snap(console, 'operateur-messages');
    await message.getByRole('button', { name: 'Marquer comme traité' }).click();
    await console.getByText('Message marqué comme traité.').waitFor();
    await console.getByText('0 message à traiter.').waitFor();

    await console.getByRole('link', { name: 'Courriels' }).click();
    await console.getByText('Aucun serveur SMTP n’est configuré').waitFor();
    await console.getByText(/Votre message aux services en ligne/).first().click();
    await console.getByText(/Nous avons bien reçu votre message/).waitFor();
    await expectNoAxeViolations(console);
    await snap(console, 'operateur-courriels');
  });

  it('le back office tient sur un écran étroit', async ({ page, server }) => {
    await asOperator(page, server);
    await expectNoHorizontalScroll(page);
    await expectNoAxeViolations(page);
    await snap(page, 'operateur-courriers-mobile');
  }, { width: 375, height: 800 });
});

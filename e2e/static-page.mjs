// The yardstick of the browser figures (e2e/bench.mjs, e2e/paint-probe.mjs): a static page
// of one input and one script, which answers a keystroke with a hint as step 1 does.
export const STATIC = `<!doctype html><html lang=fr><meta charset=utf-8><title>Page statique</title>
<h1>Créer mon compte</h1><label for=numero-client>Numéro client</label>
<input id=numero-client><p id=numero-client-message></p>
<script>document.getElementById('numero-client').addEventListener('input', (e) => {
  document.getElementById('numero-client-message').textContent = e.target.value.length + ' chiffres';
});</script>`;

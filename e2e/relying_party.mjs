// A real OpenID Connect relying party for the browser tests: Debian's Apache with
// mod_auth_openidc, a module no one here wrote, protecting a small "service" page that
// shows the claims it received. Started on a free port, with its own folder and config.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './harness.mjs';

const APACHE = process.env.E2E_APACHE ?? '/usr/sbin/apache2';
const MODULES = '/usr/lib/apache2/modules';

/** The page of the service: the claims mod_auth_openidc passes on, and a sign-out link. */
function servicePage(title, logout) {
  const claim = (name) => `<!--#echo var="OIDC_CLAIM_${name}" -->`;
  return `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>${title}</title></head>
<body><main><h1>${title}</h1>
<p>Connecté par le portail en tant que <strong id="nom">${claim('name')}</strong>.</p>
<dl>
<dt>Adresse électronique</dt><dd id="courriel">${claim('email')}</dd>
<dt>Identifiant (sub)</dt><dd id="sub">${claim('sub')}</dd>
<dt>Établissement</dt><dd id="etablissement">${claim('etablissement')}</dd>
<dt>Habilitations</dt><dd id="habilitations">${claim('habilitations')}</dd>
</dl>
<p><a href="${logout}">Se déconnecter</a></p></main></body></html>`;
}

/**
 * Starts Apache as the relying party `clientId` of the provider at `provider`; the test
 * registers it first with `redirectUri(port)` and `afterLogout(port)`.
 */
export async function startRelyingParty({ provider, clientId, secret, port, host, title }) {
  const dir = mkdtempSync(join(tmpdir(), 'inscription-rp-'));
  // Apache's workers may run as another user: they read the pages.
  chmodSync(dir, 0o755);
  const base = `http://${host}:${port}`;
  const logout = `/service/redirect_uri?logout=${encodeURIComponent(`${base}/au-revoir.html`)}`;
  mkdirSync(join(dir, 'htdocs', 'service'), { recursive: true });
  writeFileSync(join(dir, 'htdocs', 'service', 'index.shtml'), servicePage(title, logout));
  writeFileSync(join(dir, 'htdocs', 'index.html'),
    `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>${title}</title></head>`
    + `<body><main><h1>Accueil du service</h1><a href="/service/">Accéder au service</a></main></body></html>`);
  writeFileSync(join(dir, 'htdocs', 'au-revoir.html'),
    '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Au revoir</title></head>'
    + '<body><main><h1>Vous avez quitté le service</h1></main></body></html>');
  const conf = `ServerRoot ${dir}
ServerName 127.0.0.1
Listen 127.0.0.1:${port}
PidFile ${dir}/httpd.pid
ErrorLog ${dir}/error.log
LogLevel warn
DefaultRuntimeDir ${dir}
LoadModule mpm_event_module ${MODULES}/mod_mpm_event.so
LoadModule authn_core_module ${MODULES}/mod_authn_core.so
LoadModule authz_core_module ${MODULES}/mod_authz_core.so
LoadModule authz_user_module ${MODULES}/mod_authz_user.so
LoadModule mime_module ${MODULES}/mod_mime.so
LoadModule include_module ${MODULES}/mod_include.so
LoadModule dir_module ${MODULES}/mod_dir.so
LoadModule auth_openidc_module ${MODULES}/mod_auth_openidc.so
TypesConfig /dev/null
AddType text/html .shtml .html
AddOutputFilter INCLUDES .shtml
DocumentRoot ${dir}/htdocs
DirectoryIndex index.shtml index.html
<Directory ${dir}/htdocs>
  Options +Includes
  Require all granted
</Directory>
OIDCProviderMetadataURL ${provider}/.well-known/openid-configuration
OIDCClientID ${clientId}
OIDCClientSecret ${secret}
OIDCRedirectURI ${base}/service/redirect_uri
OIDCCryptoPassphrase ${clientId}-phrase-de-passe-des-tests
OIDCPKCEMethod S256
OIDCScope "openid email profile"
OIDCProviderTokenEndpointAuth client_secret_basic
OIDCSSLValidateServer Off
<Location /service/>
  AuthType openid-connect
  Require valid-user
</Location>
`;
  writeFileSync(join(dir, 'httpd.conf'), conf);
  // -X: one process in the foreground, which the test stops.
  const child = spawn(APACHE, ['-X', '-f', join(dir, 'httpd.conf')], { stdio: ['ignore', 'inherit', 'inherit'] });
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`apache exited with ${child.exitCode}: ${readFileSync(join(dir, 'error.log'), 'utf8')}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/au-revoir.html`)).ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error('apache not ready after 10 s');
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    base,
    /** mod_auth_openidc's log, to read when a test fails. */
    log: () => readFileSync(join(dir, 'error.log'), 'utf8'),
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Registers the relying party with the product and starts it. `host`: the name the browser
 * reaches it by; `localhost` makes it another site than the product's 127.0.0.1.
 */
export async function connectedService(server, { clientId, service, title, host = '127.0.0.1' }) {
  const port = await freePort();
  const base = `http://${host}:${port}`;
  const out = await server.command('clients', 'add', clientId, '--name', title, '--service', service,
    '--redirect-uri', `${base}/service/redirect_uri`,
    '--post-logout-redirect-uri', `${base}/au-revoir.html`);
  const secret = out.trim().split('\n').at(-1);
  return startRelyingParty({ provider: server.base, clientId, secret, port, host, title });
}

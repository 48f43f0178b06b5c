// Passkeys ("clés d'accès") in the browser: one ceremony from end to end — the server's
// WebAuthn options, navigator.credentials, the authenticator's answer back to the server.
// Binary fields travel in base64url. This module is imported by the app only when a
// passkey is used (app/src/passkey.rs), so that no page's first load carries it.
// Resolves to the server's final answer (JSON); rejects with { message, status }, the
// message in French.

const NETWORK = 'Le service ne répond pas. Vérifiez votre connexion à Internet, puis réessayez.'; // api.rs's NETWORK_ERROR
const SAID = {
  NotAllowedError: 'La clé d’accès n’a pas répondu, ou la demande a été annulée. Recommencez quand vous voulez.',
  AbortError: 'La clé d’accès n’a pas répondu, ou la demande a été annulée. Recommencez quand vous voulez.',
  InvalidStateError: 'Cette clé d’accès est déjà enregistrée sur votre compte.',
  SecurityError: 'Les clés d’accès ne fonctionnent qu’à l’adresse officielle du portail.',
};
const UNSUPPORTED = 'Votre navigateur ne permet pas d’utiliser une clé d’accès ici. Utilisez un code à usage unique.';

const bytes = (text) =>
  Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
const text = (buffer) =>
  btoa(String.fromCharCode(...new Uint8Array(buffer)))
    .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const ids = (list) => (list || []).map((c) => ({ ...c, id: bytes(c.id) }));

/** POSTs JSON as the app does (the CSRF header included); the answer's JSON or its error. */
async function post(path, body) {
  let response;
  try {
    response = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-inscription': '1' },
      body: JSON.stringify(body),
    });
  } catch {
    throw { message: NETWORK, status: 0 };
  }
  const json = await response.json().catch(() => null);
  if (!response.ok) throw { message: NETWORK, ...json, status: response.status };
  return json;
}

/** Creates a passkey from creation options; its JSON as webauthn-rs reads it. */
async function create(o) {
  const publicKey = {
    ...o,
    challenge: bytes(o.challenge),
    user: { ...o.user, id: bytes(o.user.id) },
    excludeCredentials: ids(o.excludeCredentials),
  };
  const c = await navigator.credentials.create({ publicKey });
  return JSON.stringify({
    id: c.id,
    rawId: text(c.rawId),
    type: c.type,
    response: {
      attestationObject: text(c.response.attestationObject),
      clientDataJSON: text(c.response.clientDataJSON),
      transports: c.response.getTransports ? c.response.getTransports() : [],
    },
    clientExtensionResults: c.getClientExtensionResults(),
  });
}

/** Signs the challenge with a passkey; the assertion's JSON. */
async function get(o) {
  const publicKey = { ...o, challenge: bytes(o.challenge), allowCredentials: ids(o.allowCredentials) };
  const c = await navigator.credentials.get({ publicKey });
  const r = c.response;
  return JSON.stringify({
    id: c.id,
    rawId: text(c.rawId),
    type: c.type,
    response: {
      authenticatorData: text(r.authenticatorData),
      clientDataJSON: text(r.clientDataJSON),
      signature: text(r.signature),
      userHandle: r.userHandle ? text(r.userHandle) : null,
    },
    clientExtensionResults: c.getClientExtensionResults(),
  });
}

/**
 * One ceremony: options from `${path}/options`, the authenticator's answer (a new passkey
 * named `name` when `adding`), posted to `path`.
 */
export async function run(path, name, adding) {
  if (!window.PublicKeyCredential || !navigator.credentials) throw { message: UNSUPPORTED, status: 0 };
  const options = await post(`${path}/options`, {});
  let credential;
  try {
    const publicKey = JSON.parse(options.options).publicKey;
    credential = await (adding ? create(publicKey) : get(publicKey));
  } catch (e) {
    throw { message: SAID[e && e.name] || UNSUPPORTED, status: 0 };
  }
  return post(path, { ceremony: options.ceremony, credential, name });
}

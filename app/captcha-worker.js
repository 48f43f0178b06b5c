// Solves a self-hosted CAPTCHA challenge (ALTCHA protocol v2, algorithm SHA-256) off the
// page's main thread, with the browser's own SHA-256. The server's `altcha` crate checks
// the answer. Message in: the challenge as the server sent it. Message out: { token }, the
// base64 of {"challenge", "solution"} that the server expects, or { error }.
'use strict';

const hexToBytes = (hex) => new Uint8Array(hex.match(/../g).map((b) => parseInt(b, 16)));
const bytesToHex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

// derivedKey = SHA-256^cost(salt || nonce || counter as 4 big-endian bytes), cut to keyLength.
async function derive(salt, nonce, counter, cost, keyLength) {
  const data = new Uint8Array(salt.length + nonce.length + 4);
  data.set(salt);
  data.set(nonce, salt.length);
  new DataView(data.buffer).setUint32(salt.length + nonce.length, counter, false);
  let key = data;
  for (let i = 0; i < Math.max(cost, 1); i++) {
    key = new Uint8Array(await crypto.subtle.digest('SHA-256', key));
  }
  return bytesToHex(key.slice(0, keyLength));
}

self.onmessage = async (event) => {
  const challenge = event.data;
  try {
    const p = challenge.parameters;
    if (p.algorithm !== 'SHA-256') throw new Error(`unsupported algorithm ${p.algorithm}`);
    const salt = hexToBytes(p.salt);
    const nonce = hexToBytes(p.nonce);
    const started = performance.now();
    const batch = 64; // digests in flight at once: WebCrypto is asynchronous
    for (let start = 0; start < 2 ** 32; start += batch) {
      const keys = await Promise.all(
        Array.from({ length: batch }, (_, i) => derive(salt, nonce, start + i, p.cost, p.keyLength)),
      );
      const found = keys.findIndex((key) => key.startsWith(p.keyPrefix));
      if (found >= 0) {
        const solution = { counter: start + found, derivedKey: keys[found], time: performance.now() - started };
        self.postMessage({ token: btoa(JSON.stringify({ challenge, solution })) });
        return;
      }
    }
    throw new Error('no solution');
  } catch (error) {
    self.postMessage({ error: String(error) });
  }
};

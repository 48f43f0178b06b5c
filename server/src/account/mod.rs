//! Getting in (PRODUCT.md §3): sign-in with a password or the letter's temporary
//! password, and the activation that follows the latter. HTTP lives in `routes::account`
//! and `session`, SQL in `db::accounts` and `db::sessions`.

pub mod activation;
pub mod passkeys;
pub mod password_reset;
pub mod second_factor;
pub mod sign_in;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A new session token (256 random bits) and the hash the database keeps of it.
pub fn new_session_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

pub fn token_hash(token: &str) -> String {
    format!("{:x}", Sha256::digest(token.as_bytes()))
}

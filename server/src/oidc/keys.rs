//! The keys that sign ID tokens (ES256): made with ring, kept in the database so that every
//! instance signs and publishes the same ones, and rotated by a command. A retired key stays
//! in the published set until the last token it signed has expired.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use jsonwebtoken::jwk::{
    AlgorithmParameters, CommonParameters, EllipticCurve, EllipticCurveKeyParameters,
    EllipticCurveKeyType, Jwk, JwkSet, KeyAlgorithm, PublicKeyUse,
};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header};
use ring::rand::SystemRandom;
use ring::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_FIXED_SIGNING};
use serde::Serialize;

use super::{OidcError, ID_TOKEN_SECONDS};
use crate::db::audit::AuditEvent;
use crate::db::oidc::{self as sql, KeyRow};
use crate::db::Db;

/// A new P-256 key pair, as the database keeps it.
pub fn generate(at: i64) -> Result<KeyRow, OidcError> {
    let rng = SystemRandom::new();
    let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
        .map_err(|_| OidcError::Key)?;
    let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng)
        .map_err(|_| OidcError::Key)?;
    // An uncompressed point: 0x04, then x and y, 32 bytes each.
    let point = pair.public_key().as_ref();
    let (x, y) = (&point[1..33], &point[33..65]);
    // The key's id: a digest of the public key, so that it says nothing else.
    let kid =
        URL_SAFE_NO_PAD.encode(&ring::digest::digest(&ring::digest::SHA256, point).as_ref()[..12]);
    Ok(KeyRow {
        kid,
        private_key: STANDARD.encode(pkcs8.as_ref()),
        x: URL_SAFE_NO_PAD.encode(x),
        y: URL_SAFE_NO_PAD.encode(y),
        created_at: at,
        retired_at: None,
    })
}

/// The key that signs now; the first one is made on first use.
async fn signing_key(db: &Db, at: i64) -> Result<KeyRow, OidcError> {
    if let Some(key) = sql::signing_key(db).await? {
        return Ok(key);
    }
    // Two instances may both make one: both are published, the newer signs.
    sql::add_key(db, &generate(at)?, None).await?;
    sql::signing_key(db).await?.ok_or(OidcError::Key)
}

/// `claims` signed with the current key, its id in the header.
pub async fn sign<T: Serialize>(db: &Db, at: i64, claims: &T) -> Result<String, OidcError> {
    let key = signing_key(db, at).await?;
    let der = STANDARD
        .decode(&key.private_key)
        .map_err(|_| OidcError::Key)?;
    let mut header = Header::new(Algorithm::ES256);
    header.kid = Some(key.kid);
    jsonwebtoken::encode(&header, claims, &EncodingKey::from_ec_der(&der))
        .map_err(|_| OidcError::Key)
}

fn jwk(key: &KeyRow) -> Jwk {
    Jwk {
        common: CommonParameters {
            public_key_use: Some(PublicKeyUse::Signature),
            key_algorithm: Some(KeyAlgorithm::ES256),
            key_id: Some(key.kid.clone()),
            ..CommonParameters::default()
        },
        algorithm: AlgorithmParameters::EllipticCurve(EllipticCurveKeyParameters {
            key_type: EllipticCurveKeyType::EC,
            curve: EllipticCurve::P256,
            x: key.x.clone(),
            y: key.y.clone(),
        }),
    }
}

/// The published keys: the signing one, and the retired ones whose tokens may still live.
pub async fn published(db: &Db, at: i64) -> Result<JwkSet, OidcError> {
    signing_key(db, at).await?;
    let keys = sql::published_keys(db, at - ID_TOKEN_SECONDS).await?;
    Ok(JwkSet {
        keys: keys.iter().map(jwk).collect(),
    })
}

/// The public key of this id, to check a token the product signed.
pub async fn decoding_key(db: &Db, kid: &str) -> Result<Option<DecodingKey>, OidcError> {
    let Some(key) = sql::key(db, kid).await? else {
        return Ok(None);
    };
    Ok(DecodingKey::from_ec_components(&key.x, &key.y).ok())
}

/// A new signing key; the others are retired now and published until their tokens expire.
pub async fn rotate(db: &Db, at: i64) -> Result<String, OidcError> {
    let key = generate(at)?;
    let event = AuditEvent {
        action: "oidc.key_rotated",
        actor: "system".into(),
        ip: "ligne de commande".into(),
        establishment_id: None,
        user_id: None,
        details: format!("nouvelle clé de signature {}", key.kid),
    };
    sql::add_key(db, &key, Some((at, &event))).await?;
    Ok(key.kid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, serde::Deserialize, PartialEq, Debug)]
    struct Claims {
        sub: String,
        exp: u64,
    }

    #[test]
    fn a_generated_key_signs_what_its_published_half_verifies() {
        let key = generate(0).unwrap();
        let der = STANDARD.decode(&key.private_key).unwrap();
        let mut header = Header::new(Algorithm::ES256);
        header.kid = Some(key.kid.clone());
        let claims = Claims {
            sub: "abc".into(),
            exp: 4_000_000_000,
        };
        let token =
            jsonwebtoken::encode(&header, &claims, &EncodingKey::from_ec_der(&der)).unwrap();
        let public = DecodingKey::from_jwk(&jwk(&key)).unwrap();
        let mut validation = jsonwebtoken::Validation::new(Algorithm::ES256);
        validation.validate_aud = false;
        let read = jsonwebtoken::decode::<Claims>(&token, &public, &validation).unwrap();
        assert_eq!(read.claims, claims);
        // Another key's half does not.
        let other = DecodingKey::from_jwk(&jwk(&generate(0).unwrap())).unwrap();
        assert!(jsonwebtoken::decode::<Claims>(&token, &other, &validation).is_err());
    }
}

//! The registration ticket: proof, between step 1 and step 2, that this browser passed the
//! CAPTCHA for this establishment. Signed (HMAC-SHA-256) and short-lived; no server state,
//! so any instance accepts it.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// What a valid ticket says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    pub establishment_id: i64,
    pub expires_at: i64,
    /// Random, so that each ticket is distinct: a repeated step 2 is recognised by it.
    pub nonce: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TicketError {
    #[error("Votre demande n’est pas reconnue. Recommencez l’inscription à l’étape 1.")]
    Invalid,
    #[error("Votre demande a expiré. Recommencez l’inscription à l’étape 1.")]
    Expired,
}

/// Signs and checks tickets with the server's secret.
#[derive(Clone)]
pub struct TicketSigner {
    key: Vec<u8>,
}

impl TicketSigner {
    pub fn new(secret: &str) -> Self {
        Self {
            key: format!("registration-ticket:{secret}").into_bytes(),
        }
    }

    fn mac(&self, body: &str) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(&self.key)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any size"));
        mac.update(body.as_bytes());
        mac
    }

    pub fn sign(&self, ticket: &Ticket) -> String {
        let body = format!(
            "{}.{}.{}",
            ticket.establishment_id, ticket.expires_at, ticket.nonce
        );
        let tag = URL_SAFE_NO_PAD.encode(self.mac(&body).finalize().into_bytes());
        format!("{body}.{tag}")
    }

    /// The ticket `token` stands for, if signed by us and not expired at `now`.
    pub fn verify(&self, token: &str, now: i64) -> Result<Ticket, TicketError> {
        let (body, tag) = token.rsplit_once('.').ok_or(TicketError::Invalid)?;
        let tag = URL_SAFE_NO_PAD
            .decode(tag)
            .map_err(|_| TicketError::Invalid)?;
        self.mac(body)
            .verify_slice(&tag)
            .map_err(|_| TicketError::Invalid)?;
        let mut parts = body.splitn(3, '.');
        let (Some(id), Some(expires), Some(nonce)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(TicketError::Invalid);
        };
        let ticket = Ticket {
            establishment_id: id.parse().map_err(|_| TicketError::Invalid)?,
            expires_at: expires.parse().map_err(|_| TicketError::Invalid)?,
            nonce: nonce.to_owned(),
        };
        if ticket.expires_at < now {
            return Err(TicketError::Expired);
        }
        Ok(ticket)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::now;

    fn ticket(expires_at: i64) -> Ticket {
        Ticket {
            establishment_id: 42,
            expires_at,
            nonce: "abc".into(),
        }
    }

    #[test]
    fn a_signed_ticket_verifies_and_a_tampered_one_does_not() {
        let signer = TicketSigner::new("secret");
        let valid = ticket(now() + 60);
        let token = signer.sign(&valid);
        assert_eq!(signer.verify(&token, now()), Ok(valid));
        let forged = token.replacen("42.", "43.", 1);
        assert_eq!(signer.verify(&forged, now()), Err(TicketError::Invalid));
        assert_eq!(
            TicketSigner::new("other").verify(&token, now()),
            Err(TicketError::Invalid)
        );
        assert_eq!(
            signer.verify("n'importe quoi", now()),
            Err(TicketError::Invalid)
        );
    }

    #[test]
    fn an_expired_ticket_is_refused() {
        let signer = TicketSigner::new("secret");
        assert_eq!(
            signer.verify(&signer.sign(&ticket(now() - 1)), now()),
            Err(TicketError::Expired)
        );
    }
}

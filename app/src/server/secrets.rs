//! Passwords and single-use tokens. Nothing here is `Serialize`: secrets never
//! leave the server.

use crate::error::{AppError, AppResult};
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Hashes a password with Argon2id (the crate's defaults: 19 MiB, 2 passes),
/// off the async threads because it is deliberately slow.
pub async fn hash_password(password: String) -> AppResult<String> {
    tokio_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|e| {
                tracing::error!(error = %e, "password hashing failed");
                AppError::Internal
            })
    })
    .await
}

/// Checks a password against a stored Argon2 hash.
pub async fn verify_password(password: String, stored_hash: String) -> AppResult<bool> {
    tokio_blocking(move || {
        let parsed = PasswordHash::new(&stored_hash).map_err(|_| AppError::Internal)?;
        Ok(Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
}

async fn tokio_blocking<T: Send + 'static>(work: impl FnOnce() -> AppResult<T> + Send + 'static) -> AppResult<T> {
    tokio::task::spawn_blocking(work).await.map_err(|e| {
        tracing::error!(error = %e, "blocking task failed");
        AppError::Internal
    })?
}

/// A new random token (256 bits, hex) and the hash to store in its place.
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = to_hex(&bytes);
    let hash = token_hash(&token);
    (token, hash)
}

/// The stored form of a token: SHA-256, hex. A fast hash is right here because
/// the token is random and long, unlike a password.
pub fn token_hash(token: &str) -> String {
    to_hex(&Sha256::digest(token.as_bytes()))
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_stored_only_as_a_hash() {
        let (a, hash_a) = new_token();
        let (b, _) = new_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_ne!(a, hash_a);
        assert_eq!(token_hash(&a), hash_a);
    }
}

/// Checks `password` against `stored_hash`, or, when there is no hash (no
/// such login), spends the same time on a throwaway hash, so the answer's
/// timing does not tell whether an email has a login.
pub async fn verify_password_or_waste_time(password: String, stored_hash: Option<String>) -> AppResult<bool> {
    static THROWAWAY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    match stored_hash {
        Some(hash) => verify_password(password, hash).await,
        None => {
            let throwaway = THROWAWAY.get_or_try_init(|| hash_password(new_token().0)).await?.clone();
            verify_password(password, throwaway).await?;
            Ok(false)
        }
    }
}

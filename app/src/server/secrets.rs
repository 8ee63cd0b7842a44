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
        Argon2::default().hash_password(password.as_bytes(), &salt).map(|hash| hash.to_string()).map_err(|e| {
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

/// At most one password hash per core at a time; the rest wait their turn,
/// first come first served. Each hash takes 19 MiB and a core for tens of
/// milliseconds, so a flood of sign-ins queues instead of exhausting memory.
fn hashing_permits() -> &'static tokio::sync::Semaphore {
    static PERMITS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    PERMITS.get_or_init(|| tokio::sync::Semaphore::new(hashing_parallelism()))
}

/// How many password hashes may run at once: the machine's cores.
pub fn hashing_parallelism() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// The most password hashes seen running at once since start-up.
pub fn most_hashes_at_once() -> usize {
    HASHING.most.load(std::sync::atomic::Ordering::Relaxed)
}

struct Gauge {
    now: std::sync::atomic::AtomicUsize,
    most: std::sync::atomic::AtomicUsize,
}

static HASHING: Gauge =
    Gauge { now: std::sync::atomic::AtomicUsize::new(0), most: std::sync::atomic::AtomicUsize::new(0) };

async fn tokio_blocking<T: Send + 'static>(work: impl FnOnce() -> AppResult<T> + Send + 'static) -> AppResult<T> {
    use std::sync::atomic::Ordering::Relaxed;
    let _permit = hashing_permits().acquire().await.map_err(|_| AppError::Internal)?;
    let running = HASHING.now.fetch_add(1, Relaxed) + 1;
    HASHING.most.fetch_max(running, Relaxed);
    let result = tokio::task::spawn_blocking(work).await;
    HASHING.now.fetch_sub(1, Relaxed);
    result.map_err(|e| {
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

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn no_more_password_hashes_run_at_once_than_there_are_cores() {
        let hashes: Vec<_> = (0..4 * hashing_parallelism())
            .map(|n| tokio::spawn(hash_password(format!("password number {n}"))))
            .collect();
        for hash in hashes {
            assert!(hash.await.expect("joined").expect("hashed").starts_with("$argon2id$"));
        }
        let most = most_hashes_at_once();
        assert!(most >= 1 && most <= hashing_parallelism(), "{most} hashes ran at once");
    }

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

/// The key failed sign-ins are counted under: a hash of the email as typed
/// (trimmed, any case), the same whether or not it has a login.
pub fn sign_in_subject(email: &str) -> String {
    token_hash(&format!("email:{}", email.trim().to_lowercase()))
}

/// Whether a password is in the shipped list of commonly used passwords
/// (`common-passwords.txt`, 30,000 entries; see its NOTICE), in any case.
pub fn is_common_password(password: &str) -> bool {
    static LIST: std::sync::OnceLock<std::collections::HashSet<&'static str>> = std::sync::OnceLock::new();
    let list = LIST.get_or_init(|| include_str!("common-passwords.txt").lines().collect());
    list.contains(password.to_lowercase().as_str())
}

/// The message for a password found in that list.
pub const COMMON_PASSWORD: &str =
    "This password is one of the most commonly used, so it is easy to guess. Choose a different one";

/// A new random TOTP secret.
pub fn new_totp_secret() -> domain::totp::TotpSecret {
    let mut bytes = [0u8; domain::totp::SECRET_BYTES];
    rand::rng().fill_bytes(&mut bytes);
    domain::totp::TotpSecret::from_bytes(bytes)
}

/// How many recovery codes a login gets.
pub const RECOVERY_CODES: usize = 10;
/// No 0/o, 1/l/i: easy to copy from paper.
const RECOVERY_ALPHABET: &[u8; 32] = b"abcdefghjkmnpqrstuvwxyz23456789-";

/// Ten new recovery codes like `k7mq2-x9pte` (50 random bits each).
pub fn new_recovery_codes() -> Vec<String> {
    let mut rng = rand::rng();
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut code = String::with_capacity(11);
            for i in 0..10 {
                if i == 5 {
                    code.push('-');
                }
                code.push(RECOVERY_ALPHABET[(rng.next_u32() % 31) as usize] as char);
            }
            code
        })
        .collect()
}

#[cfg(test)]
mod more_tests {
    use super::*;

    #[test]
    fn common_passwords_are_found_in_any_case_and_others_are_not() {
        assert!(is_common_password("password"));
        assert!(is_common_password("PASSWORD1234"));
        assert!(!is_common_password("correct horse battery staple"));
        assert!(include_str!("common-passwords.txt").lines().count() >= 10_000);
    }

    #[test]
    fn the_sign_in_subject_ignores_case_and_spaces_around_the_email() {
        assert_eq!(sign_in_subject(" Admin@Example.org "), sign_in_subject("admin@example.org"));
        assert_ne!(sign_in_subject("a@example.org"), sign_in_subject("b@example.org"));
    }

    #[test]
    fn recovery_codes_are_ten_distinct_codes_of_two_groups_of_five() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), 10);
        assert_eq!(codes.iter().collect::<std::collections::HashSet<_>>().len(), 10);
        assert!(codes.iter().all(|code| code.len() == 11 && code.chars().nth(5) == Some('-')));
    }
}

/// Refuses a new password typed into `field` when it is a common one. Runs
/// on the server only: the list is not sent to browsers.
pub fn refuse_common_password(field: &str, password: &str) -> AppResult<()> {
    if is_common_password(password) {
        return Err(AppError::invalid(field, COMMON_PASSWORD));
    }
    Ok(())
}

//! The keys that protect secrets at rest. A copy of the database alone (a
//! backup, a stolen disk) then gives away neither a member of staff's
//! authenticator secret nor their recovery codes:
//! - authenticator (TOTP) secrets are encrypted with ChaCha20-Poly1305;
//! - recovery codes are stored as keyed hashes (HMAC-SHA-256).
//!
//! Keys are 32 random bytes, written as 64 hex digits. The first key is the
//! current one; older keys stay listed so what was written under them can
//! still be read. Each stored value names the key it was made with (the
//! first 8 hex digits of a hash of the key, never the key).

use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Nonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// What an encrypted value starts with.
const ENCRYPTED: &str = "enc1";
/// What a keyed recovery code hash starts with.
const KEYED: &str = "hmac1";

/// One key, with the short id stored beside what it protects.
#[derive(Clone)]
struct DataKey {
    id: String,
    bytes: [u8; 32],
}

/// The current key first, then older keys kept for reading.
#[derive(Clone)]
pub struct DataKeys {
    keys: Vec<DataKey>,
}

/// Why a stored secret could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("a data key must be 64 hex digits (32 bytes), as `openssl rand -hex 32` prints")]
    BadKey,
    #[error("the secret was written with key {0}, which is not configured (DATA_KEY, DATA_KEYS_OLD)")]
    UnknownKey(String),
    #[error("the stored secret is damaged or was not written with this key")]
    Damaged,
}

impl std::fmt::Debug for DataKeys {
    /// Only the ids: the keys themselves are never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.keys.iter().map(|k| &k.id)).finish()
    }
}

impl DataKeys {
    /// The current key and any older ones, each as 64 hex digits.
    pub fn parse(current: &str, older: &[&str]) -> Result<Self, KeyError> {
        let keys =
            std::iter::once(current).chain(older.iter().copied()).map(DataKey::parse).collect::<Result<_, _>>()?;
        Ok(Self { keys })
    }

    /// A new random key, as 64 hex digits.
    pub fn generate() -> String {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        hex(&bytes)
    }

    fn current(&self) -> &DataKey {
        &self.keys[0]
    }

    /// The current key's id.
    pub fn current_id(&self) -> &str {
        &self.current().id
    }

    fn by_id(&self, id: &str) -> Result<&DataKey, KeyError> {
        self.keys.iter().find(|k| k.id == id).ok_or_else(|| KeyError::UnknownKey(id.to_owned()))
    }

    /// `enc1:<key id>:<nonce and ciphertext, hex>` under the current key.
    pub fn encrypt(&self, plain: &str) -> String {
        let key = self.current();
        let mut nonce = [0u8; 12];
        rand::rng().fill_bytes(&mut nonce);
        let cipher = ChaCha20Poly1305::new((&key.bytes).into());
        // Encrypting a short text in memory cannot fail.
        let sealed = cipher.encrypt(Nonce::from_slice(&nonce), plain.as_bytes()).unwrap_or_default();
        format!("{ENCRYPTED}:{}:{}{}", key.id, hex(&nonce), hex(&sealed))
    }

    /// The text [`DataKeys::encrypt`] sealed, under whichever listed key it
    /// names. A value from before encryption (plain text) reads as itself.
    pub fn decrypt(&self, stored: &str) -> Result<String, KeyError> {
        let Some(rest) = stored.strip_prefix(ENCRYPTED).and_then(|r| r.strip_prefix(':')) else {
            return Ok(stored.to_owned());
        };
        let (id, sealed) = rest.split_once(':').ok_or(KeyError::Damaged)?;
        let key = self.by_id(id)?;
        let bytes = unhex(sealed).filter(|b| b.len() > 12).ok_or(KeyError::Damaged)?;
        let (nonce, sealed) = bytes.split_at(12);
        let cipher = ChaCha20Poly1305::new((&key.bytes).into());
        let plain = cipher.decrypt(Nonce::from_slice(nonce), sealed).map_err(|_| KeyError::Damaged)?;
        String::from_utf8(plain).map_err(|_| KeyError::Damaged)
    }

    /// Whether a stored value should be written again under the current key
    /// (plain text from before encryption, or an older key's).
    pub fn needs_rekey(&self, stored: &str) -> bool {
        !stored.starts_with(&format!("{ENCRYPTED}:{}:", self.current().id))
    }

    /// A recovery code's stored form under the current key, as typed in any
    /// case, with or without its dash and spaces.
    pub fn recovery_code_hash(&self, typed: &str) -> String {
        keyed_hash(self.current(), typed)
    }

    /// Every stored form a typed recovery code may have: under each listed
    /// key, and the unkeyed form of codes handed out before keys were used.
    pub fn recovery_code_hashes(&self, typed: &str) -> Vec<String> {
        let mut hashes: Vec<String> = self.keys.iter().map(|key| keyed_hash(key, typed)).collect();
        hashes.push(super::secrets::token_hash(&format!("recovery:{}", normal_code(typed))));
        hashes
    }

    /// Whether a stored recovery code hash was made with an older key (it
    /// can only be replaced by handing out new codes).
    pub fn recovery_hash_is_old(&self, stored: &str) -> bool {
        !stored.starts_with(&format!("{KEYED}:{}:", self.current().id))
    }
}

impl DataKey {
    fn parse(text: &str) -> Result<Self, KeyError> {
        let bytes: [u8; 32] = unhex(text.trim()).and_then(|b| b.try_into().ok()).ok_or(KeyError::BadKey)?;
        let id = hex(&Sha256::digest([b"gp-online data key id:".as_slice(), &bytes].concat())[..4]);
        Ok(Self { id, bytes })
    }
}

fn normal_code(typed: &str) -> String {
    typed.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect()
}

fn keyed_hash(key: &DataKey, typed: &str) -> String {
    // Any key length is accepted by HMAC.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key.bytes).expect("HMAC takes any key length");
    mac.update(b"recovery code:");
    mac.update(normal_code(typed).as_bytes());
    format!("{KEYED}:{}:{}", key.id, hex(&mac.finalize().into_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD: &str = "0000000000000000000000000000000000000000000000000000000000000001";
    const NEW: &str = "00000000000000000000000000000000000000000000000000000000000000ff";

    #[test]
    fn a_secret_is_stored_encrypted_and_reads_back_under_its_key() {
        let keys = DataKeys::parse(NEW, &[]).unwrap();
        let stored = keys.encrypt("GPONLINEDEMOSTAFFTOTPKEY");
        assert!(stored.starts_with("enc1:") && !stored.contains("GPONLINEDEMOSTAFFTOTPKEY"), "{stored}");
        assert_ne!(stored, keys.encrypt("GPONLINEDEMOSTAFFTOTPKEY"), "a fresh nonce each time");
        assert_eq!(keys.decrypt(&stored).unwrap(), "GPONLINEDEMOSTAFFTOTPKEY");
        assert!(!keys.needs_rekey(&stored));
    }

    #[test]
    fn after_a_key_rotation_old_secrets_still_read_and_are_marked_for_rewriting() {
        let before = DataKeys::parse(OLD, &[]).unwrap();
        let stored = before.encrypt("SECRET");
        let after = DataKeys::parse(NEW, &[OLD]).unwrap();
        assert_eq!(after.decrypt(&stored).unwrap(), "SECRET");
        assert!(after.needs_rekey(&stored));
        let without_old = DataKeys::parse(NEW, &[]).unwrap();
        assert!(matches!(without_old.decrypt(&stored), Err(KeyError::UnknownKey(_))));
    }

    #[test]
    fn a_tampered_secret_is_refused_and_plain_text_from_before_reads_as_itself() {
        let keys = DataKeys::parse(NEW, &[]).unwrap();
        let mut stored = keys.encrypt("SECRET");
        let last = stored.pop().unwrap();
        stored.push(if last == '0' { '1' } else { '0' });
        assert_eq!(keys.decrypt(&stored), Err(KeyError::Damaged));
        assert_eq!(keys.decrypt("JBSWY3DPEHPK3PXP").unwrap(), "JBSWY3DPEHPK3PXP");
        assert!(keys.needs_rekey("JBSWY3DPEHPK3PXP"));
    }

    #[test]
    fn recovery_codes_are_keyed_hashes_matched_however_typed_under_old_keys_too() {
        let before = DataKeys::parse(OLD, &[]).unwrap();
        let stored = before.recovery_code_hash("k7mq2-x9pte");
        assert!(stored.starts_with("hmac1:"));
        assert_ne!(stored, DataKeys::parse(NEW, &[]).unwrap().recovery_code_hash("k7mq2-x9pte"), "keyed");
        let after = DataKeys::parse(NEW, &[OLD]).unwrap();
        assert!(after.recovery_code_hashes("K7MQ2 X9PTE").contains(&stored));
        assert!(after.recovery_hash_is_old(&stored));
        assert!(!after.recovery_hash_is_old(&after.recovery_code_hash("k7mq2-x9pte")));
    }

    #[test]
    fn a_key_must_be_sixty_four_hex_digits() {
        assert_eq!(DataKeys::parse("abc", &[]).err(), Some(KeyError::BadKey));
        assert_eq!(DataKeys::parse(NEW, &["zz"]).err(), Some(KeyError::BadKey));
        assert_eq!(DataKeys::generate().len(), 64);
        assert!(DataKeys::parse(&DataKeys::generate(), &[]).is_ok());
        assert!(!format!("{:?}", DataKeys::parse(NEW, &[]).unwrap()).contains(NEW), "never printed");
    }
}

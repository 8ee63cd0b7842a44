//! Time-based one-time passwords (RFC 6238) for the staff sign-in's second
//! step: HMAC-SHA1, 30-second steps, six digits, as every authenticator app
//! expects by default.

use hmac::{Hmac, Mac};
use sha1::Sha1;

pub const STEP_SECONDS: i64 = 30;
pub const DIGITS: u32 = 6;
/// Secrets are 160 bits, the size RFC 4226 recommends for HMAC-SHA1.
pub const SECRET_BYTES: usize = 20;

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// A TOTP secret. Held as the base32 text authenticator apps take.
#[derive(Clone, PartialEq, Eq)]
pub struct TotpSecret(Vec<u8>);

impl std::fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TotpSecret(…)")
    }
}

impl TotpSecret {
    pub fn from_bytes(bytes: [u8; SECRET_BYTES]) -> Self {
        Self(bytes.to_vec())
    }

    /// Reads base32 (RFC 4648), ignoring case, spaces and padding.
    pub fn from_base32(text: &str) -> Option<Self> {
        let mut bits: u64 = 0;
        let mut count = 0;
        let mut bytes = Vec::new();
        for c in text.chars().filter(|c| !c.is_whitespace() && *c != '=') {
            let value = BASE32.iter().position(|&b| b == c.to_ascii_uppercase() as u8)? as u64;
            bits = (bits << 5) | value;
            count += 5;
            if count >= 8 {
                count -= 8;
                bytes.push((bits >> count) as u8);
                bits &= (1 << count) - 1;
            }
        }
        (bytes.len() >= 10).then_some(Self(bytes))
    }

    pub fn to_base32(&self) -> String {
        let mut out = String::new();
        for chunk in self.0.chunks(5) {
            let mut block = [0u8; 5];
            block[..chunk.len()].copy_from_slice(chunk);
            let value = block.iter().fold(0u64, |acc, &b| (acc << 8) | b as u64);
            let chars = (chunk.len() * 8).div_ceil(5);
            for i in 0..chars {
                out.push(BASE32[((value >> (35 - 5 * i)) & 31) as usize] as char);
            }
        }
        out
    }

    /// The base32 text in groups of four, easier to type by hand.
    pub fn grouped(&self) -> String {
        let text = self.to_base32();
        text.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ")
    }

    /// The `otpauth://` address an authenticator app reads from the QR code.
    pub fn otpauth_uri(&self, issuer: &str, account: &str) -> String {
        let issuer = percent_encode(issuer);
        format!(
            "otpauth://totp/{issuer}:{}?secret={}&issuer={issuer}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
            percent_encode(account),
            self.to_base32()
        )
    }

    /// The code for one time step.
    pub fn code_at_step(&self, step: i64) -> String {
        let mut mac = Hmac::<Sha1>::new_from_slice(&self.0).expect("HMAC takes a key of any length");
        mac.update(&step.to_be_bytes());
        let digest = mac.finalize().into_bytes();
        let offset = (digest[19] & 0x0f) as usize;
        let number =
            u32::from_be_bytes([digest[offset] & 0x7f, digest[offset + 1], digest[offset + 2], digest[offset + 3]]);
        format!("{:0width$}", number % 10u32.pow(DIGITS), width = DIGITS as usize)
    }
}

/// The time step an instant falls in.
pub fn step_of(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(STEP_SECONDS)
}

/// Checks a typed code against the current step and one step either side
/// (phone clocks drift), accepting only steps after `last_used_step`, so a code
/// seen over someone's shoulder cannot be used again. Returns the step matched.
pub fn verify(secret: &TotpSecret, typed: &str, unix_seconds: i64, last_used_step: Option<i64>) -> Option<i64> {
    let typed: String = typed.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    if typed.len() != DIGITS as usize || !typed.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let now = step_of(unix_seconds);
    (now - 1..=now + 1)
        .filter(|step| last_used_step.is_none_or(|last| *step > last))
        .find(|step| constant_time_eq(secret.code_at_step(*step).as_bytes(), typed.as_bytes()))
}

/// Whether `typed` looks like a six-digit code (rather than a recovery code).
pub fn looks_like_code(typed: &str) -> bool {
    let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    digits.len() == DIGITS as usize && digits.chars().all(|c| c.is_ascii_digit())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'@' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The RFC 6238 appendix B secret for SHA-1: the ASCII of "12345678901234567890".
    fn rfc_secret() -> TotpSecret {
        TotpSecret(b"12345678901234567890".to_vec())
    }

    #[test]
    fn codes_match_the_rfc_6238_test_vectors() {
        // Appendix B gives eight digits; six-digit codes are their last six.
        for (time, eight) in
            [(59, "94287082"), (1111111109, "07081804"), (1234567890, "89005924"), (2000000000, "69279037")]
        {
            assert_eq!(rfc_secret().code_at_step(step_of(time)), eight[2..], "at {time}");
        }
    }

    #[test]
    fn base32_round_trips_and_reads_what_apps_show() {
        let secret = rfc_secret();
        assert_eq!(secret.to_base32(), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(TotpSecret::from_base32("gezd gnbv gy3t qojq gezd gnbv gy3t qojq"), Some(secret.clone()));
        assert_eq!(secret.grouped().split(' ').count(), 8);
        assert_eq!(TotpSecret::from_base32("not base32!"), None);
        assert_eq!(TotpSecret::from_base32("ABCD"), None, "too short to be a secret");
    }

    #[test]
    fn a_code_is_accepted_one_step_either_side_and_not_beyond() {
        let secret = rfc_secret();
        let now = 1_700_000_000;
        let step = step_of(now);
        assert_eq!(verify(&secret, &secret.code_at_step(step), now, None), Some(step));
        assert_eq!(verify(&secret, &secret.code_at_step(step - 1), now, None), Some(step - 1));
        assert_eq!(verify(&secret, &secret.code_at_step(step + 1), now, None), Some(step + 1));
        assert_eq!(verify(&secret, &secret.code_at_step(step - 2), now, None), None);
        assert_eq!(verify(&secret, &secret.code_at_step(step + 2), now, None), None);
    }

    #[test]
    fn a_code_works_once() {
        let secret = rfc_secret();
        let now = 1_700_000_000;
        let code = secret.code_at_step(step_of(now));
        let used = verify(&secret, &code, now, None).expect("first use");
        assert_eq!(verify(&secret, &code, now + 5, Some(used)), None);
    }

    #[test]
    fn spaces_are_ignored_and_anything_but_six_digits_is_refused() {
        let secret = rfc_secret();
        let now = 1_700_000_000;
        let code = secret.code_at_step(step_of(now));
        assert!(verify(&secret, &format!("{} {}", &code[..3], &code[3..]), now, None).is_some());
        assert_eq!(verify(&secret, "12345", now, None), None);
        assert_eq!(verify(&secret, "abcdef", now, None), None);
        assert!(looks_like_code(" 123 456 "));
        assert!(!looks_like_code("abcde-fghij"));
    }

    #[test]
    fn the_otpauth_address_names_the_issuer_and_account() {
        let uri = rfc_secret().otpauth_uri("Riverside Medical Practice", "admin@riverside.example");
        assert!(uri.starts_with("otpauth://totp/Riverside%20Medical%20Practice:admin@riverside.example?secret=GEZD"));
        assert!(uri.contains("&digits=6&period=30"));
    }
}

//! How long a signed-in session lasts.

use chrono::{DateTime, TimeDelta, Utc};

/// Which kind of person a session is for: staff sessions lapse sooner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    Patient,
    Staff,
}

impl SessionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Patient => "patient",
            Self::Staff => "staff",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "patient" => Some(Self::Patient),
            "staff" => Some(Self::Staff),
            _ => None,
        }
    }

    /// Signed out after this long without a request.
    pub fn idle_timeout(self) -> TimeDelta {
        match self {
            Self::Patient => TimeDelta::minutes(30),
            Self::Staff => TimeDelta::minutes(15),
        }
    }
}

/// Signed out this long after signing in, however active.
pub const ABSOLUTE_LIFETIME: TimeDelta = TimeDelta::hours(12);

/// Whether a session presented at `now` still stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Liveness {
    Live,
    Expired,
}

pub fn liveness(kind: SessionKind, created: DateTime<Utc>, last_seen: DateTime<Utc>, now: DateTime<Utc>) -> Liveness {
    if now >= created + ABSOLUTE_LIFETIME || now >= last_seen + kind.idle_timeout() {
        Liveness::Expired
    } else {
        Liveness::Live
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(minutes: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 6, 1, 8, 0, 0).unwrap() + TimeDelta::minutes(minutes)
    }

    #[test]
    fn a_patient_session_lapses_after_30_idle_minutes_and_a_staff_one_after_15() {
        assert_eq!(liveness(SessionKind::Patient, at(0), at(0), at(29)), Liveness::Live);
        assert_eq!(liveness(SessionKind::Patient, at(0), at(0), at(30)), Liveness::Expired);
        assert_eq!(liveness(SessionKind::Staff, at(0), at(0), at(14)), Liveness::Live);
        assert_eq!(liveness(SessionKind::Staff, at(0), at(0), at(15)), Liveness::Expired);
    }

    #[test]
    fn activity_keeps_a_session_only_until_twelve_hours_after_sign_in() {
        assert!(liveness(SessionKind::Patient, at(0), at(710), at(719)) == Liveness::Live);
        assert_eq!(liveness(SessionKind::Patient, at(0), at(710), at(720)), Liveness::Expired);
    }

    #[test]
    fn kinds_round_trip_through_their_stored_names() {
        for kind in [SessionKind::Patient, SessionKind::Staff] {
            assert_eq!(SessionKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(SessionKind::parse("admin"), None);
    }
}

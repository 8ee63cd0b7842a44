//! Reading a register export (CSV) into patients to add, with every problem
//! found, by line, before anything is written.
//!
//! Columns, with a header line naming them (any order, any case):
//! `identifier_type` (`nhs`, `chi` or `hc`), `identifier`, `given_name`,
//! `family_name`, `date_of_birth` (`1940-01-15` or `15/01/1940`), `sex`
//! (`female`, `male`, `other` or `unknown`), `address`, `postcode`, `email`,
//! `mobile`. The last four may be empty.

use crate::email::Email;
use crate::identifiers::{IdentifierKind, PatientIdentifier};
use chrono::NaiveDate;
use std::collections::HashMap;

pub const COLUMNS: [&str; 10] = [
    "identifier_type",
    "identifier",
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "address",
    "postcode",
    "email",
    "mobile",
];

/// The most rows one import takes.
pub const MAX_ROWS: usize = 20_000;

/// A patient read from a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    pub line: usize,
    pub identifier: PatientIdentifier,
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: NaiveDate,
    pub sex: &'static str,
    pub address: String,
    pub postcode: String,
    pub email: Option<String>,
    pub mobile: Option<String>,
}

/// A problem with a line (line 1 is the header).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LineProblem {
    pub line: usize,
    pub message: String,
}

/// Reads the whole file: the rows when every line is good, otherwise every
/// problem found.
pub fn read_register(text: &str, today: NaiveDate) -> Result<Vec<ImportRow>, Vec<LineProblem>> {
    let mut lines =
        split_records(text).into_iter().filter(|(_, fields)| !(fields.len() == 1 && fields[0].trim().is_empty()));
    let problem = |line: usize, message: String| LineProblem { line, message };
    let Some((header_line, header)) = lines.next() else {
        return Err(vec![problem(1, "The file is empty: it needs a header line and a line per patient".into())]);
    };
    let header: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
    let missing: Vec<&str> = COLUMNS.iter().copied().filter(|c| !header.iter().any(|h| h == c)).collect();
    if !missing.is_empty() {
        return Err(vec![problem(
            header_line,
            format!("The header line is missing the column(s): {}", missing.join(", ")),
        )]);
    }
    let at = |name: &str| header.iter().position(|h| h == name).unwrap_or(0);
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (line, fields) in lines {
        if rows.len() + problems.len() >= MAX_ROWS {
            problems.push(problem(line, format!("A file may hold at most {MAX_ROWS} patients; split it")));
            break;
        }
        let field = |name: &str| fields.get(at(name)).map(|f| f.trim()).unwrap_or("");
        let mut wrong = Vec::new();
        let kind = match field("identifier_type").to_lowercase().as_str() {
            "nhs" => Some(IdentifierKind::Nhs),
            "chi" => Some(IdentifierKind::Chi),
            "hc" | "h&c" | "health_and_care" => Some(IdentifierKind::HealthAndCare),
            other => {
                wrong.push(format!("identifier_type {other:?} is not nhs, chi or hc"));
                None
            }
        };
        let identifier = kind.and_then(|kind| match PatientIdentifier::parse(kind, field("identifier")) {
            Ok(id) => Some(id),
            Err(e) => {
                wrong.push(format!("identifier: {}", e.message));
                None
            }
        });
        if let Some(id) = &identifier {
            match seen.get(id.as_str()) {
                Some(first) => wrong.push(format!("identifier {} is also on line {first}", id.as_str())),
                None => {
                    seen.insert(id.as_str().to_owned(), line);
                }
            }
        }
        for name in ["given_name", "family_name"] {
            if field(name).is_empty() {
                wrong.push(format!("{name} is empty"));
            } else if field(name).chars().count() > 100 {
                wrong.push(format!("{name} is longer than 100 characters"));
            }
        }
        let born = match crate::time::parse_typed_date(field("date_of_birth")) {
            Some(date) if date > today => {
                wrong.push("date_of_birth is in the future".into());
                None
            }
            Some(date) => Some(date),
            None => {
                wrong.push(format!(
                    "date_of_birth {:?} is not a date like 1940-01-15 or 15/01/1940",
                    field("date_of_birth")
                ));
                None
            }
        };
        let sex = match field("sex").to_lowercase().as_str() {
            "female" => Some("female"),
            "male" => Some("male"),
            "other" => Some("other"),
            "unknown" | "" => Some("unknown"),
            other => {
                wrong.push(format!("sex {other:?} is not female, male, other or unknown"));
                None
            }
        };
        let email = match field("email") {
            "" => None,
            typed => match Email::parse(typed) {
                Ok(email) => Some(email.as_str().to_owned()),
                Err(e) => {
                    wrong.push(format!("email: {}", e.message));
                    None
                }
            },
        };
        let mobile = match field("mobile") {
            "" => None,
            typed => match uk_mobile(typed) {
                Some(mobile) => Some(mobile),
                None => {
                    wrong.push(format!("mobile {typed:?} is not a UK mobile number like 07700 900123"));
                    None
                }
            },
        };
        match (identifier, born, sex, wrong.is_empty()) {
            (Some(identifier), Some(date_of_birth), Some(sex), true) => rows.push(ImportRow {
                line,
                identifier,
                given_name: field("given_name").to_owned(),
                family_name: field("family_name").to_owned(),
                date_of_birth,
                sex,
                address: field("address").to_owned(),
                postcode: field("postcode").to_uppercase(),
                email,
                mobile,
            }),
            _ => problems.push(problem(line, wrong.join("; "))),
        }
    }
    if rows.is_empty() && problems.is_empty() {
        problems.push(problem(header_line, "The file has a header line but no patients".into()));
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}

/// A UK mobile number (07… or +447…, spaces allowed), as `07700 900123`.
pub fn uk_mobile(typed: &str) -> Option<String> {
    let digits: String = typed.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')')).collect();
    let national = match digits.strip_prefix("+44") {
        Some(rest) => format!("0{rest}"),
        None => digits,
    };
    (national.len() == 11 && national.starts_with("07") && national.chars().all(|c| c.is_ascii_digit()))
        .then(|| format!("{} {}", &national[..5], &national[5..]))
}

/// Splits CSV text into records of fields, each with the line it starts on.
/// Quoted fields may hold commas, doubled quotes and line breaks.
fn split_records(text: &str) -> Vec<(usize, Vec<String>)> {
    let mut records = Vec::new();
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut line = 1;
    let mut start = 1;
    let mut chars = text.trim_start_matches('\u{feff}').chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            ('"', true) => quoted = false,
            ('"', false) if field.is_empty() => quoted = true,
            (',', false) => fields.push(std::mem::take(&mut field)),
            ('\r', false) => {}
            ('\n', false) => {
                fields.push(std::mem::take(&mut field));
                records.push((start, std::mem::take(&mut fields)));
                line += 1;
                start = line;
            }
            ('\n', true) => {
                line += 1;
                field.push('\n');
            }
            (other, _) => field.push(other),
        }
    }
    if !field.is_empty() || !fields.is_empty() {
        fields.push(field);
        records.push((start, fields));
    }
    records
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str =
        "identifier_type,identifier,given_name,family_name,date_of_birth,sex,address,postcode,email,mobile";

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
    }

    #[test]
    fn good_lines_become_patients() {
        let text = format!(
            "{HEADER}\nnhs,943 476 5919,Amara,Ahmed,15/01/1940,female,\"1 River Lane, Riverside\",ab1 2cd,amara@example.org,+44 7700 900123\n\
             chi,1501401238,Ian,Scott,1940-01-15,male,,,,\n"
        );
        let rows = read_register(&text, today()).expect("all good");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].address, "1 River Lane, Riverside");
        assert_eq!(rows[0].postcode, "AB1 2CD");
        assert_eq!(rows[0].mobile.as_deref(), Some("07700 900123"));
        assert_eq!(rows[1].identifier.kind(), IdentifierKind::Chi);
        assert_eq!(rows[1].line, 3);
    }

    #[test]
    fn every_bad_line_is_reported_with_its_number_and_every_problem() {
        let text = format!(
            "{HEADER}\nnhs,943 476 5918,Amara,Ahmed,15/01/1940,female,,,,\n\
             nhs,943 476 5919,,Ahmed,31/02/1940,robot,,,not-an-email,0123\n\
             nhs,943 476 5919,Ben,Ahmed,01/01/2030,male,,,,\n\
             nhs,943 476 5919,Ben,Ahmed,01/01/1990,male,,,,\n"
        );
        let problems = read_register(&text, today()).unwrap_err();
        let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [2, 3, 4, 5]);
        assert!(problems[0].message.contains("identifier"));
        for part in ["given_name is empty", "date_of_birth", "sex \"robot\"", "email", "mobile"] {
            assert!(problems[1].message.contains(part), "{part} in {}", problems[1].message);
        }
        assert!(problems[2].message.contains("in the future"));
        assert!(problems[3].message.contains("also on line 3"));
    }

    #[test]
    fn a_missing_column_or_an_empty_file_is_reported_on_the_header() {
        let problems = read_register("identifier,given_name\n", today()).unwrap_err();
        assert_eq!(problems[0].line, 1);
        assert!(problems[0].message.contains("identifier_type"));
        assert!(read_register("", today()).is_err());
        assert!(read_register(HEADER, today()).unwrap_err()[0].message.contains("no patients"));
    }

    #[test]
    fn quoted_fields_keep_commas_quotes_and_line_breaks_and_line_numbers_follow() {
        let records = split_records("a,\"b, \"\"c\"\"\nd\",e\r\nf,g");
        assert_eq!(records[0], (1, vec!["a".to_owned(), "b, \"c\"\nd".to_owned(), "e".to_owned()]));
        assert_eq!(records[1], (3, vec!["f".to_owned(), "g".to_owned()]));
    }
}

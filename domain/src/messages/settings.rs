//! What a practice admin types into the messaging settings, read into the
//! values the rules use: lists one item per line, daily caps, the reply
//! promise.

use crate::Invalid;

/// The longest category name or red-flag phrase.
pub const MAX_ITEM_CHARS: usize = 60;
/// The most categories a practice offers: patients choose from a short list.
pub const MAX_CATEGORIES: usize = 12;
/// The most red-flag phrases a practice keeps.
pub const MAX_RED_FLAGS: usize = 200;
/// The longest reply promise.
pub const MAX_PROMISE_CHARS: usize = 100;
/// The highest daily cap that can be set.
pub const MAX_DAILY_CAP: u32 = 10_000;

/// A list typed one item per line: trimmed, blank lines dropped, each item
/// once (the first spelling kept, whatever the case), at most `max` items
/// of at most [`MAX_ITEM_CHARS`] characters.
pub fn parse_lines(text: &str, what: &str, max: usize) -> Result<Vec<String>, Invalid> {
    let mut items: Vec<String> = Vec::new();
    for line in text.lines() {
        let item = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if item.is_empty() || items.iter().any(|known| known.eq_ignore_ascii_case(&item)) {
            continue;
        }
        if item.chars().count() > MAX_ITEM_CHARS {
            return Err(Invalid::new(format!("Each {what} must be {MAX_ITEM_CHARS} characters or fewer: {item:?}")));
        }
        items.push(item);
    }
    if items.len() > max {
        return Err(Invalid::new(format!("Enter at most {max} {what}s (there are {})", items.len())));
    }
    Ok(items)
}

/// A daily cap as typed: empty for no limit, otherwise a whole number from
/// 1 to [`MAX_DAILY_CAP`].
pub fn parse_cap(text: &str) -> Result<Option<u32>, Invalid> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<u32>() {
        Ok(cap) if (1..=MAX_DAILY_CAP).contains(&cap) => Ok(Some(cap)),
        _ => {
            Err(Invalid::new(format!("Enter a whole number from 1 to {MAX_DAILY_CAP}, or leave it empty for no limit")))
        }
    }
}

/// What the practice promises about replies, as patients read it after
/// "We aim to reply": such as "within 2 working days".
pub fn parse_promise(text: &str) -> Result<String, Invalid> {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return Err(Invalid::new("Enter when patients can expect a reply, such as within 2 working days"));
    }
    if text.chars().count() > MAX_PROMISE_CHARS {
        return Err(Invalid::new(format!("The reply time must be {MAX_PROMISE_CHARS} characters or fewer")));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_drops_blank_lines_and_repeats_whatever_their_case() {
        let items = parse_lines("Test results\n\n  test RESULTS \nSomething   else\n", "category", 12).unwrap();
        assert_eq!(items, vec!["Test results", "Something else"]);
    }

    #[test]
    fn a_list_refuses_too_many_items_and_items_too_long() {
        let many = (0..13).map(|i| format!("Category {i}")).collect::<Vec<_>>().join("\n");
        assert!(parse_lines(&many, "category", MAX_CATEGORIES).unwrap_err().message.contains("at most 12"));
        let long = "x".repeat(MAX_ITEM_CHARS + 1);
        assert!(parse_lines(&long, "phrase", MAX_RED_FLAGS).is_err());
        assert!(parse_lines(&"x".repeat(MAX_ITEM_CHARS), "phrase", MAX_RED_FLAGS).is_ok());
    }

    #[test]
    fn a_cap_is_empty_for_no_limit_or_a_whole_number_in_range() {
        assert_eq!(parse_cap(" "), Ok(None));
        assert_eq!(parse_cap("3"), Ok(Some(3)));
        assert_eq!(parse_cap("10000"), Ok(Some(MAX_DAILY_CAP)));
        for bad in ["0", "-1", "2.5", "ten", "10001"] {
            assert!(parse_cap(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_promise_is_needed_and_kept_short() {
        assert_eq!(parse_promise("  within 2   working days "), Ok("within 2 working days".to_owned()));
        assert!(parse_promise("  ").is_err());
        assert!(parse_promise(&"x".repeat(MAX_PROMISE_CHARS + 1)).is_err());
    }
}

//! Numbers as planners read them: whole numbers grouped by thousands (140,000), areas in m².

/// A whole number with thousands separators: `1,234,567`.
pub fn grouped(number: u64) -> String {
    let digits = number.to_string();
    let mut output = String::with_capacity(digits.len() + digits.len() / 3);
    for (position, digit) in digits.chars().enumerate() {
        if position > 0 && (digits.len() - position).is_multiple_of(3) {
            output.push(',');
        }
        output.push(digit);
    }
    output
}

/// A signed whole number with thousands separators.
pub fn grouped_signed(number: i64) -> String {
    if number < 0 {
        format!("-{}", grouped(number.unsigned_abs()))
    } else {
        grouped(number.unsigned_abs())
    }
}

/// A share as a percentage with one decimal: `79.4%`.
pub fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

/// True when the system locale (LC_ALL, LC_MESSAGES, LANG, the first one set) is Chinese.
pub fn system_locale_is_chinese() -> bool {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|value| !value.is_empty()))
        .is_some_and(|locale| locale.to_lowercase().starts_with("zh"))
}

/// True for a real calendar date written YYYY-MM-DD (2026-02-30 is not one).
pub fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let [year, month, day] = parts.as_slice() else {
        return false;
    };
    let number = |part: &str, digits: usize| {
        (part.len() == digits && part.bytes().all(|byte| byte.is_ascii_digit()))
            .then(|| part.parse::<u32>().ok())
            .flatten()
    };
    let (Some(year), Some(month), Some(day)) = (number(year, 4), number(month, 2), number(day, 2))
    else {
        return false;
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days_in_month).contains(&day)
}

/// Today's date (UTC) as YYYY-MM-DD.
pub fn today() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    civil_date(seconds / 86_400)
}

/// The Gregorian date of a day counted from 1970-01-01 (Howard Hinnant's `civil_from_days`).
pub fn civil_date(days_since_epoch: u64) -> String {
    let z = days_since_epoch as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert_eq!(grouped_signed(-2500), "-2,500");
    }

    #[test]
    fn days_since_1970_become_calendar_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(11_161), "2000-07-23");
        assert_eq!(civil_date(20_784), "2026-11-27");
    }
}

#[cfg(test)]
mod date_tests {
    use super::*;

    #[test]
    fn only_real_dates_written_year_month_day_are_dates() {
        for date in ["2026-12-01", "2024-02-29", "2000-02-29"] {
            assert!(is_date(date), "{date}");
        }
        for text in [
            "not-a-date",
            "2026-02-30",
            "1900-02-29",
            "2026-13-01",
            "26-12-01",
            "2026-1-01",
            "",
        ] {
            assert!(!is_date(text), "{text}");
        }
    }
}

//! Business days: weekends and Belgian public holidays excluded. The holidays are data, a
//! TOML file (`holidays/be.toml`, embedded, or another file named in the configuration)
//! that lists every holiday of the years it covers. A date outside those years is an
//! error, never silently a business day: the operator must extend the file.

use std::collections::BTreeMap;

use backend_kit::clock::is_weekend;
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

/// The calendar shipped with the backend: Belgium, 2024 to 2030.
pub const BELGIUM_TOML: &str = include_str!("../holidays/be.toml");

/// Why a calendar could not be loaded or used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// The file is not valid TOML of the expected shape.
    #[error("holiday file: {0}")]
    Parse(String),
    /// A listed date is malformed, duplicated or outside the declared years.
    #[error("holiday file: {0}")]
    Invalid(String),
    /// The calendar does not cover this year.
    #[error("the holiday calendar does not cover {0}; extend the holiday file")]
    NotCovered(i32),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    country: String,
    first_year: i32,
    last_year: i32,
    #[serde(default)]
    holiday: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    date: String,
    name: String,
}

/// Public holidays of a range of years.
#[derive(Debug, Clone)]
pub struct HolidayCalendar {
    country: String,
    first_year: i32,
    last_year: i32,
    days: BTreeMap<NaiveDate, String>,
}

impl HolidayCalendar {
    /// The embedded Belgian calendar.
    pub fn belgium() -> Result<Self, CalendarError> {
        Self::from_toml(BELGIUM_TOML)
    }

    /// Read a calendar file.
    pub fn load(path: &std::path::Path) -> Result<Self, CalendarError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| CalendarError::Parse(format!("{}: {e}", path.display())))?;
        Self::from_toml(&text)
    }

    /// Parse and check a calendar.
    pub fn from_toml(text: &str) -> Result<Self, CalendarError> {
        let file: File = toml::from_str(text).map_err(|e| CalendarError::Parse(e.to_string()))?;
        if file.first_year > file.last_year {
            return Err(CalendarError::Invalid(
                "first_year is after last_year".to_owned(),
            ));
        }
        let mut days = BTreeMap::new();
        for entry in file.holiday {
            let date = NaiveDate::parse_from_str(&entry.date, "%Y-%m-%d")
                .map_err(|_| CalendarError::Invalid(format!("bad date {:?}", entry.date)))?;
            if date.year() < file.first_year || date.year() > file.last_year {
                return Err(CalendarError::Invalid(format!(
                    "{date} is outside {}..={}",
                    file.first_year, file.last_year
                )));
            }
            if entry.name.trim().is_empty() {
                return Err(CalendarError::Invalid(format!("{date} has no name")));
            }
            if days.insert(date, entry.name).is_some() {
                return Err(CalendarError::Invalid(format!("{date} is listed twice")));
            }
        }
        for year in file.first_year..=file.last_year {
            if !days.keys().any(|d| d.year() == year) {
                return Err(CalendarError::Invalid(format!(
                    "no holiday listed for {year}"
                )));
            }
        }
        Ok(Self {
            country: file.country,
            first_year: file.first_year,
            last_year: file.last_year,
            days,
        })
    }

    /// Country code of the calendar.
    pub fn country(&self) -> &str {
        &self.country
    }

    /// Years covered, inclusive.
    pub fn years(&self) -> (i32, i32) {
        (self.first_year, self.last_year)
    }

    /// Whether `year` is covered.
    pub fn covers(&self, year: i32) -> bool {
        (self.first_year..=self.last_year).contains(&year)
    }

    /// The holiday's name, if `date` is one.
    pub fn holiday(&self, date: NaiveDate) -> Option<&str> {
        self.days.get(&date).map(String::as_str)
    }

    /// Every holiday, in order.
    pub fn holidays(&self) -> impl Iterator<Item = (NaiveDate, &str)> {
        self.days.iter().map(|(d, n)| (*d, n.as_str()))
    }

    /// A weekday that is no public holiday.
    pub fn is_business_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        if !self.covers(date.year()) {
            return Err(CalendarError::NotCovered(date.year()));
        }
        Ok(!is_weekend(date) && !self.days.contains_key(&date))
    }

    /// The `n`-th business day strictly after `date` (`date` itself never counts).
    pub fn add_business_days(&self, date: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        let mut day = date;
        let mut left = n;
        while left > 0 {
            day = day
                .succ_opt()
                .ok_or(CalendarError::NotCovered(date.year()))?;
            if self.is_business_day(day)? {
                left -= 1;
            }
        }
        Ok(day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    /// Anonymous Gregorian algorithm (Meeus/Jones/Butcher), to cross-check the file.
    fn easter(y: i32) -> NaiveDate {
        let a = y % 19;
        let b = y / 100;
        let c = y % 100;
        let dd = b / 4;
        let e = b % 4;
        let f = (b + 8) / 25;
        let g = (b - f + 1) / 3;
        let h = (19 * a + b - dd - g + 15) % 30;
        let i = c / 4;
        let k = c % 4;
        let l = (32 + 2 * e + 2 * i - h - k) % 7;
        let m = (a + 11 * h + 22 * l) / 451;
        let month = (h + l - 7 * m + 114) / 31;
        let day = (h + l - 7 * m + 114) % 31 + 1;
        d(
            y,
            u32::try_from(month).expect("month"),
            u32::try_from(day).expect("day"),
        )
    }

    #[test]
    fn shipped_calendar_lists_the_ten_belgian_holidays_every_year() {
        let cal = HolidayCalendar::belgium().expect("calendar");
        assert_eq!(cal.years(), (2024, 2030));
        for year in 2024..=2030 {
            let count = cal.holidays().filter(|(d, _)| d.year() == year).count();
            assert_eq!(count, 10, "{year}");
            let e = easter(year);
            for (offset, name) in [
                (1, "Easter Monday"),
                (39, "Ascension Day"),
                (50, "Whit Monday"),
            ] {
                assert_eq!(
                    cal.holiday(e + Duration::days(offset)),
                    Some(name),
                    "{year}"
                );
            }
            for (m, day) in [
                (1, 1),
                (5, 1),
                (7, 21),
                (8, 15),
                (11, 1),
                (11, 11),
                (12, 25),
            ] {
                assert!(cal.holiday(d(year, m, day)).is_some(), "{year}-{m}-{day}");
            }
        }
        assert_eq!(easter(2025), d(2025, 4, 20));
        assert_eq!(easter(2024), d(2024, 3, 31));
    }

    #[test]
    fn deadline_across_a_holiday_and_a_weekend() {
        let cal = HolidayCalendar::belgium().expect("calendar");
        // Friday 18 April 2025, then the weekend, then Easter Monday 21 April.
        assert_eq!(cal.add_business_days(d(2025, 4, 18), 1), Ok(d(2025, 4, 22)));
        assert_eq!(cal.add_business_days(d(2025, 4, 18), 5), Ok(d(2025, 4, 28)));
        // Wednesday 30 April 2025: Labour Day Thursday, then Friday, weekend.
        assert_eq!(cal.add_business_days(d(2025, 4, 30), 5), Ok(d(2025, 5, 8)));
        // Christmas week 2026: Friday 25 December is a holiday.
        assert_eq!(
            cal.add_business_days(d(2026, 12, 23), 5),
            Ok(d(2026, 12, 31))
        );
        // Across a year end: Thursday 31 December 2026, New Year's Day on Friday.
        assert_eq!(cal.add_business_days(d(2026, 12, 31), 1), Ok(d(2027, 1, 4)));
        // An encoding on a Saturday counts from the Monday, here Whit Monday 9 June 2025.
        assert_eq!(cal.add_business_days(d(2025, 6, 7), 5), Ok(d(2025, 6, 16)));
    }

    #[test]
    fn years_outside_the_file_are_an_error() {
        let cal = HolidayCalendar::belgium().expect("calendar");
        assert_eq!(
            cal.add_business_days(d(2030, 12, 27), 5),
            Err(CalendarError::NotCovered(2031))
        );
        assert_eq!(
            cal.is_business_day(d(2023, 5, 2)),
            Err(CalendarError::NotCovered(2023))
        );
    }

    #[test]
    fn bad_files_are_refused() {
        let base = "country = \"BE\"\nfirst_year = 2025\nlast_year = 2025\n";
        assert!(
            HolidayCalendar::from_toml(base).is_err(),
            "no holiday at all"
        );
        let dup = format!(
            "{base}[[holiday]]\ndate = \"2025-01-01\"\nname = \"a\"\n[[holiday]]\ndate = \"2025-01-01\"\nname = \"b\"\n"
        );
        assert!(HolidayCalendar::from_toml(&dup).is_err());
        let outside = format!("{base}[[holiday]]\ndate = \"2026-01-01\"\nname = \"a\"\n");
        assert!(HolidayCalendar::from_toml(&outside).is_err());
        let bad = format!("{base}[[holiday]]\ndate = \"2025-13-01\"\nname = \"a\"\n");
        assert!(HolidayCalendar::from_toml(&bad).is_err());
        let unknown =
            format!("{base}colour = 1\n[[holiday]]\ndate = \"2025-01-01\"\nname = \"a\"\n");
        assert!(HolidayCalendar::from_toml(&unknown).is_err());
    }
}

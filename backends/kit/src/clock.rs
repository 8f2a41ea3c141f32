//! Time: an injectable clock, so tests run months of calendar in milliseconds, and the
//! conversion of instants to Belgian calendar dates (Europe/Brussels).
//!
//! Deadlines of the schemes are counted in Belgian days, so an instant is turned into a
//! date in Brussels time: CET (UTC+1) in winter, CEST (UTC+2) from the last Sunday of March
//! to the last Sunday of October, switching at 01:00 UTC (the EU summer-time rule,
//! Directive 2000/84/EC). The rule is short enough to compute here rather than pull in a
//! time-zone database.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};

/// Where "now" comes from. The system clock in production, a [`ManualClock`] in tests.
pub trait Clock: Send + Sync + 'static {
    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> i64;

    /// Today's date in Brussels.
    fn today(&self) -> NaiveDate {
        brussels_date(self.now_ms())
    }
}

/// The real clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        Utc::now().timestamp_millis()
    }
}

/// A clock that only moves when told to. Cheap to clone; clones share the time.
#[derive(Debug, Clone)]
pub struct ManualClock {
    ms: Arc<AtomicI64>,
}

impl ManualClock {
    /// A clock standing at `ms` milliseconds since the epoch.
    pub fn at_ms(ms: i64) -> Self {
        Self {
            ms: Arc::new(AtomicI64::new(ms)),
        }
    }

    /// A clock standing at `hour`:00 in Brussels on `date`.
    pub fn at_brussels(date: NaiveDate, hour: u32) -> Self {
        Self::at_ms(brussels_ms(date, hour))
    }

    /// Move to `hour`:00 in Brussels on `date` (forwards or backwards).
    pub fn set_brussels(&self, date: NaiveDate, hour: u32) {
        self.ms.store(brussels_ms(date, hour), Ordering::SeqCst);
    }

    /// Move by `ms` milliseconds.
    pub fn advance_ms(&self, ms: i64) {
        self.ms.fetch_add(ms, Ordering::SeqCst);
    }

    /// Move forward by whole days (24 hours each).
    pub fn advance_days(&self, days: i64) {
        self.advance_ms(days * 86_400_000);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> i64 {
        self.ms.load(Ordering::SeqCst)
    }
}

fn last_sunday(year: i32, month: u32) -> Option<NaiveDate> {
    let first_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    let last = first_next.pred_opt()?;
    let back = last.weekday().num_days_from_sunday();
    last.checked_sub_signed(Duration::days(i64::from(back)))
}

/// The UTC offset, in hours, of Brussels at the instant `utc`.
pub fn brussels_offset_hours(utc: DateTime<Utc>) -> i64 {
    let year = utc.year();
    let switch = |month| {
        last_sunday(year, month)
            .map(|d| Utc.from_utc_datetime(&d.and_time(NaiveTime::MIN)) + Duration::hours(1))
    };
    match (switch(3), switch(10)) {
        (Some(start), Some(end)) if utc >= start && utc < end => 2,
        _ => 1,
    }
}

/// The Brussels calendar date of an instant given in unix milliseconds.
pub fn brussels_date(ms: i64) -> NaiveDate {
    let utc = DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default();
    (utc + Duration::hours(brussels_offset_hours(utc))).date_naive()
}

/// Unix milliseconds of `hour`:00 Brussels time on `date` (hours 0..=23; during the
/// autumn overlap the first of the two instants is returned).
pub fn brussels_ms(date: NaiveDate, hour: u32) -> i64 {
    let local =
        date.and_time(NaiveTime::from_hms_opt(hour.min(23), 0, 0).unwrap_or(NaiveTime::MIN));
    // Try summer time first, then winter time: the first that maps back to the same local
    // time is right.
    for offset in [2, 1] {
        let utc = Utc.from_utc_datetime(&(local - Duration::hours(offset)));
        if brussels_offset_hours(utc) == offset {
            return utc.timestamp_millis();
        }
    }
    Utc.from_utc_datetime(&(local - Duration::hours(1)))
        .timestamp_millis()
}

/// Saturday or Sunday.
pub fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn summer_and_winter_offsets() {
        // 2025: summer time from 30 March 01:00 UTC to 26 October 01:00 UTC.
        let before = Utc
            .with_ymd_and_hms(2025, 3, 30, 0, 59, 0)
            .single()
            .expect("t");
        let after = Utc
            .with_ymd_and_hms(2025, 3, 30, 1, 0, 0)
            .single()
            .expect("t");
        assert_eq!(brussels_offset_hours(before), 1);
        assert_eq!(brussels_offset_hours(after), 2);
        let end = Utc
            .with_ymd_and_hms(2025, 10, 26, 1, 0, 0)
            .single()
            .expect("t");
        assert_eq!(brussels_offset_hours(end - Duration::seconds(1)), 2);
        assert_eq!(brussels_offset_hours(end), 1);
    }

    #[test]
    fn late_evening_utc_is_already_tomorrow_in_brussels() {
        // 22:30 UTC on 14 July is 00:30 on 15 July in Brussels (CEST).
        let t = Utc
            .with_ymd_and_hms(2025, 7, 14, 22, 30, 0)
            .single()
            .expect("t");
        assert_eq!(brussels_date(t.timestamp_millis()), d(2025, 7, 15));
        // 23:30 UTC on 14 January is 00:30 on 15 January (CET).
        let t = Utc
            .with_ymd_and_hms(2025, 1, 14, 23, 30, 0)
            .single()
            .expect("t");
        assert_eq!(brussels_date(t.timestamp_millis()), d(2025, 1, 15));
    }

    #[test]
    fn brussels_ms_round_trips_every_hour_of_a_switch_day() {
        for day in [
            d(2025, 3, 30),
            d(2025, 10, 26),
            d(2026, 6, 1),
            d(2026, 12, 31),
        ] {
            for hour in [0, 1, 4, 12, 23] {
                assert_eq!(brussels_date(brussels_ms(day, hour)), day, "{day} {hour}h");
            }
        }
    }

    #[test]
    fn manual_clock_moves_only_when_told() {
        let clock = ManualClock::at_brussels(d(2025, 6, 2), 9);
        assert_eq!(clock.today(), d(2025, 6, 2));
        clock.advance_days(30);
        assert_eq!(clock.today(), d(2025, 7, 2));
        let shared = clock.clone();
        shared.set_brussels(d(2026, 1, 1), 0);
        assert_eq!(clock.today(), d(2026, 1, 1));
    }
}

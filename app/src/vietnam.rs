//! Vietnam's clock: UTC+7 all year (no daylight saving). Every conversion between the
//! database's Unix seconds and what a Vietnamese reader sees goes through here.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};

fn offset() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset")
}

/// A moment as shown: `14:05 22/11/2026`.
pub fn time_text(unix: i64) -> String {
    DateTime::from_timestamp(unix, 0).map(|t| t.with_timezone(&offset()).format("%H:%M %d/%m/%Y").to_string()).unwrap_or_default()
}

/// The day of a moment as shown: `22/11/2026`.
pub fn date_text(unix: i64) -> String {
    DateTime::from_timestamp(unix, 0).map(|t| t.with_timezone(&offset()).format("%d/%m/%Y").to_string()).unwrap_or_default()
}

/// Unix seconds of 00:00 in Vietnam on `day`.
pub fn midnight(day: NaiveDate) -> i64 {
    offset().from_local_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight")).single().map(|t| t.timestamp()).unwrap_or_default()
}

/// The hour (0-23) in Vietnam at `now`.
pub fn hour(now: DateTime<Utc>) -> u32 {
    use chrono::Timelike;
    now.with_timezone(&offset()).hour()
}

/// The date in Vietnam at `now`.
pub fn today(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&offset()).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnam_is_seven_hours_ahead_all_year() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        assert_eq!(midnight(day), Utc.with_ymd_and_hms(2026, 11, 21, 17, 0, 0).unwrap().timestamp());
        assert_eq!(time_text(midnight(day)), "00:00 22/11/2026");
        assert_eq!(today(Utc.with_ymd_and_hms(2026, 11, 21, 17, 0, 0).unwrap()), day);
        assert_eq!(today(Utc.with_ymd_and_hms(2026, 11, 21, 16, 59, 59).unwrap()), day.pred_opt().unwrap());
    }
}

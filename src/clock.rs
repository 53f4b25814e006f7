//! Wall-clock time as the tool shows and stores it: milliseconds since the epoch (Kafka's
//! record timestamps), RFC 3339 for people, and a compact UTC stamp for file names.

/// Now, in milliseconds since the epoch.
pub fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

/// RFC 3339 in UTC with milliseconds, for people.
pub fn fmt_ms(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| format!("{t:.3}"))
        .unwrap_or_else(|_| format!("{ms} ms"))
}

/// `20261125T221947.940Z`: sorts by time, safe in file names.
pub fn file_stamp(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.strftime("%Y%m%dT%H%M%S%.3fZ").to_string())
        .unwrap_or_else(|_| ms.to_string())
}

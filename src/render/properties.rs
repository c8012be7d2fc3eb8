//! Typed front-matter properties (`front_matter.properties`): the dates,
//! numbers, booleans, strings and lists that vault notes and docs pages
//! carry beside their title (`created: 2024-03-05`, `priority: 3`,
//! `draft: false`, `related: [cache, eviction]`), written in each front
//! matter format's own syntax so that a reader gets the type, not a string.

use crate::plan::Plan;
use crate::record::FrontMatterFormat;
use crate::rng::{stream, Domain};

/// A property's value.
enum Value {
    /// A calendar date (year, month, day).
    Date(i64, u32, u32),
    Int(u64),
    /// A number with `decimals` digits after the point.
    Float(f64, usize),
    Bool(bool),
    Text(String),
    List(Vec<&'static str>),
}

/// The properties a note may carry, each with how its value is drawn.
const NAMES: [&str; 12] = [
    "created", "updated", "status", "priority", "rating", "draft", "version", "related",
    "progress", "order", "reviewed", "owner",
];

const STATUSES: [&str; 4] = ["draft", "review", "published", "archived"];

/// Days from 1970-01-01 to 2019-01-01: the earliest date drawn.
const FIRST_DAY: i64 = 17_897;

/// File `i`'s properties, in the order drawn: a pure function of the seed
/// and `i` (its own stream, so the body's draws do not move).
fn draw(plan: &Plan, i: u64) -> Vec<(&'static str, Value)> {
    let mean = plan.profile().front_matter.properties;
    if mean <= 0.0 {
        return Vec::new();
    }
    let mut r = stream(plan.seed(), Domain::Identity, &[i, 8]);
    // Between half and one and a half times the mean, so that notes differ.
    let n = ((mean * (0.5 + r.unit())).round() as usize).min(NAMES.len());
    let mut order: [usize; NAMES.len()] = std::array::from_fn(|k| k);
    let mut out = Vec::with_capacity(n);
    let mut created = None;
    for k in 0..n {
        let pick = k + r.index(NAMES.len() - k);
        order.swap(k, pick);
        let name = NAMES[order[k]];
        let value = match name {
            "created" => {
                let d = FIRST_DAY + r.below(2_700) as i64;
                created = Some(d);
                date(d)
            }
            "updated" => date(created.unwrap_or(FIRST_DAY) + 400 + r.below(400) as i64),
            "status" => Value::Text(STATUSES[r.index(STATUSES.len())].to_string()),
            "priority" => Value::Int(1 + r.below(5)),
            "rating" => Value::Float(1.0 + r.below(9) as f64 * 0.5, 1),
            "draft" | "reviewed" => Value::Bool(r.chance(0.3)),
            "version" => Value::Text(format!("{}.{}.{}", r.below(4), r.below(20), r.below(10))),
            "related" => {
                let m = 1 + r.index(3);
                Value::List((0..m).map(|_| plan.vocab.sample(&mut r)).collect())
            }
            "progress" => Value::Float(r.below(101) as f64 / 100.0, 2),
            "order" => Value::Int(1 + r.below(99)),
            _ => Value::Text(plan.vocab.sample(&mut r).to_string()),
        };
        out.push((name, value));
    }
    out
}

/// The calendar date `days` after 1970-01-01 (proleptic Gregorian).
fn date(days: i64) -> Value {
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    Value::Date(y, m, d)
}

/// File `i`'s publication date for a Hugo page (`date:`), `YYYY-MM-DD`:
/// its own stream, so no other draw moves.
pub(super) fn page_date(plan: &Plan, i: u64) -> String {
    let mut r = stream(plan.seed(), Domain::Identity, &[i, 9]);
    match date(FIRST_DAY + r.below(2_700) as i64) {
        Value::Date(y, m, d) => format!("{y:04}-{m:02}-{d:02}"),
        _ => unreachable!("date() makes dates"),
    }
}

/// Words YAML 1.1 readers take for booleans or null: quoted, so a string
/// stays a string.
fn yaml_word(w: &str) -> String {
    const SPECIAL: [&str; 11] = [
        "y", "n", "yes", "no", "on", "off", "true", "false", "null", "none", "~",
    ];
    if SPECIAL.contains(&w.to_ascii_lowercase().as_str()) {
        format!("\"{w}\"")
    } else {
        w.to_string()
    }
}

/// File `i`'s properties as front-matter lines (TOML, YAML) or JSON
/// members (each starting `, `), appended to `out`.
pub(super) fn write(plan: &Plan, i: u64, fmt: FrontMatterFormat, out: &mut String) {
    use std::fmt::Write as _;
    let hugo = plan.site() == Some(crate::site::Site::Hugo);
    for (name, v) in draw(plan, i) {
        if hugo && name == "draft" {
            // Hugo builds no draft: its front matter says `draft: false`.
            continue;
        }
        let quoted = |s: &str| format!("\"{s}\"");
        let text = match (&v, fmt) {
            (Value::Date(y, m, d), FrontMatterFormat::Json) => format!("\"{y:04}-{m:02}-{d:02}\""),
            // TOML and YAML both have date literals.
            (Value::Date(y, m, d), _) => format!("{y:04}-{m:02}-{d:02}"),
            (Value::Int(n), _) => n.to_string(),
            (Value::Float(x, k), _) => format!("{x:.k$}"),
            (Value::Bool(b), _) => b.to_string(),
            (Value::Text(s), FrontMatterFormat::Yaml) => yaml_word(s),
            (Value::Text(s), _) => quoted(s),
            (Value::List(ws), FrontMatterFormat::Yaml) => {
                let ws: Vec<String> = ws.iter().map(|w| yaml_word(w)).collect();
                format!("[{}]", ws.join(", "))
            }
            (Value::List(ws), _) => {
                let ws: Vec<String> = ws.iter().map(|w| quoted(w)).collect();
                format!("[{}]", ws.join(", "))
            }
        };
        let _ = match fmt {
            FrontMatterFormat::Toml => writeln!(out, "{name} = {text}"),
            FrontMatterFormat::Yaml => writeln!(out, "{name}: {text}"),
            FrontMatterFormat::Json => write!(out, ", \"{name}\": {text}"),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_the_calendar_s() {
        let show = |d| match date(d) {
            Value::Date(y, m, d) => format!("{y:04}-{m:02}-{d:02}"),
            _ => unreachable!(),
        };
        assert_eq!(show(0), "1970-01-01");
        assert_eq!(show(FIRST_DAY), "2019-01-01");
        assert_eq!(show(19_782), "2024-02-29");
        assert_eq!(show(19_783), "2024-03-01");
    }

    #[test]
    fn yaml_keeps_look_alike_words_strings() {
        assert_eq!(yaml_word("no"), "\"no\"");
        assert_eq!(yaml_word("cache"), "cache");
    }
}

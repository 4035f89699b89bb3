//! Percentages recomputed from their numerator and denominator.

use crate::check::Involved;
use crate::extract::TextFigure;

pub mod rate;
pub mod share;
pub mod year_on_year;

/// What a figure is called: its subject, else the words before it.
pub(super) fn name(f: &TextFigure) -> String {
    if f.subject.is_empty() {
        f.lead.trim().to_string()
    } else {
        f.subject.clone()
    }
}

pub(super) fn involved(role: &'static str, f: &TextFigure) -> Involved {
    Involved {
        document: None,
        role,
        label: name(f),
        raw: f.number.raw.trim().to_string(),
        at: f.at.clone(),
    }
}

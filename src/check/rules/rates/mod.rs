//! Percentages recomputed from their numerator and denominator.

use crate::check::Involved;
use crate::extract::TextFigure;
use crate::location::At;

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

/// The paragraph a text figure stands in.
pub(super) fn block_of(f: &TextFigure) -> Option<usize> {
    match f.at {
        At::Text { block, .. } => Some(block),
        _ => None,
    }
}

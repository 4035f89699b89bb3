//! The same quantity stated twice in one document: two tables, the text and a table, one
//! sentence written twice or one subject given two figures; and a figure out of scale with the
//! rest of its column.

pub mod magnitude;
pub mod narrative_table;
pub mod restated_sentence;
pub mod restated_subject;
pub mod same_quantity;

use crate::check::arithmetic::{classify_sum, show, Approx, Placed};
use crate::check::{Class, Finding};
use crate::extract::TextFigure;
use crate::recognize::number::Number;

/// Whether two figures state the same amount of the same thing: written alike (the same
/// decimals and magnitude), exactly, a range's top included; written otherwise, within each
/// other's rounding in the base unit, so that `1.82亿元` and `18,235.6万元` agree and `10000人`
/// and `10000人次` do not.
fn alike(a: &TextFigure, b: &TextFigure) -> bool {
    let (a, b) = (&a.number, &b.number);
    if a.base_unit != b.base_unit {
        return false;
    }
    if (a.scale, a.magnitude) == (b.scale, b.magnitude) {
        return (a.value, a.upper) == (b.value, b.upper);
    }
    let rounded = |n: &Number| Approx::new(n.value, n.scale, false).in_base_unit(n);
    // A sum beyond Decimal's range cannot be compared, and is not told apart.
    classify_sum(rounded(a), &[rounded(b)]).is_none_or(|(class, _)| class != Class::Material)
}

/// A finding at `again`, a figure of the text restated, against the `original`'s value.
fn restatement(message: String, again: &TextFigure, original: &TextFigure) -> Finding {
    let exact = |f| Placed::text(f, Approx::new(f.number.value, f.number.scale, true));
    Finding::new(
        None,
        message,
        again.at.clone(),
        vec![
            exact(again).involved("restated"),
            exact(original).involved("first"),
        ],
    )
    .figures(
        Some(show(again.number.value)),
        Some(show(original.number.value)),
        (again.number.unit == original.number.unit)
            .then(|| show(again.number.value - original.number.value)),
    )
}

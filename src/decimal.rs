//! Decimals as text, exactly as `Decimal`'s `Display` writes them (every digit of the mantissa,
//! `scale` decimals, `-` when the sign is negative), but from the mantissa's integer digits:
//! `Display` divides the 96-bit mantissa by ten for every digit, and every figure of every JSON
//! document is written this way (docs/benchmarks.md, sixth session).

use arrayvec::ArrayString;
use rust_decimal::Decimal;
use serde::Serializer;

/// The JSON Schema of a decimal setting, which a TOML file writes as a number (`0.5`) or a
/// string (`"0.5"`).
pub fn setting_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({ "type": ["number", "string"] })
}

/// The JSON Schema of a table of decimal settings (`[grades]`).
pub fn settings_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": "object",
        "additionalProperties": { "type": ["number", "string"] }
    })
}

/// Room for the longest text, 31 bytes: a sign, `0.` and 28 decimals, or a sign, 29 digits
/// and a point.
const LONGEST: usize = 32;

/// `d` as text, on the stack.
pub fn text(d: &Decimal) -> ArrayString<LONGEST> {
    let mut integer = itoa::Buffer::new();
    let magnitude = d.mantissa().unsigned_abs();
    let digits = match u64::try_from(magnitude) {
        Ok(small) => integer.format(small),
        Err(_) => integer.format(magnitude),
    };
    let scale = d.scale() as usize;
    let mut out = ArrayString::new();
    if d.is_sign_negative() {
        out.push('-');
    }
    match digits.len().checked_sub(scale) {
        Some(whole) if whole > 0 => {
            out.push_str(&digits[..whole]);
            if scale > 0 {
                out.push('.');
                out.push_str(&digits[whole..]);
            }
        }
        // All digits are decimals (there is at least one digit, so the scale is not zero).
        _ => {
            out.push_str("0.");
            for _ in digits.len()..scale {
                out.push('0');
            }
            out.push_str(digits);
        }
    }
    out
}

/// `d` as an owned string.
pub fn string(d: &Decimal) -> String {
    text(d).as_str().to_owned()
}

/// Serializes a decimal as a JSON string, for `#[serde(serialize_with = …)]`.
pub fn serialize<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&text(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text is `Display`'s for values at every scale, sign and length of mantissa,
    /// including zero with decimals and negative zero.
    #[test]
    fn text_is_what_display_writes() {
        let mut mantissas: Vec<i128> = vec![0, 1, 5, 9, 10, 97, 100, 364860, 34651197];
        // Powers of ten and their neighbours up to the largest 96-bit mantissa.
        let mut p: i128 = 10;
        while p < 1i128 << 96 {
            mantissas.extend([p - 1, p, p + 1]);
            p *= 10;
        }
        mantissas.extend([u64::MAX as i128, u64::MAX as i128 + 1, (1i128 << 96) - 1]);
        // A spread of others from a fixed linear congruential sequence.
        let mut x: u128 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..2000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            mantissas.push((x >> (x % 64)) as i128 & ((1i128 << 96) - 1));
        }
        let mut checked = 0;
        for &m in &mantissas {
            for scale in 0..=28 {
                for m in [m, -m] {
                    let Ok(d) = Decimal::try_from_i128_with_scale(m, scale) else {
                        continue;
                    };
                    assert_eq!(text(&d).as_str(), d.to_string(), "{m} scale {scale}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 100_000, "{checked}");
        // `-0.00` as the scanner makes it from `-0.00` in a cell.
        let negative_zero = -Decimal::new(0, 2);
        assert!(negative_zero.is_sign_negative());
        assert_eq!(text(&negative_zero).as_str(), negative_zero.to_string());
        assert_eq!(text(&Decimal::new(-5, 3)).as_str(), "-0.005");
        assert_eq!(
            text(&Decimal::MAX).as_str(),
            "79228162514264337593543950335"
        );
    }
}

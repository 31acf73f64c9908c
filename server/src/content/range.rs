//! `Range: bytes=…` (RFC 9110 §14): one range, `a-b`, `a-` or `-n`; several ranges are answered with the whole
//! file (allowed: a server may ignore `Range`).

/// What a request's `Range` header asks of a file of `size` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeRequest {
    /// No usable range: send the whole file (200).
    Whole,
    /// Bytes `start..=end` (206).
    Part { start: u64, end: u64 },
    /// No byte of the file is in the range (416).
    Unsatisfiable,
}

/// Reads `header` (the `Range` value, if any) against a file of `size` bytes.
pub fn parse_range(header: Option<&str>, size: u64) -> RangeRequest {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return RangeRequest::Whole;
    };
    if spec.contains(',') {
        return RangeRequest::Whole;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return RangeRequest::Whole;
    };
    let (first, last) = (first.trim(), last.trim());
    if first.is_empty() {
        // `-n`: the last n bytes.
        return match number(last) {
            Some(0) => RangeRequest::Unsatisfiable,
            Some(n) if size > 0 => RangeRequest::Part {
                start: size.saturating_sub(n),
                end: size - 1,
            },
            Some(_) => RangeRequest::Unsatisfiable,
            None => RangeRequest::Whole,
        };
    }
    let Some(start) = number(first) else {
        return RangeRequest::Whole;
    };
    let end = if last.is_empty() {
        u64::MAX
    } else {
        match number(last) {
            Some(end) => end,
            None => return RangeRequest::Whole,
        }
    };
    if end < start {
        return RangeRequest::Whole;
    }
    if start >= size {
        return RangeRequest::Unsatisfiable;
    }
    RangeRequest::Part {
        start,
        end: end.min(size - 1),
    }
}

/// Decimal digits only (no sign, no spaces inside).
fn number(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::{parse_range, RangeRequest::*};

    #[test]
    fn ranges() {
        assert_eq!(parse_range(None, 10), Whole);
        assert_eq!(parse_range(Some("bytes=0-3"), 10), Part { start: 0, end: 3 });
        assert_eq!(parse_range(Some("bytes=4-"), 10), Part { start: 4, end: 9 });
        assert_eq!(parse_range(Some("bytes=4-99"), 10), Part { start: 4, end: 9 });
        assert_eq!(parse_range(Some("bytes=-3"), 10), Part { start: 7, end: 9 });
        assert_eq!(parse_range(Some("bytes=-30"), 10), Part { start: 0, end: 9 });
        assert_eq!(parse_range(Some("bytes=10-"), 10), Unsatisfiable);
        assert_eq!(parse_range(Some("bytes=12-20"), 10), Unsatisfiable);
        assert_eq!(parse_range(Some("bytes=-0"), 10), Unsatisfiable);
        assert_eq!(parse_range(Some("bytes=5-2"), 10), Whole);
        assert_eq!(parse_range(Some("bytes=0-1,4-5"), 10), Whole);
        assert_eq!(parse_range(Some("items=0-1"), 10), Whole);
        assert_eq!(parse_range(Some("bytes=x-1"), 10), Whole);
        assert_eq!(parse_range(Some("bytes=+1-2"), 10), Whole);
    }

    proptest::proptest! {
        /// Any header text, any size: no panic, and a range always lies inside the file.
        #[test]
        fn a_range_always_lies_inside_the_file(header in "(bytes=)?[-0-9, a-z]{0,24}", size in 0u64..5000) {
            match parse_range(Some(&header), size) {
                Part { start, end } => proptest::prop_assert!(start <= end && end < size),
                Whole | Unsatisfiable => {}
            }
        }
    }
}

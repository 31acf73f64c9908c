//! `text_enum!`: the stable text form of a fieldless enum, as stored and written in JSON (`as_str`) and read back
//! (`parse`), written once for every such enum of the core and the server.

/// Implements `as_str(self) -> &'static str` and `parse(&str) -> Option<Self>` from one table of variants and
/// their texts: `text_enum!(Role { Rep => "rep", Manager => "manager" });`.
#[macro_export]
macro_rules! text_enum {
    ($ty:ty { $($variant:ident => $text:literal),* $(,)? }) => {
        impl $ty {
            /// The stable text form (as stored, and in JSON).
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),* }
            }

            /// Reads the stable text form.
            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some(Self::$variant),)* _ => None }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    #[derive(Debug, Clone, Copy, PartialEq)]
    enum 色 {
        Red,
        Blue,
    }
    crate::text_enum!(色 { Red => "赤", Blue => "blue" });

    #[test]
    fn each_text_reads_back_and_anything_else_is_none() {
        for c in [色::Red, 色::Blue] {
            assert_eq!(色::parse(c.as_str()), Some(c));
        }
        assert_eq!(色::Red.as_str(), "赤");
        assert_eq!(色::parse("red"), None);
    }
}

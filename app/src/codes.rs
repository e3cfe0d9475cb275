//! Enums kept in the database by a code. Each is declared once with its variants' codes and
//! gets `ALL` (in declaration order), `code()` and `from_code()` from the same list, so a code
//! cannot be spelled two ways and a new variant cannot go without one. Labels (the words people
//! read) stay beside each enum, written per language.

macro_rules! coded {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident => $code:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        $vis enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            pub const ALL: [$name; [$($code),+].len()] = [$($name::$variant),+];

            /// The code stored in the database and used in URLs.
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)+
                }
            }

            pub fn from_code(code: &str) -> Option<Self> {
                match code {
                    $($code => Some($name::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

pub(crate) use coded;

#[cfg(test)]
mod tests {
    coded! {
        enum Colour {
            Red => "red",
            Green => "green",
        }
    }

    #[test]
    fn codes_go_both_ways() {
        assert_eq!(Colour::ALL, [Colour::Red, Colour::Green]);
        for c in Colour::ALL {
            assert_eq!(Colour::from_code(c.code()), Some(c));
        }
        assert_eq!(Colour::from_code("blue"), None);
    }
}

//! Builder setters: the one macro that writes the many `#[must_use]` methods that take a value
//! by `self`, set one field and give the value back.

/// Writes builder setters, one per line of its input:
///
/// ```text
/// /// Doc of the setter.
/// pub fn name(arg: Type) => field = expression of arg;
/// ```
///
/// becomes `#[must_use] pub fn name(self, arg: Type) -> Self { Self { field: …, ..self } }`
/// with the doc comment kept.
macro_rules! setters {
    ($($(#[$doc:meta])* $vis:vis fn $name:ident($arg:ident: $ty:ty) => $field:ident = $value:expr;)*) => {
        $(
            $(#[$doc])*
            #[must_use]
            $vis fn $name(self, $arg: $ty) -> Self {
                Self {
                    $field: $value,
                    ..self
                }
            }
        )*
    };
}
pub(crate) use setters;

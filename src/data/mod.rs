//! The data: a [`series::Series`] of observations, the calendar ([`time`]) and CSV reading
//! ([`io`]). Published at the crate root as `growthcast::{series, time, io}`.

pub mod io;
pub mod series;
pub mod time;

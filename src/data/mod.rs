//! The data: a [`series::Series`] of observations, its time axis ([`axis`]: calendar dates,
//! [`time`], or numbers in a unit) and CSV reading ([`io`]). Published at the crate root as
//! `growthcast::{series, axis, time, io}`.

pub mod axis;
pub mod io;
pub mod series;
pub mod time;

//! The questions asked of fits: which model ([`compare`]), one answer across the models
//! ([`recommend`]), how sure about the ceiling
//! ([`profile`]), would it have worked ([`hindcast`]), what paths reach the targets
//! ([`scenario`]), what the growth figures and claims say ([`growth`]), and whether a fit's band
//! can be relied on ([`trust`]). Published at the
//! crate root as `growthcast::{compare, profile, hindcast, scenario, growth, trust}`.

pub mod compare;
pub mod growth;
pub mod hindcast;
pub mod known;
pub mod profile;
pub mod recommend;
pub mod scenario;
pub mod trust;

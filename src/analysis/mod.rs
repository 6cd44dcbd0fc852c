//! The questions asked of fits: which model ([`compare`]), one answer across the models
//! ([`recommend`]), how sure about the ceiling
//! ([`profile`]), would it have worked ([`hindcast`]), what paths reach the targets
//! ([`scenario`]), what the growth figures and claims say ([`growth`]), and whether a fit's band
//! can be relied on ([`trust`]), how far real growth rates wander ([`drift`]). Published at the
//! crate root as `growthcast::{compare, drift, growth, hindcast, known, naive, profile, recommend,
//! scenario, trust}`.

pub mod compare;
pub mod drift;
pub mod growth;
pub mod hindcast;
pub mod known;
mod mixture;
pub mod naive;
pub mod profile;
pub mod recommend;
pub mod scenario;
pub mod trust;

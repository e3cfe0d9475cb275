//! Supervisors (district health centres, provincial departments and CDCs, the Ministry):
//! reminders and escalation, the overdue audit of their area, exports, and the numbers.

#[cfg(feature = "ssr")]
pub mod areas;
#[cfg(feature = "ssr")]
pub mod reminders;

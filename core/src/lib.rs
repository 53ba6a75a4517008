//! # Kinerja: an engine for civil-servant performance management
//!
//! Kinerja implements the chain that Indonesian local governments call
//! *e-Kinerja*, as Banda Aceh built it in 2010-2013:
//!
//! 1. **Job analysis** ([`anjab`], *Analisis Jabatan*): positions, their tasks and the
//!    standard minutes per output unit.
//! 2. **Workload analysis** ([`abk`], *Analisis Beban Kerja*): staff needed per position
//!    and unit, efficiency and its grade A-E, staffing gaps.
//! 3. Performance targets, the daily activity log verified by the direct supervisor,
//!    attendance and roll call, and the monthly allowance (TPP).
//!
//! The organisation ([`org`]) and the work calendar ([`calendar`]) underpin all of it.
//! Every rule a city may set is **policy data** ([`policy`]) with an effective date
//! and a legal reference, layered from a national baseline to a city's own file.
//!
//! Money is [`Money`] (exact decimal), minutes are [`Minutes`] (integers), months are
//! [`YearMonth`]. The crate does no I/O beyond (de)serialising its own types and never
//! panics on bad input: every error names the record and field at fault.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod abk;
pub mod access;
pub mod activity;
pub mod allowance;
pub mod anjab;
pub mod attendance;
pub mod calendar;
pub mod dataset;
pub mod device;
pub mod error;
pub mod export;
pub mod generator;
pub mod geo;
pub mod grants;
pub mod i18n;
pub mod ids;
pub mod import;
pub mod insights;
pub mod ledger;
pub mod minutes;
pub mod money;
pub mod month;
pub mod national;
pub mod nip;
pub mod org;
pub mod payroll;
pub mod policy;
pub mod recap;
pub mod rollcall;
pub mod roster;
pub mod simulate;
pub mod social;
pub mod tables;
pub mod targets;

pub use error::{ArithmeticError, Error, Problem, Result, ValidationErrors};
pub use ids::{PositionId, TaskId, UnitId};
pub use minutes::Minutes;
pub use money::{Money, RoundingMode, RoundingRule};
pub use month::{DateRange, YearMonth};

//! Who may **read** what, and who may **administer** the city's data.
//!
//! The ledger decides who may issue each command ([`crate::ledger`], the matrix in
//! `docs/authorisation.md`). A service also shows records and accepts
//! administrative acts that are not ledger commands: an employee's month, a
//! supervisor's view of a subordinate, a unit's roll-call list, the city's recap
//! and payroll, importing a dataset or policy, issuing accounts. Those decisions
//! live here, so that every front end (the server's API and pages, the CLI, the
//! bindings) asks the same question and gets the same answer with the same stable
//! refusal code ([`NotAuthorised::reason`]).
//!
//! | what | who |
//! |---|---|
//! | an employee's records (entries, attendance, targets, projected allowance, slip) | the employee; anyone who may verify their work on that date (supervisor, Plt/Plh, delegate, the official for a top position); the holder of any position above theirs in the chain; an HR officer |
//! | a unit's roll-call list and attendance | the unit's attendance officer (units under it too); an HR officer |
//! | the city's recap, payroll, every slip, what-if | an HR officer |
//! | import a dataset or policy, issue accounts and activation codes, read the audit log | an HR officer |
//! | a verification queue (the entries waiting for one's decision) | an employee in service or an official in office; not a device |
//!
//! Every check takes the date it is judged on (usually today, in the city's
//! time): a supervisor who moved to another post no longer reads their old team.

use chrono::NaiveDate;

use crate::access::{Access, ActorId, OfficerRole};
use crate::ids::{PositionId, UnitId};
use crate::nip::Nip;
use crate::org::{NotAuthorised, VerifierRole};

/// Why an actor may read an employee's records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reader {
    /// The employee themselves.
    Own,
    /// Someone who may verify the employee's work on that date, and how.
    Verifier(VerifierRole),
    /// The holder of a position higher in the employee's supervision chain.
    Above,
    /// An HR officer.
    HrOfficer,
}

impl Reader {
    /// A stable snake_case name: `own`, `verifier`, `above`, `hr_officer`.
    pub fn as_str(self) -> &'static str {
        match self {
            Reader::Own => "own",
            Reader::Verifier(_) => "verifier",
            Reader::Above => "above",
            Reader::HrOfficer => "hr_officer",
        }
    }
}

/// Checks that `actor` may read `employee`'s records on `date`, and says why.
///
/// Refusals: `unknown_employee` when the employee is not in the dataset;
/// `unknown_actor`, `not_an_employee` (a device), `not_in_service` for the
/// actor; for anyone else the verifier refusal (`not_the_supervisor`,
/// `no_supervisor`, `not_the_verifier`).
pub fn may_read_employee(
    access: &Access<'_>,
    actor: &ActorId,
    employee: &Nip,
    date: NaiveDate,
) -> Result<Reader, NotAuthorised> {
    if access.org.employee(employee).is_none() {
        return Err(NotAuthorised::UnknownEmployee { nip: employee.clone() });
    }
    if let ActorId::Official(_) = actor {
        // An official reads the holders of the top positions they verify.
        return crate::activity::authorise_verifier(access, actor, employee, date, date).map(Reader::Verifier);
    }
    let me = access.employee(actor, date)?;
    if me == employee {
        return Ok(Reader::Own);
    }
    if is_hr_officer(access, me, date) {
        return Ok(Reader::HrOfficer);
    }
    match crate::activity::authorise_verifier(access, actor, employee, date, date) {
        Ok(role) => Ok(Reader::Verifier(role)),
        Err(_) if holds_above(access, me, employee, date) => Ok(Reader::Above),
        Err(refusal) => Err(refusal),
    }
}

/// Checks that `actor` may read the roll-call list and attendance of `unit` on
/// `date`: an attendance officer of that unit or of a unit above it, or an HR
/// officer.
pub fn may_read_unit(
    access: &Access<'_>,
    actor: &ActorId,
    unit: &UnitId,
    date: NaiveDate,
) -> Result<(), NotAuthorised> {
    let me = access.employee(actor, date)?;
    if is_hr_officer(access, me, date) {
        return Ok(());
    }
    let mut attendance = access
        .authorities
        .appointments(me)
        .filter(|o| o.role == OfficerRole::Attendance && o.covers(date))
        .filter_map(|o| o.unit.as_ref())
        .peekable();
    if attendance.peek().is_none() {
        return Err(NotAuthorised::NotAnOfficer {
            actor: actor.to_string(),
            role: OfficerRole::Attendance.as_str(),
            date,
        });
    }
    if attendance.any(|served| access.within(unit, served)) {
        Ok(())
    } else {
        Err(NotAuthorised::OutsideUnit { actor: actor.to_string(), employee: me.clone(), date })
    }
}

/// Checks that `actor` may ask for a verification queue on `date` (the entries
/// waiting for their decision): an employee in service or an official in
/// office. A clock device decides nothing (`not_an_employee`); an actor not in
/// the city is `unknown_actor`, one out of service or office `not_in_service`.
/// Which entries the queue holds is the ledger's answer for each entry
/// (`Ledger::verification_queue`).
pub fn may_read_queue(access: &Access<'_>, actor: &ActorId, date: NaiveDate) -> Result<(), NotAuthorised> {
    match actor {
        ActorId::Official(id) => match access.authorities.official(id) {
            None => Err(NotAuthorised::UnknownActor { actor: actor.to_string() }),
            Some(o) if o.in_office(date) => Ok(()),
            Some(_) => Err(NotAuthorised::NotInService { actor: actor.to_string(), date }),
        },
        _ => access.employee(actor, date).map(|_| ()),
    }
}

/// Checks that `actor` may read the whole city's records on `date` (recap,
/// payroll, every slip, what-if): an HR officer.
pub fn may_read_city(access: &Access<'_>, actor: &ActorId, date: NaiveDate) -> Result<(), NotAuthorised> {
    access.hr_officer(actor, date).map(|_| ())
}

/// Checks that `actor` may administer the city's data on `date` (import a dataset
/// or policy, issue accounts and activation codes, register devices, read the
/// audit log): an HR officer.
pub fn may_administer(access: &Access<'_>, actor: &ActorId, date: NaiveDate) -> Result<(), NotAuthorised> {
    access.hr_officer(actor, date).map(|_| ())
}

fn is_hr_officer(access: &Access<'_>, nip: &Nip, date: NaiveDate) -> bool {
    access.authorities.appointments(nip).any(|o| o.role == OfficerRole::Hr && o.covers(date))
}

/// True when `me` holds (definitively, as Plt or as Plh) a position above
/// `employee`'s definitive position in the supervision chain on `date`.
fn holds_above(access: &Access<'_>, me: &Nip, employee: &Nip, date: NaiveDate) -> bool {
    let org = access.org;
    let mine: Vec<&PositionId> = org.assignments_of(me).filter(|a| a.covers(date)).map(|a| &a.position).collect();
    if mine.is_empty() {
        return false;
    }
    let Some(mut current) = org.definitive_position(employee, date) else { return false };
    // A chain never has more links than there are positions (cycles are refused
    // when the organisation is built; the bound keeps this total regardless).
    for _ in 0..org.positions().len() {
        match org.supervisor_of(&current.id) {
            Some(up) if mine.contains(&&up.id) => return true,
            Some(up) => current = up,
            None => return false,
        }
    }
    false
}

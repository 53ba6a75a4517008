//! The employee's day and month, and the supervisor's queue.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use chrono::{NaiveDate, NaiveTime};
use kinerja::YearMonth;
use kinerja::activity::{ActivityEntry, ActivityId, ActivityInput, Decision};
use kinerja::device::{EntryDetails, TaskChoice, entry_details, task_choices};
use kinerja::ledger::{Command, MonthContext, Request};
use kinerja::nip::Nip;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{Body, Language, Path, Query, date_of, judged_on, month_of, nip_of};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::months::{Month, MonthEnv};
use crate::state::AppState;

/// An entry with what a person sees beside it.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntryOut {
    /// The entry as the ledger keeps it.
    #[schema(value_type = Object)]
    pub entry: ActivityEntry,
    /// Task name, output unit, employee name, credited minutes, reason.
    #[schema(value_type = Object)]
    pub details: EntryDetails,
}

fn entry_out(env: &MonthEnv, state: &kinerja::ledger::LedgerState, e: ActivityEntry) -> EntryOut {
    entry_out_in(env.ctx(), state, e)
}

/// [`entry_out`] from the month's context alone, as the month's writer has it.
fn entry_out_in(ctx: &MonthContext<'_>, state: &kinerja::ledger::LedgerState, e: ActivityEntry) -> EntryOut {
    EntryOut { details: entry_details(ctx.city, state, ctx, &e), entry: e }
}

/// The day asked for.
#[derive(Debug, Deserialize, IntoParams)]
pub struct DayQuery {
    /// `YYYY-MM-DD`; today when left out.
    pub date: Option<String>,
}

/// The rules a person sees before they log.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntryRules {
    /// The earliest work date that may still be logged today.
    pub earliest_date: Option<NaiveDate>,
    /// Working days an entry may be logged after its date (today = 0).
    pub window_working_days: u32,
    /// The most minutes credited a day.
    pub daily_cap_minutes: i64,
    /// Whether the cap applies.
    pub cap_daily: bool,
    /// The day's scheduled start and end, on a working day.
    pub schedule: Option<(NaiveTime, NaiveTime)>,
    /// The month's verification deadline.
    pub verification_deadline: NaiveDate,
}

/// An employee's day.
#[derive(Debug, Serialize, ToSchema)]
pub struct DayView {
    /// The day.
    pub date: NaiveDate,
    /// The clock events of the day.
    #[schema(value_type = Vec<Object>)]
    pub clock: Vec<kinerja::attendance::ClockEvent>,
    /// The entries of the day, rejected ones too.
    pub entries: Vec<EntryOut>,
    /// The tasks that may be logged on the day.
    #[schema(value_type = Vec<Object>)]
    pub tasks: Vec<TaskChoice>,
    /// Minutes logged that day (before verification and the cap).
    pub logged_minutes: i64,
    /// The rules in force.
    pub rules: EntryRules,
}

async fn month_for(state: &AppState, date: NaiveDate) -> ApiResult<Arc<Month>> {
    state.month_to_read(YearMonth::of(date)).await
}

/// The caller's day: clock events, entries, tasks and the entry rules.
#[utoipa::path(get, path = "/api/me/day", tag = "work", params(DayQuery),
    responses((status = 200, body = DayView), (status = 403, body = crate::error::ErrorBody)))]
pub async fn my_day(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<DayQuery>,
) -> ApiResult<Json<DayView>> {
    let me = caller.nip()?.clone();
    let today = state.today();
    let date = match &q.date {
        Some(t) => date_of("date", t)?,
        None => today,
    };
    let month = month_for(&state, date).await?;
    let view = month
        .read(|ledger, env| {
            let st = ledger.state();
            let ctx = env.ctx();
            let rules = ctx.rules(date).unwrap_or_else(|| ctx.month_end_rules());
            let entries: Vec<EntryOut> = (0..st.entries.len())
                .filter(|&i| st.entries.employee(i) == Some(&me) && st.entries.date(i) == Some(date))
                .filter_map(|i| st.entries.get(i))
                .map(|e| entry_out(env, st, e))
                .collect();
            let logged = entries.iter().map(|e| e.details.credited_minutes.get()).sum();
            DayView {
                date,
                clock: st.clocks.iter_of(&me).filter(|c| c.at.date() == date).collect(),
                tasks: task_choices(&env.version().city, st, &me, date),
                logged_minutes: logged,
                rules: EntryRules {
                    earliest_date: ctx.nth_working_day_before(today, rules.activity.entry_window_working_days),
                    window_working_days: rules.activity.entry_window_working_days,
                    daily_cap_minutes: rules.activity.daily_cap_minutes.get(),
                    cap_daily: rules.activity.cap_daily,
                    // A rostered employee's hours that day are their shift's (none on a
                    // rostered day off); everyone else's the calendar's.
                    schedule: match env.version().city.rosters.on(&me, date) {
                        Some(kinerja::roster::Rostered::Shift(p)) => Some((p.start, p.end)),
                        Some(kinerja::roster::Rostered::Off) => None,
                        None => env.version().city.calendar.schedule(date).map(|s| (s.start, s.end)),
                    },
                    verification_deadline: ctx.deadline,
                },
                entries,
            }
        })
        .await;
    Ok(Json(view))
}

/// A day's work, as the employee logs it (times as `HH:MM`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActivityForm {
    /// The work date, `YYYY-MM-DD`; today when left out.
    #[serde(default)]
    pub date: Option<String>,
    /// Start, `HH:MM`.
    pub start: String,
    /// End, `HH:MM`.
    pub end: String,
    /// The task id.
    pub task: String,
    /// Units of output.
    pub quantity: i64,
    /// What was done.
    pub description: String,
    /// A reference to evidence.
    #[serde(default)]
    pub evidence: Option<String>,
}

impl ActivityForm {
    /// Reads the form with the core's reader of typed values (every unreadable
    /// field reported at once).
    fn input(self, me: &Nip, today: NaiveDate) -> ApiResult<ActivityInput> {
        let draft = kinerja::device::ActivityDraft {
            date: self.date.unwrap_or_else(|| today.format("%Y-%m-%d").to_string()),
            start: self.start,
            end: self.end,
            task: self.task,
            quantity: self.quantity.to_string(),
            description: self.description,
            evidence: self.evidence,
        };
        Ok(draft.parse(me)?)
    }
}

/// Executes one command as the caller, now, and answers with the entry it concerns.
async fn execute_on_entry(
    state: &AppState,
    caller: &Caller,
    month: YearMonth,
    command: Command,
    entry: Option<ActivityId>,
) -> ApiResult<Json<EntryOut>> {
    let m = state.month(month).await?;
    let (actor, st) = (caller.actor.clone(), state.clone());
    // Stamped in the writer (see `AppState::record_now`). The answer is the
    // entry as the command left it, read in the writer too (a second lock after
    // the commit would wait for the next group's commit).
    let out = m
        .write(move |ledger, ctx, _| {
            let request = Request::new(actor, st.record_now(ledger), command);
            let event = ledger.execute(ctx, request)?;
            let id = match (&event.kind, entry) {
                (kinerja::ledger::EventKind::ActivityLogged(c), _) => c.id,
                (_, Some(id)) => id,
                _ => ActivityId(0),
            };
            ledger
                .entry(id)
                .map(|e| entry_out_in(ctx, ledger.state(), e))
                .ok_or_else(|| ApiError::not_found("entry", id.0))
        })
        .await??;
    Ok(Json(out))
}

/// Logs a piece of the caller's work (the entry window, daily schedule and
/// task list are the core's rules; a refusal names the field).
#[utoipa::path(post, path = "/api/me/activities", tag = "work", request_body = ActivityForm,
    responses((status = 200, body = EntryOut), (status = 422, body = crate::error::ErrorBody)))]
pub async fn log_activity(
    State(state): State<AppState>,
    caller: Caller,
    Body(form): Body<ActivityForm>,
) -> ApiResult<Json<EntryOut>> {
    let me = caller.nip()?.clone();
    let input = form.input(&me, state.today())?;
    let month = YearMonth::of(input.date);
    execute_on_entry(&state, &caller, month, Command::LogActivity { input }, None).await
}

fn entry_id(text: &str) -> ApiResult<ActivityId> {
    text.parse::<u64>()
        .ok()
        .filter(|&n| n > 0)
        .map(ActivityId)
        .ok_or_else(|| ApiError::bad_request("invalid_entry", format!("`{text}` is not an entry number")))
}

/// Edits one of the caller's entries while it is submitted or returned.
#[utoipa::path(put, path = "/api/months/{month}/entries/{id}", tag = "work", request_body = ActivityForm,
    params(("month" = String, Path), ("id" = u64, Path)),
    responses((status = 200, body = EntryOut), (status = 422, body = crate::error::ErrorBody)))]
pub async fn edit_activity(
    State(state): State<AppState>,
    caller: Caller,
    Path((month, id)): Path<(String, String)>,
    Body(form): Body<ActivityForm>,
) -> ApiResult<Json<EntryOut>> {
    let me = caller.nip()?.clone();
    let month = month_of(&month)?;
    let id = entry_id(&id)?;
    let input = form.input(&me, state.today())?;
    execute_on_entry(&state, &caller, month, Command::EditActivity { id, input }, Some(id)).await
}

/// Sends a returned entry back for verification.
#[utoipa::path(post, path = "/api/months/{month}/entries/{id}/resubmit", tag = "work",
    params(("month" = String, Path), ("id" = u64, Path)),
    responses((status = 200, body = EntryOut), (status = 409, body = crate::error::ErrorBody)))]
pub async fn resubmit(
    State(state): State<AppState>,
    caller: Caller,
    Path((month, id)): Path<(String, String)>,
) -> ApiResult<Json<EntryOut>> {
    let month = month_of(&month)?;
    let id = entry_id(&id)?;
    execute_on_entry(&state, &caller, month, Command::Resubmit { id }, Some(id)).await
}

/// An employee's month.
#[derive(Debug, Serialize, ToSchema)]
pub struct EmployeeMonth {
    /// Why the caller may read it (`own`, `verifier`, `above`, `hr_officer`).
    pub read_as: String,
    /// The recap so far (performance, attendance, roll calls).
    #[schema(value_type = Object)]
    pub recap: kinerja::recap::EmployeeRecap,
    /// The verification deadline.
    pub deadline: NaiveDate,
    /// Every entry of the month, in logging order.
    pub entries: Vec<EntryOut>,
    /// Absences.
    #[schema(value_type = Vec<Object>)]
    pub absences: Vec<kinerja::attendance::Absence>,
}

/// An employee's month, for them, whoever may verify them, their chain, and HR.
#[utoipa::path(get, path = "/api/months/{month}/employees/{nip}", tag = "work",
    params(("month" = String, Path), ("nip" = String, Path)),
    responses((status = 200, body = EmployeeMonth), (status = 403, body = crate::error::ErrorBody)))]
pub async fn employee_month(
    State(state): State<AppState>,
    caller: Caller,
    Path((month, nip)): Path<(String, String)>,
) -> ApiResult<Json<EmployeeMonth>> {
    let month = month_of(&month)?;
    let nip = nip_of(&nip)?;
    let m = state.month_to_read(month).await?;
    let on = judged_on(&state, month);
    let as_of = state.today().min(month.last_day());
    let out = m
        .read(|ledger, env| -> ApiResult<EmployeeMonth> {
            let access = env.version().city.access();
            let reader = kinerja::grants::may_read_employee(&access, &caller.actor, &nip, on)?;
            let recap = kinerja::recap::employee_recap(ledger, env.ctx(), &nip, as_of)?;
            let st = ledger.state();
            Ok(EmployeeMonth {
                read_as: reader.as_str().to_string(),
                recap,
                deadline: env.ctx().deadline,
                entries: (0..st.entries.len())
                    .filter(|&i| st.entries.employee(i) == Some(&nip))
                    .filter_map(|i| st.entries.get(i))
                    .map(|e| entry_out(env, st, e))
                    .collect(),
                absences: st.absences.iter().filter(|a| a.employee == nip).cloned().collect(),
            })
        })
        .await?;
    Ok(Json(out))
}

/// The allowance an employee would be paid for the month if it ended as it stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct AllowanceView {
    /// True when the month is closed (the figures pay); otherwise a projection.
    pub final_: bool,
    /// The day the figures are computed for.
    pub as_of: NaiveDate,
    /// The allowance input derived from the recap.
    #[schema(value_type = Object)]
    pub input: kinerja::allowance::AllowanceInput,
    /// The slip, every line explained as structured data (rule, amount, message id
    /// with typed arguments, policy values with their legal references).
    #[schema(value_type = Object)]
    pub slip: kinerja::allowance::Slip,
    /// The slip's text in the caller's language (`?lang=` or `Accept-Language`;
    /// Indonesian by default): each line's name, amount, explanation and policy values.
    #[schema(value_type = Object)]
    pub explained: kinerja::i18n::RenderedSlip,
}

/// An employee's allowance (TPP) for the month with its explanation: the paid
/// one for a closed month, a projection otherwise.
#[utoipa::path(get, path = "/api/months/{month}/employees/{nip}/allowance", tag = "work",
    params(("month" = String, Path), ("nip" = String, Path)),
    responses((status = 200, body = AllowanceView), (status = 403, body = crate::error::ErrorBody)))]
pub async fn employee_allowance(
    State(state): State<AppState>,
    caller: Caller,
    Language(lang): Language,
    Path((month, nip)): Path<(String, String)>,
) -> ApiResult<Json<AllowanceView>> {
    let month = month_of(&month)?;
    let nip = nip_of(&nip)?;
    let m = state.month_to_read(month).await?;
    let on = judged_on(&state, month);
    let out = m
        .read(|ledger, env| -> ApiResult<AllowanceView> {
            let v = env.version();
            let access = v.city.access();
            kinerja::grants::may_read_employee(&access, &caller.actor, &nip, on)?;
            let closed = ledger.is_closed();
            // A closed month is paid on its settled recap; an open one projected to today.
            let as_of = if closed { env.ctx().settled_on() } else { state.today().min(month.last_day()) };
            let recap = kinerja::recap::employee_recap(ledger, env.ctx(), &nip, as_of)?;
            let input = kinerja::payroll::input_or_reason(&v.city, env.ctx(), &recap)
                .map_err(|np| ApiError::conflict(&np.code, np.reason.clone()))?;
            let slip = kinerja::allowance::compute_slip(&input, &v.policy)
                .map_err(|e| ApiError::invalid(e.code(), e.to_string(), Vec::new()).said(&e))?;
            let explained = kinerja::i18n::Renderer::builtin().rendered_slip(lang, &slip);
            Ok(AllowanceView { final_: closed, as_of, input, slip, explained })
        })
        .await?;
    Ok(Json(out))
}

/// The month of the queue.
#[derive(Debug, Deserialize, IntoParams)]
pub struct QueueQuery {
    /// `YYYY-MM`; the current month when left out.
    pub month: Option<String>,
}

/// The entries the caller may decide today.
#[derive(Debug, Serialize, ToSchema)]
pub struct Queue {
    /// The month.
    #[schema(value_type = String)]
    pub month: YearMonth,
    /// The last day decisions are accepted.
    pub deadline: NaiveDate,
    /// Working days left until the deadline, today included.
    pub days_left: i64,
    /// The entries, by employee then date.
    pub entries: Vec<EntryOut>,
}

/// The caller's verification queue: entries awaiting a decision they may take today.
#[utoipa::path(get, path = "/api/me/queue", tag = "work", params(QueueQuery),
    responses((status = 200, body = Queue), (status = 403, body = crate::error::ErrorBody)))]
pub async fn my_queue(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<QueueQuery>,
) -> ApiResult<Json<Queue>> {
    let today = state.today();
    let month = match &q.month {
        Some(t) => month_of(t)?,
        None => YearMonth::of(today),
    };
    let m = state.month_to_read(month).await?;
    let out = m
        .read(|ledger, env| -> ApiResult<Queue> {
            kinerja::grants::may_read_queue(&env.version().city.access(), &caller.actor, today)?;
            let ctx = env.ctx();
            let st = ledger.state();
            let mut entries: Vec<EntryOut> = ledger
                .verification_queue(ctx, &caller.actor, Some(today))
                .into_iter()
                .map(|e| entry_out(env, st, e))
                .collect();
            entries.sort_by(|a, b| (&a.entry.employee, a.entry.date).cmp(&(&b.entry.employee, b.entry.date)));
            let days_left = today
                .iter_days()
                .take_while(|d| *d <= ctx.deadline)
                .filter(|d| ctx.calendar.get(*d).is_some_and(|c| c.is_working()))
                .count() as i64;
            Ok(Queue { month, deadline: ctx.deadline, days_left, entries })
        })
        .await?;
    Ok(Json(out))
}

/// One decision.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionForm {
    /// The entry.
    pub entry: u64,
    /// `approve`, `return` or `reject`.
    pub decision: String,
    /// For `approve`: a lower quantity than claimed.
    #[serde(default)]
    pub quantity: Option<i64>,
    /// For `return` and `reject`: why.
    #[serde(default)]
    pub reason: Option<String>,
}

/// Decisions on entries of the month.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Decisions {
    /// One or more decisions, taken together (all or none).
    pub decisions: Vec<DecisionForm>,
}

/// The entries after the decisions.
#[derive(Debug, Serialize, ToSchema)]
pub struct Decided {
    /// Each entry decided, as it now stands.
    pub entries: Vec<EntryOut>,
}

/// Approves, returns or rejects entries, as the caller, now. Several decisions
/// are one command: all are taken or none.
#[utoipa::path(post, path = "/api/months/{month}/verifications", tag = "work", request_body = Decisions,
    params(("month" = String, Path)),
    responses((status = 200, body = Decided), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn verify(
    State(state): State<AppState>,
    caller: Caller,
    Path(month): Path<String>,
    Body(req): Body<Decisions>,
) -> ApiResult<Json<Decided>> {
    let month = month_of(&month)?;
    if req.decisions.is_empty() || req.decisions.len() > 5_000 {
        return Err(ApiError::bad_request("invalid_input", "between 1 and 5,000 decisions").with_field("decisions"));
    }
    let mut decisions = Vec::with_capacity(req.decisions.len());
    for d in req.decisions {
        let decision = match d.decision.as_str() {
            "approve" => Decision::Approve { quantity: d.quantity },
            "return" => Decision::Return { reason: d.reason.unwrap_or_default() },
            "reject" => Decision::Reject { reason: d.reason.unwrap_or_default() },
            other => {
                return Err(ApiError::bad_request(
                    "invalid_decision",
                    format!("`{other}` is not a decision: approve, return or reject"),
                )
                .with_field("decision"));
            }
        };
        decisions.push((ActivityId(d.entry), decision));
    }
    let ids: Vec<ActivityId> = decisions.iter().map(|(id, _)| *id).collect();
    let command = match decisions.len() {
        1 => {
            let (id, decision) = decisions.remove(0);
            Command::Verify { id, decision }
        }
        _ => Command::VerifyMany { decisions },
    };
    let m = state.month(month).await?;
    let (actor, st) = (caller.actor.clone(), state.clone());
    let entries = m
        .write(move |ledger, ctx, _| {
            let request = Request::new(actor, st.record_now(ledger), command);
            ledger.execute(ctx, request).map_err(ApiError::from)?;
            Ok::<_, ApiError>(
                ids.iter().filter_map(|id| ledger.entry(*id)).map(|e| entry_out_in(ctx, ledger.state(), e)).collect(),
            )
        })
        .await??;
    Ok(Json(Decided { entries }))
}

/// The year asked for.
#[derive(Debug, Deserialize, IntoParams)]
pub struct TargetsQuery {
    /// The year; this year when left out.
    pub year: Option<i32>,
}

/// An employee's yearly target and the month's.
#[derive(Debug, Serialize, ToSchema)]
pub struct Targets {
    /// The yearly target per task (quantity and minutes), from the workload
    /// analysis of their position on the reference date (today, or the year's end).
    #[schema(value_type = Object)]
    pub yearly: Option<kinerja::targets::YearlyTarget>,
    /// This month's minute target as it stands today.
    #[schema(value_type = Object)]
    pub month: kinerja::targets::MonthTarget,
}

/// An employee's performance targets: the year's per task, and the current month's minutes.
#[utoipa::path(get, path = "/api/employees/{nip}/targets", tag = "work", params(("nip" = String, Path), TargetsQuery),
    responses((status = 200, body = Targets), (status = 403, body = crate::error::ErrorBody)))]
pub async fn targets(
    State(state): State<AppState>,
    caller: Caller,
    Path(nip): Path<String>,
    Query(q): Query<TargetsQuery>,
) -> ApiResult<Json<Targets>> {
    use chrono::Datelike;
    let nip = nip_of(&nip)?;
    let today = state.today();
    let year = q.year.unwrap_or(today.year());
    let reference = if year == today.year() {
        today
    } else {
        NaiveDate::from_ymd_opt(year, 12, 31)
            .ok_or_else(|| ApiError::bad_request("invalid_year", format!("{year} is not a year")).with_field("year"))?
    };
    let m = state.month_to_read(YearMonth::of(today)).await?;
    let out = m
        .read(|ledger, env| -> ApiResult<Targets> {
            let v = env.version();
            let access = v.city.access();
            kinerja::grants::may_read_employee(&access, &caller.actor, &nip, today)?;
            let abk = kinerja::abk::AbkParams::from_policy(&v.policy, reference)?;
            let all = kinerja::targets::yearly_targets(
                &v.city.organisation,
                &abk.params,
                year,
                reference,
                &v.city.target_shares,
            )?;
            let recap = kinerja::recap::employee_recap(ledger, env.ctx(), &nip, today)?;
            Ok(Targets { yearly: all.into_iter().find(|t| t.employee == nip), month: recap.target })
        })
        .await?;
    Ok(Json(out))
}

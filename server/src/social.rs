//! The social space in the server: the core's [`Social`] state in memory, loaded
//! from (and replayed and verified against) the `social_events` chain and the
//! `social_bodies` table on first use; one writer at a time; and a broadcast
//! of what changed in a conversation, which the conversation's event stream
//! (server-sent events) passes to its members' open pages.
//!
//! A command is checked by the core ([`Social::prepare`]), stored (the event,
//! the body kept, the bodies erased, in one transaction), and only then applied
//! to the state in memory: a failure to store leaves both as they were.
//!
//! Retention runs after each accepted command: message bodies older than the policy's
//! retention are erased by a `messages_expired` event of the `system` actor.

use kinerja::YearMonth;
use kinerja::nip::Nip;
use kinerja::social::{Command, Ctx, Pending, Social, SocialError, SocialEvent, SocialPolicy, SocialRecord};
use tokio::sync::{Mutex, broadcast};

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::state::{AppState, TIME};
use crate::store::SocialEventRow;

/// Something that happened in a conversation, for its members' open pages.
#[derive(Clone, Debug)]
pub struct Notice {
    /// The conversation.
    pub conversation: u64,
    /// The two members (only they receive it).
    pub members: [Nip; 2],
    /// What: `message`, `edited`, `deleted`, `read`.
    pub what: &'static str,
    /// The message concerned (or the last read).
    pub message: u64,
}

/// The social space's state and its writer.
pub struct SocialHub {
    state: Mutex<Option<Social>>,
    /// What happened in conversations (see [`Notice`]).
    pub notices: broadcast::Sender<Notice>,
}

impl Default for SocialHub {
    fn default() -> Self {
        SocialHub { state: Mutex::new(None), notices: broadcast::channel(1024).0 }
    }
}

impl std::fmt::Debug for SocialHub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SocialHub")
    }
}

impl From<SocialError> for ApiError {
    fn from(e: SocialError) -> ApiError {
        use axum::http::StatusCode;
        let msg = e.to_string();
        let out = match e.area() {
            "not_found" => ApiError::new(StatusCode::NOT_FOUND, e.code(), msg),
            "forbidden" => ApiError::forbidden(e.code(), msg),
            "rate_limited" => ApiError::new(StatusCode::TOO_MANY_REQUESTS, e.code(), msg),
            "invalid" => ApiError::invalid(e.code(), msg, Vec::new()),
            _ => ApiError::conflict(e.code(), msg),
        };
        out.said(&e)
    }
}

/// Loads the state from the store, verifying the chain and the bodies.
async fn load(state: &AppState) -> ApiResult<Social> {
    let rows = state.store.social_events().await?;
    let mut records = Vec::with_capacity(rows.len());
    for r in rows {
        let rec: SocialRecord = serde_json::from_str(&r.line)
            .map_err(|e| ApiError::internal(format!("social event {} does not read: {e}", r.seq)))?;
        if rec.seq as i64 != r.seq || rec.hash.to_hex() != r.hash {
            return Err(ApiError::internal(format!("social event {} does not match its row", r.seq)));
        }
        records.push(rec);
    }
    let bodies = state.store.social_bodies().await?.into_iter().map(|(id, b)| (id as u64, b)).collect();
    Social::replay(records, &bodies).map_err(|e| ApiError::internal(e.to_string()))
}

fn row_of(r: &SocialRecord) -> ApiResult<SocialEventRow> {
    Ok(SocialEventRow {
        seq: r.seq as i64,
        prev: r.prev.to_hex(),
        hash: r.hash.to_hex(),
        at: r.at.format(TIME).to_string(),
        actor: r.actor.clone(),
        kind: r.kind(),
        line: serde_json::to_string(r).map_err(|e| ApiError::internal(e.to_string()))?,
    })
}

async fn store(state: &AppState, social: &mut Social, p: Pending) -> ApiResult<Pending> {
    let row = row_of(&p.record)?;
    let erase: Vec<i64> = p.erase.iter().map(|id| *id as i64).collect();
    state.store.social_append(&row, p.body.as_ref().map(|(id, b)| (*id as i64, b.as_str())), &erase).await?;
    social.apply(&p);
    Ok(p)
}

/// The caller's context: their NIP, whether in service and an HR officer
/// today, and the social policy in force (from the current month's city version).
pub async fn ctx(state: &AppState, caller: &Caller) -> ApiResult<Ctx> {
    let nip = caller.nip()?.clone();
    let today = state.today();
    let at = state.local_now();
    let m = state.month_to_read(YearMonth::of(today)).await?;
    let env = m.env().await;
    let version = env.version();
    let access = version.city.access();
    let in_service = access.in_service(&nip, today);
    let admin = kinerja::grants::may_administer(&access, &caller.actor, today).is_ok();
    let policy = SocialPolicy::from_policy(&version.policy, at)?;
    Ok(Ctx { actor: nip, at, in_service, admin, policy })
}

impl SocialHub {
    /// Reads the state (loading it on first use).
    pub async fn read<R>(&self, state: &AppState, f: impl FnOnce(&Social) -> R) -> ApiResult<R> {
        let mut guard = self.state.lock().await;
        if guard.is_none() {
            *guard = Some(load(state).await?);
        }
        Ok(f(guard.as_ref().expect("loaded above")))
    }

    /// Checks, stores and applies a command; returns the stored record and the
    /// state after it, read by `f`.
    pub async fn execute<R>(
        &self,
        state: &AppState,
        ctx: &Ctx,
        cmd: Command,
        f: impl FnOnce(&Social, &SocialRecord) -> R,
    ) -> ApiResult<R> {
        let mut guard = self.state.lock().await;
        if guard.is_none() {
            *guard = Some(load(state).await?);
        }
        let social = guard.as_mut().expect("loaded above");
        let p = social.prepare(ctx, cmd)?;
        let p = store(state, social, p).await?;
        self.notify(social, &p.record);
        let out = f(social, &p.record);
        // Retention after an accepted command (a refusal stores nothing at all).
        if let Some(r) = social.prepare_retention(ctx.at, &ctx.policy) {
            store(state, social, r).await?;
        }
        Ok(out)
    }

    fn notify(&self, social: &Social, r: &SocialRecord) {
        let (conversation, what, message) = match &r.event {
            SocialEvent::MessageSent { conversation, message, .. } => (*conversation, "message", *message),
            SocialEvent::MessageEdited { message, .. } => {
                (social.messages.get(message).map_or(0, |m| m.conversation), "edited", *message)
            }
            SocialEvent::MessageDeleted { message } => {
                (social.messages.get(message).map_or(0, |m| m.conversation), "deleted", *message)
            }
            SocialEvent::ConversationRead { conversation, up_to } => (*conversation, "read", *up_to),
            _ => return,
        };
        if let Some(c) = social.conversations.get(&conversation) {
            // No receiver is fine: nobody has the conversation open.
            let _ = self.notices.send(Notice { conversation, members: c.members.clone(), what, message });
        }
    }
}

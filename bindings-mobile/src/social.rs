//! The social space on the phone: read ads and conversations from a synced
//! bundle, queue messages offline, deliver them on sync exactly once (each
//! carries an idempotency key the server delivers once per sender).

use std::sync::{Arc, Mutex};

use kinerja::nip::Nip;
use kinerja::social::{AdDraft, Command, Ctx, Social, SocialError, SocialPhone, SocialPolicy};

use crate::{KinerjaError, guard};

impl From<SocialError> for KinerjaError {
    fn from(e: SocialError) -> Self {
        let (code, detail) = (e.code().to_string(), e.to_string());
        match e.area() {
            "not_found" => KinerjaError::NotFound { code, detail },
            "forbidden" => KinerjaError::NotAuthorised { code, detail },
            "invalid" => KinerjaError::Parse { code, detail, problems: Vec::new() },
            _ => KinerjaError::Ledger { code, detail },
        }
    }
}

fn nip_of(field: &str, text: &str) -> Result<Nip, KinerjaError> {
    Nip::parse(text).map_err(|e| KinerjaError::Parse {
        code: "invalid_nip".into(),
        detail: format!("{field}: {e}"),
        problems: Vec::new(),
    })
}

/// An ad as the phone shows it.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct SocialAd {
    /// Its id.
    pub id: u64,
    /// The seller's NIP.
    pub seller: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Category code.
    pub category: String,
    /// Price in rupiah, exact (`"6500000"`).
    pub price: String,
    /// Condition code.
    pub condition: String,
    /// Status when synced (`active`, `reserved`, `sold`, `withdrawn`, `expired`).
    pub status: String,
    /// When it expires (`YYYY-MM-DDTHH:MM:SS`).
    pub expires: String,
}

/// A message as the phone shows it.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct SocialMessage {
    /// Its id (0 while queued on the phone).
    pub id: u64,
    /// The sender's NIP.
    pub sender: String,
    /// When sent (or written, while queued).
    pub sent_at: String,
    /// The text (none once deleted).
    pub body: Option<String>,
    /// Deleted.
    pub deleted: bool,
    /// Read by the other member.
    pub read_by_other: bool,
    /// Written offline, not yet delivered.
    pub queued: bool,
    /// The queued message's key (empty once delivered).
    pub key: String,
}

/// A conversation as the phone shows it.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct SocialConversation {
    /// Its id.
    pub id: u64,
    /// The other member's NIP.
    pub with: String,
    /// The ad it is about.
    pub ad: Option<u64>,
    /// Unread messages when synced.
    pub unread: u64,
    /// Messages, oldest first, then the queued ones.
    pub messages: Vec<SocialMessage>,
}

/// The social space on the phone.
#[derive(uniffi::Object)]
pub struct SocialSession {
    inner: Mutex<SocialPhone>,
}

impl SocialSession {
    fn with<T>(&self, f: impl FnOnce(&mut SocialPhone) -> Result<T, KinerjaError>) -> Result<T, KinerjaError> {
        guard(|| f(&mut self.inner.lock().unwrap_or_else(|p| p.into_inner())))
    }
}

fn conversation_of(p: &SocialPhone, c: &kinerja::social::BundleConversation) -> SocialConversation {
    let me = p.bundle.employee.to_string();
    let mut messages: Vec<SocialMessage> = c
        .messages
        .iter()
        .map(|m| SocialMessage {
            id: m.id,
            sender: m.sender.to_string(),
            sent_at: m.sent_at.format("%Y-%m-%dT%H:%M:%S").to_string(),
            body: m.body.clone(),
            deleted: m.deleted,
            read_by_other: m.read_by_other,
            queued: false,
            key: String::new(),
        })
        .collect();
    messages.extend(p.queue.iter().filter(|q| q.conversation == c.id).map(|q| SocialMessage {
        id: 0,
        sender: me.clone(),
        sent_at: q.written_at.clone(),
        body: Some(q.body.clone()),
        deleted: false,
        read_by_other: false,
        queued: true,
        key: q.key.clone(),
    }));
    SocialConversation { id: c.id, with: c.with.to_string(), ad: c.ad, unread: c.unread, messages }
}

#[uniffi::export]
impl SocialSession {
    /// A session from the bundle of `GET /api/social/bundle` (JSON).
    #[uniffi::constructor]
    pub fn open(bundle_json: String) -> Result<Arc<Self>, KinerjaError> {
        guard(|| Ok(Arc::new(SocialSession { inner: Mutex::new(SocialPhone::open(&bundle_json)?) })))
    }

    /// A session saved by `save` (the queue included).
    #[uniffi::constructor]
    pub fn restore(saved_json: String) -> Result<Arc<Self>, KinerjaError> {
        guard(|| Ok(Arc::new(SocialSession { inner: Mutex::new(SocialPhone::restore(&saved_json)?) })))
    }

    /// The state to keep across app restarts (JSON).
    pub fn save(&self) -> Result<String, KinerjaError> {
        self.with(|p| Ok(p.save()))
    }

    /// A fresh bundle after a sync; messages not yet delivered stay queued with their keys.
    pub fn rebase(&self, bundle_json: String) -> Result<(), KinerjaError> {
        self.with(|p| Ok(p.rebase(&bundle_json)?))
    }

    /// The ads of the bundle, newest first.
    pub fn ads(&self) -> Result<Vec<SocialAd>, KinerjaError> {
        self.with(|p| {
            Ok(p.bundle
                .ads
                .iter()
                .map(|a| SocialAd {
                    id: a.id,
                    seller: a.seller.to_string(),
                    title: a.title.clone(),
                    description: a.description.clone(),
                    category: a.category.clone(),
                    price: a.price.amount().to_string(),
                    condition: a.condition.clone(),
                    status: a.status.as_str().to_string(),
                    expires: a.expires.format("%Y-%m-%dT%H:%M:%S").to_string(),
                })
                .collect())
        })
    }

    /// The employee's conversations, most recent first, with the queued messages.
    pub fn conversations(&self) -> Result<Vec<SocialConversation>, KinerjaError> {
        self.with(|p| Ok(p.bundle.conversations.iter().map(|c| conversation_of(p, c)).collect()))
    }

    /// One conversation (only the employee's own: `not_a_member` otherwise).
    pub fn conversation(&self, id: u64) -> Result<SocialConversation, KinerjaError> {
        self.with(|p| {
            let c = p.conversation(id)?.clone();
            Ok(conversation_of(p, &c))
        })
    }

    /// Queues a message offline; returns its key (`<session>:<n>`).
    pub fn queue_message(&self, conversation: u64, body: String, written_at: String) -> Result<String, KinerjaError> {
        self.with(|p| Ok(p.queue_message(conversation, &body, &written_at)?))
    }

    /// The messages to deliver (JSON: `[{"key", "conversation", "body", "written_at"}]`);
    /// send each to `POST /api/social/conversations/{conversation}/messages` with its key.
    pub fn pending_json(&self) -> Result<String, KinerjaError> {
        self.with(|p| Ok(p.pending_json()))
    }

    /// The server answered `key` (delivered now or before): it leaves the queue.
    pub fn delivered(&self, key: String) -> Result<bool, KinerjaError> {
        self.with(|p| Ok(p.delivered(&key)))
    }
}

/// The server side of the social space held in memory, for tests and demos: the
/// core's rules, the national policy, its own clock.
#[derive(uniffi::Object)]
pub struct SocialDemoServer {
    inner: Mutex<DemoSocial>,
}

struct DemoSocial {
    social: Social,
    now: chrono::NaiveDateTime,
    sessions: u64,
}

impl SocialDemoServer {
    fn with<T>(&self, f: impl FnOnce(&mut DemoSocial) -> Result<T, KinerjaError>) -> Result<T, KinerjaError> {
        guard(|| f(&mut self.inner.lock().unwrap_or_else(|p| p.into_inner())))
    }
}

impl DemoSocial {
    fn policy(&self) -> Result<SocialPolicy, KinerjaError> {
        SocialPolicy::from_policy(&kinerja::policy::Policy::national(), self.now)
            .map_err(|e| KinerjaError::Policy { code: e.code().to_string(), detail: e.to_string() })
    }

    fn run(&mut self, who: &str, cmd: Command) -> Result<kinerja::social::Pending, KinerjaError> {
        let ctx =
            Ctx { actor: nip_of("actor", who)?, at: self.now, in_service: true, admin: false, policy: self.policy()? };
        let p = self.social.prepare(&ctx, cmd)?;
        self.social.apply(&p);
        // One second passes per command (the demo's clock).
        self.now += chrono::TimeDelta::seconds(1);
        Ok(p)
    }
}

fn event_id(p: &kinerja::social::Pending) -> u64 {
    use kinerja::social::SocialEvent as E;
    match &p.record.event {
        E::AdPosted { ad, .. } => *ad,
        E::ConversationOpened { conversation, .. } => *conversation,
        E::MessageSent { message, .. } => *message,
        _ => 0,
    }
}

#[uniffi::export]
impl SocialDemoServer {
    /// An empty social space whose clock starts at `now` (`YYYY-MM-DDTHH:MM`).
    #[uniffi::constructor]
    pub fn new(now: String) -> Result<Arc<Self>, KinerjaError> {
        guard(|| {
            let now = chrono::NaiveDateTime::parse_from_str(&now, "%Y-%m-%dT%H:%M").map_err(|e| {
                KinerjaError::Parse { code: "invalid_time".into(), detail: e.to_string(), problems: Vec::new() }
            })?;
            Ok(Arc::new(SocialDemoServer { inner: Mutex::new(DemoSocial { social: Social::new(), now, sessions: 0 }) }))
        })
    }

    /// `seller` posts an ad (price in rupiah, exact); returns its id.
    pub fn post_ad(&self, seller: String, title: String, price: String) -> Result<u64, KinerjaError> {
        self.with(|st| {
            let price = kinerja::Money::parse(&price).map_err(|e| KinerjaError::Parse {
                code: "invalid_amount".into(),
                detail: e.to_string(),
                problems: Vec::new(),
            })?;
            let draft = AdDraft {
                title,
                description: "-".into(),
                category: "other".into(),
                price,
                condition: "used".into(),
                photos: Vec::new(),
            };
            Ok(event_id(&st.run(&seller, Command::PostAd { draft })?))
        })
    }

    /// `buyer` opens a conversation with an ad's seller; returns its id.
    pub fn open_about_ad(&self, buyer: String, ad: u64) -> Result<u64, KinerjaError> {
        self.with(|st| Ok(event_id(&st.run(&buyer, Command::OpenAboutAd { ad })?)))
    }

    /// `sender` sends a message (online); returns its id.
    pub fn send(&self, sender: String, conversation: u64, body: String) -> Result<u64, KinerjaError> {
        self.with(|st| Ok(event_id(&st.run(&sender, Command::Send { conversation, body, key: None })?)))
    }

    /// The bundle (JSON) for `employee`'s phone, with a new session id.
    pub fn bundle_for(&self, employee: String) -> Result<String, KinerjaError> {
        self.with(|st| {
            let me = nip_of("employee", &employee)?;
            st.sessions += 1;
            let session = format!("demo{}", st.sessions);
            let b = st.social.bundle(&me, &session, st.now, &st.policy()?);
            serde_json::to_string(&b).map_err(|e| KinerjaError::Internal { code: "json".into(), detail: e.to_string() })
        })
    }

    /// Delivers a phone's queue (the JSON of `pending_json`) as `sender`, as the
    /// server's `POST .../messages` does: a key already delivered answers the
    /// message it delivered. Returns the keys answered, in order.
    pub fn deliver(&self, sender: String, pending_json: String) -> Result<Vec<String>, KinerjaError> {
        self.with(|st| {
            let queue: Vec<kinerja::social::QueuedMessage> = serde_json::from_str(&pending_json).map_err(|e| {
                KinerjaError::Parse { code: "invalid_json".into(), detail: e.to_string(), problems: Vec::new() }
            })?;
            let me = nip_of("sender", &sender)?;
            let mut keys = Vec::new();
            for q in queue {
                if st.social.sent_with_key(&me, &q.key).is_none() {
                    let cmd = Command::Send { conversation: q.conversation, body: q.body, key: Some(q.key.clone()) };
                    st.run(&sender, cmd)?;
                }
                keys.push(q.key);
            }
            Ok(keys)
        })
    }

    /// The number of messages in a conversation.
    pub fn message_count(&self, conversation: u64) -> Result<u64, KinerjaError> {
        self.with(|st| Ok(st.social.conversations.get(&conversation).map_or(0, |c| c.messages.len() as u64)))
    }
}

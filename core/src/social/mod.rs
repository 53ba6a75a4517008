//! The internal social space: classified ads (*iklan jual/beli*) and chat between
//! employees (*obrolan*).
//!
//! Pure state and rules, like the rest of the engine: a command is checked against
//! the state and the caller ([`Ctx`]) by [`Social::prepare`], which returns the
//! [`Pending`] change (the chained [`SocialRecord`] and, for a message, its body);
//! the caller stores it and then [`Social::apply`]s it. Nothing changes on a refusal.
//!
//! ## Tamper evidence
//!
//! Every state change is a [`SocialRecord`] in one chain of the same construction as
//! the month journal's ([`crate::ledger`]): `hash = SHA-256(prev || canonical bytes)`,
//! starting from [`genesis`]. The canonical bytes are the compact JSON of the tuple
//! `(seq, at, actor, event)` (fields in declaration order, no maps with unordered
//! keys), so the chain does not depend on how a store keeps the rows.
//!
//! ## Message bodies and retention
//!
//! A message's text is **not** in its event: the event carries the SHA-256 of the
//! body and its length in characters, and the body is kept apart (the server's
//! `social_bodies` table), keyed by message id. Deleting a message, editing it (the
//! old text) and expiring it under the retention policy erase the body from
//! storage; the chain stays intact because it never held the text, and a body that
//! is present is checked against the hash on replay ([`Social::replay`]), so a body
//! can be erased but not altered. Ad texts are public to the city and stay in their
//! events.
//!
//! ## Who may do what
//!
//! Only an ad's seller edits it or changes its status; moderators (named by an HR
//! officer, [`Command::NameModerator`]) remove ads with a reason and resolve reports;
//! only a conversation's two members read it; an administrator who is not a
//! member reads it only after recording a reason ([`Command::AccessConversation`]),
//! itself an event; employees who left the service keep their history (they still
//! read) but can no longer post, open, send or edit.

mod ads;
mod chat;
mod phone;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDateTime, TimeDelta};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::ledger::Hash;
use crate::money::Money;
use crate::nip::Nip;
use crate::policy::{Policy, PolicyError};

pub use ads::{AdDraft, AdPage, AdQuery};
pub use chat::{ConversationSummary, ConversationView, MessageView, edit_window_open};
pub use phone::{BundleAd, BundleConversation, QueuedMessage, SocialBundle, SocialPhone};

/// The hash the social chain starts from: `SHA-256("kinerja-social-v1")`.
pub fn genesis() -> Hash {
    Hash(Sha256::digest(b"kinerja-social-v1").into())
}

/// SHA-256 of a message body, hex.
pub fn body_hash(body: &str) -> String {
    Hash(Sha256::digest(body.as_bytes()).into()).to_hex()
}

/// The most characters of a moderation or access reason.
pub const REASON_MAX_CHARS: usize = 500;

/// The categories an ad is filed under.
pub const CATEGORIES: &[&str] =
    &["electronics", "vehicle", "household", "clothing", "book", "food", "property", "service", "other"];

/// The conditions an item is offered in.
pub const CONDITIONS: &[&str] = &["new", "like_new", "used", "not_applicable"];

/// The city's rules for the social space, read from policy for one day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SocialPolicy {
    /// Days an ad stays up before it expires (renewal starts the count again).
    pub ad_expiry_days: i64,
    /// Most active (unexpired, unsold, not withdrawn) ads per employee.
    pub active_ads_per_employee: i64,
    /// Most ads one employee may post in 24 hours.
    pub ad_posts_per_day: i64,
    /// Most characters of an ad's title.
    pub ad_title_max_chars: i64,
    /// Most characters of an ad's description.
    pub ad_description_max_chars: i64,
    /// Most photos per ad.
    pub ad_photos_max: i64,
    /// Largest photo upload, bytes.
    pub photo_max_bytes: i64,
    /// Most characters of one message.
    pub message_max_chars: i64,
    /// Minutes after sending during which a message may be edited.
    pub message_edit_minutes: i64,
    /// Most messages one employee may send in a minute.
    pub messages_per_minute: i64,
    /// Days a message is kept; older bodies are erased.
    pub message_retention_days: i64,
    /// Minutes an administrator's recorded access to a conversation lasts.
    pub admin_access_minutes: i64,
}

/// The policy keys of [`SocialPolicy`], in its field order.
pub const POLICY_KEYS: &[&str] = &[
    "social.ad_expiry_days",
    "social.active_ads_per_employee",
    "social.ad_posts_per_day",
    "social.ad_title_max_chars",
    "social.ad_description_max_chars",
    "social.ad_photos_max",
    "social.photo_max_bytes",
    "social.message_max_chars",
    "social.message_edit_minutes",
    "social.messages_per_minute",
    "social.message_retention_days",
    "social.admin_access_minutes",
];

impl SocialPolicy {
    /// The values in force on `at`'s day.
    pub fn from_policy(policy: &Policy, at: NaiveDateTime) -> Result<SocialPolicy, PolicyError> {
        let d = at.date();
        let i = |k: &str| policy.int(k, d).map(|r| r.value);
        Ok(SocialPolicy {
            ad_expiry_days: i(POLICY_KEYS[0])?,
            active_ads_per_employee: i(POLICY_KEYS[1])?,
            ad_posts_per_day: i(POLICY_KEYS[2])?,
            ad_title_max_chars: i(POLICY_KEYS[3])?,
            ad_description_max_chars: i(POLICY_KEYS[4])?,
            ad_photos_max: i(POLICY_KEYS[5])?,
            photo_max_bytes: i(POLICY_KEYS[6])?,
            message_max_chars: i(POLICY_KEYS[7])?,
            message_edit_minutes: i(POLICY_KEYS[8])?,
            messages_per_minute: i(POLICY_KEYS[9])?,
            message_retention_days: i(POLICY_KEYS[10])?,
            admin_access_minutes: i(POLICY_KEYS[11])?,
        })
    }
}

/// Who is acting, when, and under which rules. The caller (server, bindings)
/// fills it from the city's record: `in_service` from the organisation on `at`'s
/// day, `admin` when the employee is an HR officer that day.
#[derive(Clone, Debug)]
pub struct Ctx {
    /// The employee acting.
    pub actor: Nip,
    /// The time (the server's clock).
    pub at: NaiveDateTime,
    /// Still in the service (false: reads history, posts and sends nothing).
    pub in_service: bool,
    /// An HR officer (names moderators, may read a conversation with a recorded reason).
    pub admin: bool,
    /// The rules in force.
    pub policy: SocialPolicy,
}

/// A refusal of the social space's rules. Every variant has a stable [`code`](SocialError::code).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SocialError {
    /// The record does not exist.
    #[error("{record} {id} not found")]
    SocialNotFound {
        /// `ad`, `conversation`, `message`, `report`.
        record: &'static str,
        /// Its id.
        id: u64,
    },
    /// Only the owner may do this.
    #[error("{record} {id} belongs to {owner}, not {actor}")]
    NotTheOwner {
        /// `ad` or `message`.
        record: &'static str,
        /// Its id.
        id: u64,
        /// Who owns it.
        owner: Nip,
        /// Who tried.
        actor: Nip,
    },
    /// Only the two members read or write a conversation.
    #[error("{actor} is not a member of conversation {conversation}")]
    NotAMember {
        /// The conversation.
        conversation: u64,
        /// Who tried.
        actor: Nip,
    },
    /// Only a moderator named by the city may do this.
    #[error("{actor} is not a moderator")]
    NotAModerator {
        /// Who tried.
        actor: Nip,
    },
    /// Only an HR officer may do this.
    #[error("{actor} is not an administrator")]
    NotAnAdministrator {
        /// Who tried.
        actor: Nip,
    },
    /// The employee has left the service: history is kept, nothing new is accepted.
    #[error("{actor} has left the service and can no longer post or send")]
    LeftService {
        /// Who tried.
        actor: Nip,
    },
    /// A text is empty or longer than the policy allows.
    #[error("{field} has {chars} characters; it must have 1 to {max}")]
    TextLength {
        /// The field (`title`, `description`, `body`, `reason`).
        field: &'static str,
        /// Its length.
        chars: i64,
        /// The most allowed.
        max: i64,
    },
    /// A value is not one of the allowed choices.
    #[error("`{value}` is not a valid {field}")]
    InvalidChoice {
        /// The field (`category`, `condition`, `photo`).
        field: &'static str,
        /// The value refused.
        value: String,
    },
    /// A price below zero.
    #[error("the price {price} is below zero")]
    NegativePrice {
        /// The price.
        price: Money,
    },
    /// Too many photos on an ad.
    #[error("{count} photos; at most {max}")]
    TooManyPhotos {
        /// How many were given.
        count: i64,
        /// The most allowed.
        max: i64,
    },
    /// Already at the most active ads.
    #[error("{actor} already has {active} active ads (at most {max})")]
    TooManyActiveAds {
        /// Who.
        actor: Nip,
        /// Active ads now.
        active: i64,
        /// The most allowed.
        max: i64,
    },
    /// Over a rate limit.
    #[error("{actor} has done `{action}` {count} times in the last {window_minutes} minutes (at most {max})")]
    RateLimited {
        /// Who.
        actor: Nip,
        /// `post_ad` or `send`.
        action: &'static str,
        /// How many in the window.
        count: i64,
        /// The most allowed.
        max: i64,
        /// The window, minutes.
        window_minutes: i64,
    },
    /// The ad's status does not allow this.
    #[error("ad {ad} is {status}; `{action}` is not possible")]
    AdTransition {
        /// The ad.
        ad: u64,
        /// Its status now.
        status: AdStatus,
        /// What was tried.
        action: &'static str,
    },
    /// The ad expired (renew it first).
    #[error("ad {ad} expired at {expired_at}")]
    AdExpired {
        /// The ad.
        ad: u64,
        /// When it expired.
        expired_at: NaiveDateTime,
    },
    /// A seller cannot chat with themself about their own ad.
    #[error("{actor} is the seller of ad {ad}")]
    OwnAd {
        /// The ad.
        ad: u64,
        /// Who.
        actor: Nip,
    },
    /// A conversation with oneself.
    #[error("{actor} cannot open a conversation with themself")]
    SelfConversation {
        /// Who.
        actor: Nip,
    },
    /// One of the two has blocked the other.
    #[error("{blocker} has blocked {blocked}")]
    Blocked {
        /// Who blocked.
        blocker: Nip,
        /// Who is blocked.
        blocked: Nip,
    },
    /// The conversation already exists.
    #[error("conversation {conversation} already exists")]
    ConversationExists {
        /// The existing one.
        conversation: u64,
    },
    /// The message was deleted or its body expired.
    #[error("message {message} is deleted")]
    MessageDeleted {
        /// The message.
        message: u64,
    },
    /// The edit window has passed.
    #[error("message {message} was sent at {sent_at}; it could be edited for {minutes} minutes")]
    EditWindowPassed {
        /// The message.
        message: u64,
        /// When it was sent.
        sent_at: NaiveDateTime,
        /// The window.
        minutes: i64,
    },
    /// An idempotency key already used by this sender.
    #[error("the key `{key}` was already used for message {message}")]
    DuplicateKey {
        /// The key.
        key: String,
        /// The message it delivered.
        message: u64,
    },
    /// The report was already resolved.
    #[error("report {report} is already resolved")]
    ReportResolved {
        /// The report.
        report: u64,
    },
    /// A stored chain does not verify (an event altered, removed or reordered, or a body altered).
    #[error("social record damaged at event {seq}: {reason}")]
    ChainBroken {
        /// The first event that does not verify.
        seq: u64,
        /// What is wrong.
        reason: String,
    },
}

impl SocialError {
    /// The stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            SocialError::SocialNotFound { .. } => "social_not_found",
            SocialError::NotTheOwner { .. } => "not_the_owner",
            SocialError::NotAMember { .. } => "not_a_member",
            SocialError::NotAModerator { .. } => "not_a_moderator",
            SocialError::NotAnAdministrator { .. } => "not_an_administrator",
            SocialError::LeftService { .. } => "social_left_service",
            SocialError::TextLength { .. } => "text_length",
            SocialError::InvalidChoice { .. } => "invalid_choice",
            SocialError::NegativePrice { .. } => "negative_price",
            SocialError::TooManyPhotos { .. } => "too_many_photos",
            SocialError::TooManyActiveAds { .. } => "too_many_active_ads",
            SocialError::RateLimited { .. } => "rate_limited",
            SocialError::AdTransition { .. } => "ad_transition",
            SocialError::AdExpired { .. } => "ad_expired",
            SocialError::OwnAd { .. } => "own_ad",
            SocialError::SelfConversation { .. } => "self_conversation",
            SocialError::Blocked { .. } => "blocked",
            SocialError::ConversationExists { .. } => "conversation_exists",
            SocialError::MessageDeleted { .. } => "message_deleted",
            SocialError::EditWindowPassed { .. } => "edit_window_passed",
            SocialError::DuplicateKey { .. } => "duplicate_key",
            SocialError::ReportResolved { .. } => "report_resolved",
            SocialError::ChainBroken { .. } => "social_chain_broken",
        }
    }

    /// The broad kind of refusal, for mapping to a status: `not_found`,
    /// `forbidden`, `conflict` or `invalid`.
    pub fn area(&self) -> &'static str {
        match self {
            SocialError::SocialNotFound { .. } => "not_found",
            SocialError::NotTheOwner { .. }
            | SocialError::NotAMember { .. }
            | SocialError::NotAModerator { .. }
            | SocialError::NotAnAdministrator { .. }
            | SocialError::LeftService { .. }
            | SocialError::Blocked { .. } => "forbidden",
            SocialError::RateLimited { .. } => "rate_limited",
            SocialError::TextLength { .. }
            | SocialError::InvalidChoice { .. }
            | SocialError::NegativePrice { .. }
            | SocialError::TooManyPhotos { .. } => "invalid",
            _ => "conflict",
        }
    }
}

/// An ad's status as recorded. An `active` or `reserved` ad past its expiry is
/// shown as [`AdStatus::Expired`] (derived, never recorded).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdStatus {
    /// Up for sale.
    Active,
    /// Promised to a buyer, still shown.
    Reserved,
    /// Sold.
    Sold,
    /// Taken down by the seller.
    Withdrawn,
    /// Taken down by a moderator.
    Removed,
    /// Past its expiry (derived).
    Expired,
}

impl AdStatus {
    /// The status's code.
    pub fn as_str(self) -> &'static str {
        match self {
            AdStatus::Active => "active",
            AdStatus::Reserved => "reserved",
            AdStatus::Sold => "sold",
            AdStatus::Withdrawn => "withdrawn",
            AdStatus::Removed => "removed",
            AdStatus::Expired => "expired",
        }
    }

    /// The status of a code.
    pub fn parse(s: &str) -> Option<AdStatus> {
        [
            AdStatus::Active,
            AdStatus::Reserved,
            AdStatus::Sold,
            AdStatus::Withdrawn,
            AdStatus::Removed,
            AdStatus::Expired,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }
}

impl std::fmt::Display for AdStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a report points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
pub enum ReportTarget {
    /// An ad.
    Ad(u64),
    /// A message.
    Message(u64),
}

/// What one accepted command did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum SocialEvent {
    /// An ad was posted.
    AdPosted {
        /// Its id.
        ad: u64,
        /// Title, description, category, price, condition, photos.
        draft: AdDraft,
        /// When it expires.
        expires: NaiveDateTime,
    },
    /// The seller changed the ad's text, price or photos.
    AdEdited {
        /// The ad.
        ad: u64,
        /// The new content.
        draft: AdDraft,
    },
    /// The seller changed the status (reserve, unreserve, sold, withdraw).
    AdStatusChanged {
        /// The ad.
        ad: u64,
        /// The new status.
        status: AdStatus,
    },
    /// The seller renewed the ad.
    AdRenewed {
        /// The ad.
        ad: u64,
        /// The new expiry.
        expires: NaiveDateTime,
    },
    /// A moderator removed the ad.
    AdRemoved {
        /// The ad.
        ad: u64,
        /// Why.
        reason: String,
    },
    /// A conversation was opened (direct, or about an ad with its seller).
    ConversationOpened {
        /// Its id.
        conversation: u64,
        /// The other member.
        with: Nip,
        /// The ad it is about.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ad: Option<u64>,
    },
    /// A message was sent (its body is kept apart; see the module docs).
    MessageSent {
        /// The conversation.
        conversation: u64,
        /// The message's id.
        message: u64,
        /// SHA-256 of the body, hex.
        body_sha256: String,
        /// The body's length, characters.
        chars: i64,
        /// The sender's idempotency key (a phone's queued message).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        key: Option<String>,
    },
    /// The sender edited a message (the old body is erased).
    MessageEdited {
        /// The message.
        message: u64,
        /// SHA-256 of the new body.
        body_sha256: String,
        /// Its length.
        chars: i64,
    },
    /// The sender deleted a message (its body is erased).
    MessageDeleted {
        /// The message.
        message: u64,
    },
    /// A member read a conversation up to a message.
    ConversationRead {
        /// The conversation.
        conversation: u64,
        /// The last message read.
        up_to: u64,
    },
    /// The actor blocked an employee.
    Blocked {
        /// Who.
        nip: Nip,
    },
    /// The actor unblocked an employee.
    Unblocked {
        /// Who.
        nip: Nip,
    },
    /// An ad or message was reported to moderation.
    Reported {
        /// The report's id.
        report: u64,
        /// What.
        target: ReportTarget,
        /// Why.
        reason: String,
    },
    /// A moderator resolved a report.
    ReportResolved {
        /// The report.
        report: u64,
        /// What was done.
        note: String,
    },
    /// An HR officer named a moderator.
    ModeratorNamed {
        /// Who.
        nip: Nip,
    },
    /// An HR officer withdrew a moderator.
    ModeratorWithdrawn {
        /// Who.
        nip: Nip,
    },
    /// An administrator read a conversation they are not in, with a reason.
    ConversationAccessed {
        /// The conversation.
        conversation: u64,
        /// Why.
        reason: String,
    },
    /// Message bodies past the retention period were erased.
    MessagesExpired {
        /// The messages whose bodies were erased.
        messages: Vec<u64>,
    },
}

/// One event of the social chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SocialRecord {
    /// Sequence number, from 1.
    pub seq: u64,
    /// When (server time).
    pub at: NaiveDateTime,
    /// Who: a NIP, or `system` for retention.
    pub actor: String,
    /// What happened.
    pub event: SocialEvent,
    /// The previous event's hash (the genesis hash for the first).
    pub prev: Hash,
    /// This event's hash.
    pub hash: Hash,
}

impl SocialRecord {
    /// The canonical bytes hashed: compact JSON of `(seq, at, actor, event)`.
    pub fn canonical_bytes(seq: u64, at: NaiveDateTime, actor: &str, event: &SocialEvent) -> Vec<u8> {
        // Serialising these types cannot fail (no maps with non-string keys).
        serde_json::to_vec(&(seq, at, actor, event)).unwrap_or_default()
    }

    /// Whether `hash` is `SHA-256(prev || canonical bytes)`.
    pub fn verifies(&self) -> bool {
        Hash::chain(&self.prev, &Self::canonical_bytes(self.seq, self.at, &self.actor, &self.event)) == self.hash
    }

    /// The event kind's name (`ad_posted`, `message_sent`, ...).
    pub fn kind(&self) -> String {
        serde_json::to_value(&self.event)
            .ok()
            .and_then(|v| v.get("kind").and_then(|k| k.as_str()).map(str::to_string))
            .unwrap_or_default()
    }
}

/// A change ready to store: the record, the body to keep (message id, text) and
/// the message bodies to erase. Store all of it in one transaction, then
/// [`Social::apply`] it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pending {
    /// The chained record.
    pub record: SocialRecord,
    /// A body to keep (a sent or edited message).
    pub body: Option<(u64, String)>,
    /// Bodies to erase from storage.
    pub erase: Vec<u64>,
}

/// An ad as kept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ad {
    /// Its id.
    pub id: u64,
    /// The seller.
    pub seller: Nip,
    /// Its content.
    pub draft: AdDraft,
    /// Recorded status (see [`Ad::status_at`] for the one shown).
    pub status: AdStatus,
    /// When posted.
    pub posted_at: NaiveDateTime,
    /// When last changed.
    pub updated_at: NaiveDateTime,
    /// When it expires.
    pub expires: NaiveDateTime,
    /// Why a moderator removed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removed_reason: Option<String>,
}

impl Ad {
    /// The status shown at `at`: an active or reserved ad past its expiry is expired.
    pub fn status_at(&self, at: NaiveDateTime) -> AdStatus {
        match self.status {
            AdStatus::Active | AdStatus::Reserved if at >= self.expires => AdStatus::Expired,
            s => s,
        }
    }
}

/// A conversation as kept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conversation {
    /// Its id.
    pub id: u64,
    /// Who opened it, and the other member.
    pub members: [Nip; 2],
    /// The ad it is about.
    pub ad: Option<u64>,
    /// When opened.
    pub opened_at: NaiveDateTime,
    /// Its messages' ids, oldest first.
    pub messages: Vec<u64>,
    /// Per member, the last message read.
    pub last_read: BTreeMap<Nip, u64>,
}

impl Conversation {
    /// True when `nip` is one of the two.
    pub fn has(&self, nip: &Nip) -> bool {
        self.members.contains(nip)
    }

    /// The other member.
    pub fn other(&self, nip: &Nip) -> &Nip {
        if &self.members[0] == nip { &self.members[1] } else { &self.members[0] }
    }
}

/// A message as kept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// Its id.
    pub id: u64,
    /// The conversation.
    pub conversation: u64,
    /// Who sent it.
    pub sender: Nip,
    /// When.
    pub sent_at: NaiveDateTime,
    /// When last edited.
    pub edited_at: Option<NaiveDateTime>,
    /// Deleted by its sender.
    pub deleted: bool,
    /// SHA-256 of the current body.
    pub body_sha256: String,
    /// The body, while kept (None once deleted or expired).
    pub body: Option<String>,
    /// The sender's idempotency key.
    pub key: Option<String>,
}

/// A report to moderation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// Its id.
    pub id: u64,
    /// Who reported.
    pub by: Nip,
    /// What.
    pub target: ReportTarget,
    /// Why.
    pub reason: String,
    /// When.
    pub at: NaiveDateTime,
    /// The moderator's note once resolved, and who.
    pub resolved: Option<(Nip, String)>,
}

/// An administrator's recorded access to a conversation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Access {
    /// The event's sequence number.
    pub seq: u64,
    /// Who.
    pub admin: Nip,
    /// Which conversation.
    pub conversation: u64,
    /// Why.
    pub reason: String,
    /// When.
    pub at: NaiveDateTime,
}

/// A command to the social space.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "command")]
pub enum Command {
    /// Post an ad.
    PostAd {
        /// Its content.
        draft: AdDraft,
    },
    /// Edit one's ad.
    EditAd {
        /// The ad.
        ad: u64,
        /// The new content.
        draft: AdDraft,
    },
    /// Reserve one's ad for a buyer.
    Reserve {
        /// The ad.
        ad: u64,
    },
    /// Put a reserved ad back on sale.
    Unreserve {
        /// The ad.
        ad: u64,
    },
    /// Mark one's ad sold.
    MarkSold {
        /// The ad.
        ad: u64,
    },
    /// Withdraw one's ad.
    Withdraw {
        /// The ad.
        ad: u64,
    },
    /// Renew one's ad (a new expiry from now).
    Renew {
        /// The ad.
        ad: u64,
    },
    /// A moderator removes an ad.
    RemoveAd {
        /// The ad.
        ad: u64,
        /// Why.
        reason: String,
    },
    /// Open a direct conversation.
    OpenDirect {
        /// With whom.
        with: Nip,
    },
    /// Open a conversation with an ad's seller.
    OpenAboutAd {
        /// The ad.
        ad: u64,
    },
    /// Send a message.
    Send {
        /// The conversation.
        conversation: u64,
        /// The text.
        body: String,
        /// An idempotency key (delivered once).
        #[serde(default)]
        key: Option<String>,
    },
    /// Edit one's message within the window.
    EditMessage {
        /// The message.
        message: u64,
        /// The new text.
        body: String,
    },
    /// Delete one's message.
    DeleteMessage {
        /// The message.
        message: u64,
    },
    /// Mark a conversation read up to its last message.
    MarkRead {
        /// The conversation.
        conversation: u64,
    },
    /// Block an employee.
    Block {
        /// Who.
        nip: Nip,
    },
    /// Unblock an employee.
    Unblock {
        /// Who.
        nip: Nip,
    },
    /// Report an ad or message to moderation.
    Report {
        /// What.
        target: ReportTarget,
        /// Why.
        reason: String,
    },
    /// A moderator resolves a report.
    Resolve {
        /// The report.
        report: u64,
        /// What was done.
        note: String,
    },
    /// An HR officer names a moderator.
    NameModerator {
        /// Who.
        nip: Nip,
    },
    /// An HR officer withdraws a moderator.
    WithdrawModerator {
        /// Who.
        nip: Nip,
    },
    /// An administrator records why they read a conversation they are not in.
    AccessConversation {
        /// The conversation.
        conversation: u64,
        /// Why.
        reason: String,
    },
}

/// The social space's whole state, rebuilt exactly by replaying its chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Social {
    /// The last event's sequence number (0 before any).
    pub seq: u64,
    /// The last event's hash.
    pub head: Hash,
    /// Every ad by id.
    pub ads: BTreeMap<u64, Ad>,
    /// Every conversation by id.
    pub conversations: BTreeMap<u64, Conversation>,
    /// Every message by id.
    pub messages: BTreeMap<u64, Message>,
    /// (blocker, blocked).
    pub blocks: BTreeSet<(Nip, Nip)>,
    /// Moderators.
    pub moderators: BTreeSet<Nip>,
    /// Reports by id.
    pub reports: BTreeMap<u64, Report>,
    /// Administrators' recorded accesses.
    pub accesses: Vec<Access>,
    /// Per sender, the times of their messages (for the rate limit).
    sends: BTreeMap<Nip, Vec<NaiveDateTime>>,
    /// Per seller, their ads' ids.
    by_seller: BTreeMap<Nip, Vec<u64>>,
}

impl Default for Social {
    fn default() -> Self {
        Social::new()
    }
}

/// Checks a text's length in characters: 1..=max (after trimming).
pub(crate) fn check_text(field: &'static str, text: &str, max: i64) -> Result<(), SocialError> {
    let chars = text.trim().chars().count() as i64;
    if chars == 0 || chars > max { Err(SocialError::TextLength { field, chars, max }) } else { Ok(()) }
}

impl Social {
    /// An empty social space.
    pub fn new() -> Social {
        Social {
            seq: 0,
            head: genesis(),
            ads: BTreeMap::new(),
            conversations: BTreeMap::new(),
            messages: BTreeMap::new(),
            blocks: BTreeSet::new(),
            moderators: BTreeSet::new(),
            reports: BTreeMap::new(),
            accesses: Vec::new(),
            sends: BTreeMap::new(),
            by_seller: BTreeMap::new(),
        }
    }

    /// Rebuilds the state from stored records (in order) and the bodies kept,
    /// checking every hash and every kept body against its recorded hash.
    pub fn replay<I>(records: I, bodies: &BTreeMap<u64, String>) -> Result<Social, SocialError>
    where
        I: IntoIterator<Item = SocialRecord>,
    {
        let mut s = Social::new();
        for r in records {
            if r.seq != s.seq + 1 {
                return Err(SocialError::ChainBroken { seq: r.seq, reason: format!("expected event {}", s.seq + 1) });
            }
            if r.prev != s.head {
                return Err(SocialError::ChainBroken { seq: r.seq, reason: "prev is not the last hash".into() });
            }
            if !r.verifies() {
                return Err(SocialError::ChainBroken { seq: r.seq, reason: "hash does not match the event".into() });
            }
            s.apply_record(&r, None);
        }
        for (id, body) in bodies {
            let Some(m) = s.messages.get_mut(id) else { continue };
            if m.deleted {
                continue;
            }
            if body_hash(body) != m.body_sha256 {
                return Err(SocialError::ChainBroken { seq: 0, reason: format!("body of message {id} was altered") });
            }
            m.body = Some(body.clone());
        }
        Ok(s)
    }

    /// Chains `event` after the head, by `actor` at `at`.
    pub(crate) fn chain(&self, at: NaiveDateTime, actor: &str, event: SocialEvent) -> SocialRecord {
        let seq = self.seq + 1;
        let hash = Hash::chain(&self.head, &SocialRecord::canonical_bytes(seq, at, actor, &event));
        SocialRecord { seq, at, actor: actor.to_string(), event, prev: self.head, hash }
    }

    /// Applies a stored change (after [`Social::prepare`] and storage).
    pub fn apply(&mut self, p: &Pending) {
        self.apply_record(&p.record, p.body.as_ref().map(|(_, b)| b.as_str()));
    }

    fn apply_record(&mut self, r: &SocialRecord, body: Option<&str>) {
        self.seq = r.seq;
        self.head = r.hash;
        let actor: Option<Nip> = Nip::parse(&r.actor).ok();
        let at = r.at;
        match &r.event {
            SocialEvent::AdPosted { ad, draft, expires } => {
                if let Some(seller) = actor {
                    self.by_seller.entry(seller.clone()).or_default().push(*ad);
                    self.ads.insert(
                        *ad,
                        Ad {
                            id: *ad,
                            seller,
                            draft: draft.clone(),
                            status: AdStatus::Active,
                            posted_at: at,
                            updated_at: at,
                            expires: *expires,
                            removed_reason: None,
                        },
                    );
                }
            }
            SocialEvent::AdEdited { ad, draft } => {
                if let Some(a) = self.ads.get_mut(ad) {
                    a.draft = draft.clone();
                    a.updated_at = at;
                }
            }
            SocialEvent::AdStatusChanged { ad, status } => {
                if let Some(a) = self.ads.get_mut(ad) {
                    a.status = *status;
                    a.updated_at = at;
                }
            }
            SocialEvent::AdRenewed { ad, expires } => {
                if let Some(a) = self.ads.get_mut(ad) {
                    a.expires = *expires;
                    a.updated_at = at;
                }
            }
            SocialEvent::AdRemoved { ad, reason } => {
                if let Some(a) = self.ads.get_mut(ad) {
                    a.status = AdStatus::Removed;
                    a.removed_reason = Some(reason.clone());
                    a.updated_at = at;
                }
            }
            SocialEvent::ConversationOpened { conversation, with, ad } => {
                if let Some(me) = actor {
                    self.conversations.insert(
                        *conversation,
                        Conversation {
                            id: *conversation,
                            members: [me, with.clone()],
                            ad: *ad,
                            opened_at: at,
                            messages: Vec::new(),
                            last_read: BTreeMap::new(),
                        },
                    );
                }
            }
            SocialEvent::MessageSent { conversation, message, body_sha256, key, .. } => {
                if let Some(sender) = actor {
                    if let Some(c) = self.conversations.get_mut(conversation) {
                        c.messages.push(*message);
                        // Sending marks the conversation read up to one's own message
                        // (one answers what one has read).
                        c.last_read.insert(sender.clone(), *message);
                    }
                    self.sends.entry(sender.clone()).or_default().push(at);
                    self.messages.insert(
                        *message,
                        Message {
                            id: *message,
                            conversation: *conversation,
                            sender,
                            sent_at: at,
                            edited_at: None,
                            deleted: false,
                            body_sha256: body_sha256.clone(),
                            body: body.map(str::to_string),
                            key: key.clone(),
                        },
                    );
                }
            }
            SocialEvent::MessageEdited { message, body_sha256, .. } => {
                if let Some(m) = self.messages.get_mut(message) {
                    m.body_sha256 = body_sha256.clone();
                    m.body = body.map(str::to_string);
                    m.edited_at = Some(at);
                }
            }
            SocialEvent::MessageDeleted { message } => {
                if let Some(m) = self.messages.get_mut(message) {
                    m.deleted = true;
                    m.body = None;
                }
            }
            SocialEvent::ConversationRead { conversation, up_to } => {
                if let (Some(me), Some(c)) = (actor, self.conversations.get_mut(conversation)) {
                    let e = c.last_read.entry(me).or_insert(0);
                    *e = (*e).max(*up_to);
                }
            }
            SocialEvent::Blocked { nip } => {
                if let Some(me) = actor {
                    self.blocks.insert((me, nip.clone()));
                }
            }
            SocialEvent::Unblocked { nip } => {
                if let Some(me) = actor {
                    self.blocks.remove(&(me, nip.clone()));
                }
            }
            SocialEvent::Reported { report, target, reason } => {
                if let Some(by) = actor {
                    self.reports.insert(
                        *report,
                        Report { id: *report, by, target: *target, reason: reason.clone(), at, resolved: None },
                    );
                }
            }
            SocialEvent::ReportResolved { report, note } => {
                if let (Some(me), Some(rep)) = (actor, self.reports.get_mut(report)) {
                    rep.resolved = Some((me, note.clone()));
                }
            }
            SocialEvent::ModeratorNamed { nip } => {
                self.moderators.insert(nip.clone());
            }
            SocialEvent::ModeratorWithdrawn { nip } => {
                self.moderators.remove(nip);
            }
            SocialEvent::ConversationAccessed { conversation, reason } => {
                if let Some(admin) = actor {
                    self.accesses.push(Access {
                        seq: r.seq,
                        admin,
                        conversation: *conversation,
                        reason: reason.clone(),
                        at,
                    });
                }
            }
            SocialEvent::MessagesExpired { messages } => {
                for id in messages {
                    if let Some(m) = self.messages.get_mut(id) {
                        m.body = None;
                        m.deleted = true;
                    }
                }
            }
        }
    }

    /// Checks a command against the state and the caller, and returns the change
    /// to store; nothing changes here (see [`Social::apply`]).
    pub fn prepare(&self, ctx: &Ctx, cmd: Command) -> Result<Pending, SocialError> {
        let (event, body, erase) = match cmd {
            Command::PostAd { draft } => (self.post_ad(ctx, draft)?, None, vec![]),
            Command::EditAd { ad, draft } => (self.edit_ad(ctx, ad, draft)?, None, vec![]),
            Command::Reserve { ad } => (self.set_status(ctx, ad, "reserve")?, None, vec![]),
            Command::Unreserve { ad } => (self.set_status(ctx, ad, "unreserve")?, None, vec![]),
            Command::MarkSold { ad } => (self.set_status(ctx, ad, "sold")?, None, vec![]),
            Command::Withdraw { ad } => (self.set_status(ctx, ad, "withdraw")?, None, vec![]),
            Command::Renew { ad } => (self.renew(ctx, ad)?, None, vec![]),
            Command::RemoveAd { ad, reason } => (self.remove_ad(ctx, ad, reason)?, None, vec![]),
            Command::OpenDirect { with } => (self.open_direct(ctx, with)?, None, vec![]),
            Command::OpenAboutAd { ad } => (self.open_about_ad(ctx, ad)?, None, vec![]),
            Command::Send { conversation, body, key } => {
                let (e, id) = self.send(ctx, conversation, &body, key)?;
                (e, Some((id, body)), vec![])
            }
            Command::EditMessage { message, body } => {
                let e = self.edit_message(ctx, message, &body)?;
                (e, Some((message, body)), vec![])
            }
            Command::DeleteMessage { message } => (self.delete_message(ctx, message)?, None, vec![message]),
            Command::MarkRead { conversation } => (self.mark_read(ctx, conversation)?, None, vec![]),
            Command::Block { nip } => (self.block(ctx, nip, true)?, None, vec![]),
            Command::Unblock { nip } => (self.block(ctx, nip, false)?, None, vec![]),
            Command::Report { target, reason } => (self.report(ctx, target, reason)?, None, vec![]),
            Command::Resolve { report, note } => (self.resolve(ctx, report, note)?, None, vec![]),
            Command::NameModerator { nip } => (self.moderator(ctx, nip, true)?, None, vec![]),
            Command::WithdrawModerator { nip } => (self.moderator(ctx, nip, false)?, None, vec![]),
            Command::AccessConversation { conversation, reason } => {
                (self.access(ctx, conversation, reason)?, None, vec![])
            }
        };
        Ok(Pending { record: self.chain(ctx.at, ctx.actor.as_str(), event), body, erase })
    }

    /// The retention sweep at `at`: erases the bodies of messages sent more than
    /// `policy.message_retention_days` ago. `None` when there is nothing to erase.
    pub fn prepare_retention(&self, at: NaiveDateTime, policy: &SocialPolicy) -> Option<Pending> {
        let cutoff = at - TimeDelta::days(policy.message_retention_days);
        let expired: Vec<u64> =
            self.messages.values().filter(|m| !m.deleted && m.sent_at < cutoff).map(|m| m.id).collect();
        if expired.is_empty() {
            return None;
        }
        let event = SocialEvent::MessagesExpired { messages: expired.clone() };
        Some(Pending { record: self.chain(at, "system", event), body: None, erase: expired })
    }

    fn require_in_service(ctx: &Ctx) -> Result<(), SocialError> {
        if ctx.in_service { Ok(()) } else { Err(SocialError::LeftService { actor: ctx.actor.clone() }) }
    }

    fn require_moderator(&self, ctx: &Ctx) -> Result<(), SocialError> {
        if self.moderators.contains(&ctx.actor) && ctx.in_service {
            Ok(())
        } else {
            Err(SocialError::NotAModerator { actor: ctx.actor.clone() })
        }
    }

    fn report(&self, ctx: &Ctx, target: ReportTarget, reason: String) -> Result<SocialEvent, SocialError> {
        check_text("reason", &reason, REASON_MAX_CHARS as i64)?;
        match target {
            ReportTarget::Ad(id) => {
                self.ads.get(&id).ok_or(SocialError::SocialNotFound { record: "ad", id })?;
            }
            ReportTarget::Message(id) => {
                // One reports what one can read: a message of one's own conversations.
                let m = self.messages.get(&id).ok_or(SocialError::SocialNotFound { record: "message", id })?;
                self.member_of(&ctx.actor, m.conversation)?;
            }
        }
        let report = self.reports.keys().next_back().map_or(1, |k| k + 1);
        Ok(SocialEvent::Reported { report, target, reason: reason.trim().to_string() })
    }

    fn resolve(&self, ctx: &Ctx, report: u64, note: String) -> Result<SocialEvent, SocialError> {
        self.require_moderator(ctx)?;
        let r = self.reports.get(&report).ok_or(SocialError::SocialNotFound { record: "report", id: report })?;
        if r.resolved.is_some() {
            return Err(SocialError::ReportResolved { report });
        }
        check_text("note", &note, REASON_MAX_CHARS as i64)?;
        Ok(SocialEvent::ReportResolved { report, note: note.trim().to_string() })
    }

    fn moderator(&self, ctx: &Ctx, nip: Nip, name: bool) -> Result<SocialEvent, SocialError> {
        if !ctx.admin {
            return Err(SocialError::NotAnAdministrator { actor: ctx.actor.clone() });
        }
        Ok(if name { SocialEvent::ModeratorNamed { nip } } else { SocialEvent::ModeratorWithdrawn { nip } })
    }

    /// True when `nip` is a moderator.
    pub fn is_moderator(&self, nip: &Nip) -> bool {
        self.moderators.contains(nip)
    }

    /// Reports still open, oldest first (moderators only).
    pub fn open_reports(&self, reader: &Nip) -> Result<Vec<&Report>, SocialError> {
        if !self.moderators.contains(reader) {
            return Err(SocialError::NotAModerator { actor: reader.clone() });
        }
        Ok(self.reports.values().filter(|r| r.resolved.is_none()).collect())
    }
}

//! The social space on a phone: a bundle of what one employee may read (the ad
//! board and their conversations), read offline, and messages queued offline and
//! delivered on sync exactly once.
//!
//! Each queued message carries an idempotency key, `<bundle session>:<n>`. The
//! server delivers a key once per sender ([`Social::sent_with_key`]): sending the
//! same key again (the answer was lost, the app was killed mid-sync) answers the
//! message already delivered instead of sending a second one. The queue is saved
//! with the app's state ([`SocialPhone::save`]) and survives a new bundle
//! ([`SocialPhone::rebase`]).

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::{AdStatus, MessageView, Social, SocialError, SocialPolicy, check_text};
use crate::money::Money;
use crate::nip::Nip;

/// An ad as the phone keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleAd {
    /// Its id.
    pub id: u64,
    /// The seller.
    pub seller: Nip,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Category code.
    pub category: String,
    /// Price.
    pub price: Money,
    /// Condition code.
    pub condition: String,
    /// Status when the bundle was made.
    pub status: AdStatus,
    /// When it expires.
    pub expires: NaiveDateTime,
}

/// A conversation as the phone keeps it: the member's own view.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleConversation {
    /// Its id.
    pub id: u64,
    /// The other member.
    pub with: Nip,
    /// The ad it is about.
    pub ad: Option<u64>,
    /// Unread messages when the bundle was made.
    pub unread: u64,
    /// Messages, oldest first.
    pub messages: Vec<MessageView>,
}

/// What the server gives a phone: the board's active ads, the employee's own
/// ads, and their conversations.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SocialBundle {
    /// A fresh id for this bundle (the first part of the phone's message keys).
    pub session: String,
    /// Whose.
    pub employee: Nip,
    /// When it was made.
    pub issued_at: NaiveDateTime,
    /// The most characters of a message.
    pub message_max_chars: i64,
    /// Ads, newest first.
    pub ads: Vec<BundleAd>,
    /// Conversations, most recent first.
    pub conversations: Vec<BundleConversation>,
}

impl Social {
    /// The bundle for `me` at `at` (at most 200 of the board's ads, every own ad).
    pub fn bundle(&self, me: &Nip, session: &str, at: NaiveDateTime, policy: &SocialPolicy) -> SocialBundle {
        let mut ads: Vec<BundleAd> = self
            .ads
            .values()
            .filter_map(|a| {
                let status = a.status_at(at);
                let listed = matches!(status, AdStatus::Active | AdStatus::Reserved);
                let own = &a.seller == me && status != AdStatus::Removed;
                (listed || own).then(|| BundleAd {
                    id: a.id,
                    seller: a.seller.clone(),
                    title: a.draft.title.clone(),
                    description: a.draft.description.clone(),
                    category: a.draft.category.clone(),
                    price: a.draft.price,
                    condition: a.draft.condition.clone(),
                    status,
                    expires: a.expires,
                })
            })
            .collect();
        ads.sort_by_key(|a| std::cmp::Reverse(a.id));
        let mut kept = 0;
        ads.retain(|a| {
            kept += 1;
            &a.seller == me || kept <= 200
        });
        let conversations = self
            .conversations_of(me)
            .into_iter()
            .filter_map(|c| {
                let v = self.conversation(me, c.id, at, 0).ok()?;
                Some(BundleConversation { id: c.id, with: c.with, ad: c.ad, unread: c.unread, messages: v.messages })
            })
            .collect();
        SocialBundle {
            session: session.to_string(),
            employee: me.clone(),
            issued_at: at,
            message_max_chars: policy.message_max_chars,
            ads,
            conversations,
        }
    }
}

/// A message written offline, waiting for the next sync.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuedMessage {
    /// The idempotency key.
    pub key: String,
    /// The conversation.
    pub conversation: u64,
    /// The text.
    pub body: String,
    /// When it was written (the phone's clock, for display only).
    pub written_at: String,
}

/// The phone's social state: the last bundle and the queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SocialPhone {
    /// The last bundle.
    pub bundle: SocialBundle,
    /// Messages not yet delivered, in the order written.
    pub queue: Vec<QueuedMessage>,
    /// Keys issued so far in this bundle's session.
    pub issued: u64,
}

fn damaged(e: serde_json::Error) -> SocialError {
    SocialError::ChainBroken { seq: 0, reason: format!("the phone's social data does not read: {e}") }
}

impl SocialPhone {
    /// A phone state from a bundle (JSON).
    pub fn open(bundle_json: &str) -> Result<SocialPhone, SocialError> {
        let bundle: SocialBundle = serde_json::from_str(bundle_json).map_err(damaged)?;
        Ok(SocialPhone { bundle, queue: Vec::new(), issued: 0 })
    }

    /// The state saved by [`SocialPhone::save`].
    pub fn restore(saved_json: &str) -> Result<SocialPhone, SocialError> {
        serde_json::from_str(saved_json).map_err(damaged)
    }

    /// The state as JSON, to keep across app restarts (the queue included).
    pub fn save(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A new bundle after a sync: the queue (what was not delivered) is kept with
    /// its keys, so a message whose delivery answer was lost is not sent twice.
    pub fn rebase(&mut self, bundle_json: &str) -> Result<(), SocialError> {
        let bundle: SocialBundle = serde_json::from_str(bundle_json).map_err(damaged)?;
        if bundle.employee != self.bundle.employee {
            return Err(SocialError::NotTheOwner {
                record: "bundle",
                id: 0,
                owner: self.bundle.employee.clone(),
                actor: bundle.employee,
            });
        }
        self.bundle = bundle;
        self.issued = 0;
        Ok(())
    }

    /// A conversation of the bundle, with the queued messages not yet delivered.
    pub fn conversation(&self, id: u64) -> Result<&BundleConversation, SocialError> {
        self.bundle
            .conversations
            .iter()
            .find(|c| c.id == id)
            .ok_or_else(|| SocialError::NotAMember { conversation: id, actor: self.bundle.employee.clone() })
    }

    /// Queues a message offline; returns its key. Only into one's own conversations,
    /// within the length limit.
    pub fn queue_message(&mut self, conversation: u64, body: &str, written_at: &str) -> Result<String, SocialError> {
        self.conversation(conversation)?;
        check_text("body", body, self.bundle.message_max_chars)?;
        self.issued += 1;
        let key = format!("{}:{}", self.bundle.session, self.issued);
        self.queue.push(QueuedMessage {
            key: key.clone(),
            conversation,
            body: body.to_string(),
            written_at: written_at.to_string(),
        });
        Ok(key)
    }

    /// The messages to deliver, as JSON (`[{"key", "conversation", "body", "written_at"}]`).
    pub fn pending_json(&self) -> String {
        serde_json::to_string(&self.queue).unwrap_or_default()
    }

    /// The server delivered `key` (as message `message`): it leaves the queue.
    /// Returns false when no such key was queued (already removed).
    pub fn delivered(&mut self, key: &str) -> bool {
        let before = self.queue.len();
        self.queue.retain(|q| q.key != key);
        self.queue.len() != before
    }
}

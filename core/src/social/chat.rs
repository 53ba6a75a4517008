//! Conversations: opening, sending, editing, deleting, read receipts, blocking,
//! and who may read.

use chrono::{NaiveDateTime, TimeDelta};
use serde::{Deserialize, Serialize};

use super::{AdStatus, Conversation, Ctx, Social, SocialError, SocialEvent, body_hash, check_text};
use crate::nip::Nip;

/// One message as a member sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageView {
    /// Its id.
    pub id: u64,
    /// Who sent it.
    pub sender: Nip,
    /// When.
    pub sent_at: NaiveDateTime,
    /// When last edited.
    pub edited_at: Option<NaiveDateTime>,
    /// The text; `None` when deleted or expired.
    pub body: Option<String>,
    /// Deleted (or expired under the retention policy).
    pub deleted: bool,
    /// The other member has read it (read receipt).
    pub read_by_other: bool,
}

/// A conversation as a member (or an administrator with a recorded reason) sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationView {
    /// Its id.
    pub id: u64,
    /// The two members.
    pub members: [Nip; 2],
    /// The ad it is about.
    pub ad: Option<u64>,
    /// The messages, oldest first.
    pub messages: Vec<MessageView>,
}

/// A line of a member's conversation list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationSummary {
    /// Its id.
    pub id: u64,
    /// The other member.
    pub with: Nip,
    /// The ad it is about.
    pub ad: Option<u64>,
    /// Messages from the other member not yet read.
    pub unread: u64,
    /// When the last message was sent (or the conversation opened).
    pub last_at: NaiveDateTime,
}

/// True while a message sent at `sent_at` may still be edited at `at`: up to and
/// including `minutes` (policy `social.message_edit_minutes`) after sending.
/// The same test refuses a late [`super::Command::EditMessage`]; pages use it to
/// show the edit form only while it would be accepted.
pub fn edit_window_open(sent_at: NaiveDateTime, at: NaiveDateTime, minutes: i64) -> bool {
    at <= sent_at + TimeDelta::minutes(minutes)
}

impl Social {
    pub(super) fn member_of(&self, nip: &Nip, id: u64) -> Result<&Conversation, SocialError> {
        let c = self.conversations.get(&id).ok_or(SocialError::SocialNotFound { record: "conversation", id })?;
        if !c.has(nip) {
            return Err(SocialError::NotAMember { conversation: id, actor: nip.clone() });
        }
        Ok(c)
    }

    /// Who of the two has blocked the other, if either.
    fn block_between(&self, a: &Nip, b: &Nip) -> Option<SocialError> {
        if self.blocks.contains(&(b.clone(), a.clone())) {
            return Some(SocialError::Blocked { blocker: b.clone(), blocked: a.clone() });
        }
        if self.blocks.contains(&(a.clone(), b.clone())) {
            return Some(SocialError::Blocked { blocker: a.clone(), blocked: b.clone() });
        }
        None
    }

    /// The conversation between `a` and `b` (about `ad`, or direct), if open.
    pub fn find_conversation(&self, a: &Nip, b: &Nip, ad: Option<u64>) -> Option<u64> {
        self.conversations.values().find(|c| c.has(a) && c.has(b) && c.ad == ad).map(|c| c.id)
    }

    fn next_conversation(&self) -> u64 {
        self.conversations.keys().next_back().map_or(1, |k| k + 1)
    }

    pub(super) fn open_direct(&self, ctx: &Ctx, with: Nip) -> Result<SocialEvent, SocialError> {
        Social::require_in_service(ctx)?;
        if with == ctx.actor {
            return Err(SocialError::SelfConversation { actor: ctx.actor.clone() });
        }
        if let Some(e) = self.block_between(&ctx.actor, &with) {
            return Err(e);
        }
        if let Some(conversation) = self.find_conversation(&ctx.actor, &with, None) {
            return Err(SocialError::ConversationExists { conversation });
        }
        Ok(SocialEvent::ConversationOpened { conversation: self.next_conversation(), with, ad: None })
    }

    pub(super) fn open_about_ad(&self, ctx: &Ctx, id: u64) -> Result<SocialEvent, SocialError> {
        Social::require_in_service(ctx)?;
        let ad = self.ad(&ctx.actor, id)?;
        if ad.seller == ctx.actor {
            return Err(SocialError::OwnAd { ad: id, actor: ctx.actor.clone() });
        }
        match ad.status_at(ctx.at) {
            AdStatus::Active | AdStatus::Reserved => {}
            AdStatus::Expired => return Err(SocialError::AdExpired { ad: id, expired_at: ad.expires }),
            s => return Err(SocialError::AdTransition { ad: id, status: s, action: "contact" }),
        }
        if let Some(e) = self.block_between(&ctx.actor, &ad.seller) {
            return Err(e);
        }
        if let Some(conversation) = self.find_conversation(&ctx.actor, &ad.seller, Some(id)) {
            return Err(SocialError::ConversationExists { conversation });
        }
        Ok(SocialEvent::ConversationOpened {
            conversation: self.next_conversation(),
            with: ad.seller.clone(),
            ad: Some(id),
        })
    }

    /// The message `sender` delivered with idempotency key `key`, if any.
    pub fn sent_with_key(&self, sender: &Nip, key: &str) -> Option<u64> {
        self.messages.values().rev().find(|m| &m.sender == sender && m.key.as_deref() == Some(key)).map(|m| m.id)
    }

    pub(super) fn send(
        &self,
        ctx: &Ctx,
        conversation: u64,
        body: &str,
        key: Option<String>,
    ) -> Result<(SocialEvent, u64), SocialError> {
        let c = self.member_of(&ctx.actor, conversation)?;
        Social::require_in_service(ctx)?;
        if let Some(k) = key.as_deref() {
            check_text("key", k, 100)?;
            if let Some(message) = self.sent_with_key(&ctx.actor, k) {
                return Err(SocialError::DuplicateKey { key: k.to_string(), message });
            }
        }
        if let Some(e) = self.block_between(&ctx.actor, c.other(&ctx.actor)) {
            return Err(e);
        }
        check_text("body", body, ctx.policy.message_max_chars)?;
        let since = ctx.at - TimeDelta::minutes(1);
        let times = self.sends.get(&ctx.actor).map(Vec::as_slice).unwrap_or_default();
        let recent = (times.len() - times.partition_point(|t| *t <= since)) as i64;
        if recent >= ctx.policy.messages_per_minute {
            return Err(SocialError::RateLimited {
                actor: ctx.actor.clone(),
                action: "send",
                count: recent,
                max: ctx.policy.messages_per_minute,
                window_minutes: 1,
            });
        }
        let message = self.messages.keys().next_back().map_or(1, |k| k + 1);
        Ok((
            SocialEvent::MessageSent {
                conversation,
                message,
                body_sha256: body_hash(body),
                chars: body.chars().count() as i64,
                key,
            },
            message,
        ))
    }

    fn own_message(&self, ctx: &Ctx, id: u64) -> Result<&super::Message, SocialError> {
        let m = self.messages.get(&id).ok_or(SocialError::SocialNotFound { record: "message", id })?;
        self.member_of(&ctx.actor, m.conversation)?;
        if m.sender != ctx.actor {
            return Err(SocialError::NotTheOwner {
                record: "message",
                id,
                owner: m.sender.clone(),
                actor: ctx.actor.clone(),
            });
        }
        if m.deleted {
            return Err(SocialError::MessageDeleted { message: id });
        }
        Ok(m)
    }

    pub(super) fn edit_message(&self, ctx: &Ctx, id: u64, body: &str) -> Result<SocialEvent, SocialError> {
        let m = self.own_message(ctx, id)?;
        Social::require_in_service(ctx)?;
        let minutes = ctx.policy.message_edit_minutes;
        if !edit_window_open(m.sent_at, ctx.at, minutes) {
            return Err(SocialError::EditWindowPassed { message: id, sent_at: m.sent_at, minutes });
        }
        check_text("body", body, ctx.policy.message_max_chars)?;
        Ok(SocialEvent::MessageEdited { message: id, body_sha256: body_hash(body), chars: body.chars().count() as i64 })
    }

    pub(super) fn delete_message(&self, ctx: &Ctx, id: u64) -> Result<SocialEvent, SocialError> {
        // Deleting is allowed after leaving the service: it takes nothing new in.
        self.own_message(ctx, id)?;
        Ok(SocialEvent::MessageDeleted { message: id })
    }

    pub(super) fn mark_read(&self, ctx: &Ctx, id: u64) -> Result<SocialEvent, SocialError> {
        let c = self.member_of(&ctx.actor, id)?;
        let up_to = c.messages.last().copied().unwrap_or(0);
        Ok(SocialEvent::ConversationRead { conversation: id, up_to })
    }

    pub(super) fn block(&self, ctx: &Ctx, nip: Nip, block: bool) -> Result<SocialEvent, SocialError> {
        if nip == ctx.actor {
            return Err(SocialError::SelfConversation { actor: ctx.actor.clone() });
        }
        Ok(if block { SocialEvent::Blocked { nip } } else { SocialEvent::Unblocked { nip } })
    }

    pub(super) fn access(&self, ctx: &Ctx, id: u64, reason: String) -> Result<SocialEvent, SocialError> {
        if !ctx.admin {
            return Err(SocialError::NotAnAdministrator { actor: ctx.actor.clone() });
        }
        self.conversations.get(&id).ok_or(SocialError::SocialNotFound { record: "conversation", id })?;
        check_text("reason", &reason, super::REASON_MAX_CHARS as i64)?;
        Ok(SocialEvent::ConversationAccessed { conversation: id, reason: reason.trim().to_string() })
    }

    /// A conversation as `reader` may see it at `at`: a member always; anyone else
    /// only within `admin_access_minutes` after recording a reason
    /// ([`super::Command::AccessConversation`]); otherwise `not_a_member`.
    pub fn conversation(
        &self,
        reader: &Nip,
        id: u64,
        at: NaiveDateTime,
        admin_access_minutes: i64,
    ) -> Result<ConversationView, SocialError> {
        let c = self.conversations.get(&id).ok_or(SocialError::SocialNotFound { record: "conversation", id })?;
        if !c.has(reader) {
            let recorded = self.accesses.iter().rev().any(|a| {
                &a.admin == reader
                    && a.conversation == id
                    && a.at <= at
                    && at <= a.at + TimeDelta::minutes(admin_access_minutes)
            });
            if !recorded {
                return Err(SocialError::NotAMember { conversation: id, actor: reader.clone() });
            }
        }
        let messages = c
            .messages
            .iter()
            .filter_map(|mid| self.messages.get(mid))
            .map(|m| {
                let other = c.other(&m.sender);
                MessageView {
                    id: m.id,
                    sender: m.sender.clone(),
                    sent_at: m.sent_at,
                    edited_at: m.edited_at,
                    body: if m.deleted { None } else { m.body.clone() },
                    deleted: m.deleted,
                    read_by_other: c.last_read.get(other).is_some_and(|r| *r >= m.id),
                }
            })
            .collect();
        Ok(ConversationView { id, members: c.members.clone(), ad: c.ad, messages })
    }

    /// Messages in conversation `id` from the other member that `nip` has not read
    /// (deleted ones not counted).
    pub fn unread(&self, nip: &Nip, id: u64) -> u64 {
        let Some(c) = self.conversations.get(&id) else { return 0 };
        let read = c.last_read.get(nip).copied().unwrap_or(0);
        c.messages
            .iter()
            .filter(|m| **m > read)
            .filter_map(|m| self.messages.get(m))
            .filter(|m| &m.sender != nip && !m.deleted)
            .count() as u64
    }

    /// `nip`'s conversations, most recent activity first, with unread counts.
    pub fn conversations_of(&self, nip: &Nip) -> Vec<ConversationSummary> {
        let mut out: Vec<ConversationSummary> = self
            .conversations
            .values()
            .filter(|c| c.has(nip))
            .map(|c| ConversationSummary {
                id: c.id,
                with: c.other(nip).clone(),
                ad: c.ad,
                unread: self.unread(nip, c.id),
                last_at: c.messages.last().and_then(|m| self.messages.get(m)).map_or(c.opened_at, |m| m.sent_at),
            })
            .collect();
        out.sort_by(|a, b| b.last_at.cmp(&a.last_at).then(b.id.cmp(&a.id)));
        out
    }

    /// Total unread messages of `nip`.
    pub fn unread_total(&self, nip: &Nip) -> u64 {
        self.conversations.values().filter(|c| c.has(nip)).map(|c| self.unread(nip, c.id)).sum()
    }
}

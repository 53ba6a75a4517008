//! The social space's rules: every transition and refusal of ads and chat, unread
//! counts through an exchange, and replay of the chain.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use kinerja::Money;
use kinerja::nip::Nip;
use kinerja::policy::Policy;
use kinerja::social::{
    AdDraft, AdQuery, AdStatus, Command, Ctx, Pending, ReportTarget, Social, SocialError, SocialPolicy,
};

const SELLER: &str = "197001012000011001";
const BUYER: &str = "197502022001121002";
const THIRD: &str = "196405061990031009";
const ADMIN: &str = "196010102000101012";

fn nip(s: &str) -> Nip {
    Nip::parse(s).expect("test NIP")
}

fn t0() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 2).and_then(|d| d.and_hms_opt(9, 0, 0)).expect("date")
}

/// The national baseline's social values on 2026-11-02.
fn policy() -> SocialPolicy {
    SocialPolicy::from_policy(&Policy::national(), t0()).expect("national social policy")
}

/// A small world: the store (records and kept bodies, as a server keeps them) and the state.
struct World {
    social: Social,
    records: Vec<kinerja::social::SocialRecord>,
    bodies: BTreeMap<u64, String>,
    now: NaiveDateTime,
    policy: SocialPolicy,
}

impl World {
    fn new() -> World {
        World { social: Social::new(), records: vec![], bodies: BTreeMap::new(), now: t0(), policy: policy() }
    }

    fn ctx(&self, who: &str) -> Ctx {
        Ctx { actor: nip(who), at: self.now, in_service: true, admin: who == ADMIN, policy: self.policy.clone() }
    }

    fn store(&mut self, p: Pending) -> Pending {
        if let Some((id, b)) = &p.body {
            self.bodies.insert(*id, b.clone());
        }
        for id in &p.erase {
            self.bodies.remove(id);
        }
        self.records.push(p.record.clone());
        self.social.apply(&p);
        p
    }

    fn run_as(&mut self, ctx: Ctx, cmd: Command) -> Result<Pending, SocialError> {
        let p = self.social.prepare(&ctx, cmd)?;
        Ok(self.store(p))
    }

    fn run(&mut self, who: &str, cmd: Command) -> Result<Pending, SocialError> {
        let ctx = self.ctx(who);
        self.run_as(ctx, cmd)
    }

    fn ok(&mut self, who: &str, cmd: Command) -> Pending {
        self.run(who, cmd).expect("accepted")
    }

    fn refused(&mut self, who: &str, cmd: Command) -> SocialError {
        let before = self.social.clone();
        let e = self.run(who, cmd).expect_err("refused");
        assert_eq!(self.social, before, "a refusal changes nothing");
        e
    }

    fn later(&mut self, d: TimeDelta) {
        self.now += d;
    }
}

fn draft(title: &str, price: i64) -> AdDraft {
    AdDraft {
        title: title.into(),
        description: "Kondisi baik, jarang dipakai.".into(),
        category: "electronics".into(),
        price: Money::from_rupiah(price),
        condition: "used".into(),
        photos: vec![],
    }
}

fn ad_id(p: &Pending) -> u64 {
    match &p.record.event {
        kinerja::social::SocialEvent::AdPosted { ad, .. } => *ad,
        e => panic!("not a post: {e:?}"),
    }
}

fn conv_id(p: &Pending) -> u64 {
    match &p.record.event {
        kinerja::social::SocialEvent::ConversationOpened { conversation, .. } => *conversation,
        e => panic!("not an opening: {e:?}"),
    }
}

fn msg_id(p: &Pending) -> u64 {
    p.body.as_ref().expect("a message").0
}

fn send(w: &mut World, who: &str, c: u64, body: &str) -> u64 {
    msg_id(&w.ok(who, Command::Send { conversation: c, body: body.into(), key: None }))
}

#[test]
fn national_values_are_read_from_policy() {
    let p = policy();
    assert_eq!(p.ad_expiry_days, 30);
    assert_eq!(p.active_ads_per_employee, 5);
    assert_eq!(p.message_edit_minutes, 15);
    assert_eq!(p.messages_per_minute, 20);
}

#[test]
fn ad_lifecycle_every_transition() {
    let mut w = World::new();
    let a = ad_id(&w.ok(SELLER, Command::PostAd { draft: draft("Laptop bekas", 6_500_000) }));
    assert_eq!(a, 1);
    let ad = &w.social.ads[&a];
    assert_eq!(ad.status, AdStatus::Active);
    // Expiry: posted 2026-11-02 09:00 + 30 days = 2026-12-02 09:00.
    assert_eq!(ad.expires, t0() + TimeDelta::days(30));
    assert_eq!(ad.draft.price.to_string(), "Rp 6500000");

    w.ok(SELLER, Command::EditAd { ad: a, draft: draft("Laptop bekas, 8 GB", 6_000_000) });
    assert_eq!(w.social.ads[&a].draft.title, "Laptop bekas, 8 GB");
    w.ok(SELLER, Command::Reserve { ad: a });
    assert_eq!(w.social.ads[&a].status, AdStatus::Reserved);
    // Reserving twice is not a transition.
    assert_eq!(w.refused(SELLER, Command::Reserve { ad: a }).code(), "ad_transition");
    w.ok(SELLER, Command::Unreserve { ad: a });
    assert_eq!(w.social.ads[&a].status, AdStatus::Active);
    w.ok(SELLER, Command::MarkSold { ad: a });
    assert_eq!(w.social.ads[&a].status, AdStatus::Sold);
    // A sold ad is closed: no edit, no withdraw, no renewal.
    assert_eq!(w.refused(SELLER, Command::EditAd { ad: a, draft: draft("x", 1) }).code(), "ad_transition");
    assert_eq!(w.refused(SELLER, Command::Withdraw { ad: a }).code(), "ad_transition");
    assert_eq!(w.refused(SELLER, Command::Renew { ad: a }).code(), "ad_transition");

    let b = ad_id(&w.ok(SELLER, Command::PostAd { draft: draft("Sepeda", 900_000) }));
    w.ok(SELLER, Command::Withdraw { ad: b });
    assert_eq!(w.social.ads[&b].status, AdStatus::Withdrawn);
}

#[test]
fn expiry_renewal_and_buying_an_expired_ad() {
    let mut w = World::new();
    let a = ad_id(&w.ok(SELLER, Command::PostAd { draft: draft("Kulkas", 1_200_000) }));
    // 30 days later to the second the ad has expired (expires at >= is expired).
    w.later(TimeDelta::days(30));
    assert_eq!(w.social.ads[&a].status_at(w.now), AdStatus::Expired);
    let e = w.refused(BUYER, Command::OpenAboutAd { ad: a });
    assert_eq!(e, SocialError::AdExpired { ad: a, expired_at: t0() + TimeDelta::days(30) });
    assert_eq!(w.refused(SELLER, Command::Reserve { ad: a }).code(), "ad_expired");
    // Not listed as active any more; listed under expired.
    assert_eq!(w.social.search(&AdQuery::default(), w.now).total, 0);
    let q = AdQuery { status: Some(AdStatus::Expired), ..AdQuery::default() };
    assert_eq!(w.social.search(&q, w.now).total, 1);
    // Renewal: a new expiry 30 days from now, and the buyer can ask again.
    w.ok(SELLER, Command::Renew { ad: a });
    assert_eq!(w.social.ads[&a].expires, t0() + TimeDelta::days(60));
    w.ok(BUYER, Command::OpenAboutAd { ad: a });
}

#[test]
fn only_the_owner_edits_and_changes_status() {
    let mut w = World::new();
    let a = ad_id(&w.ok(SELLER, Command::PostAd { draft: draft("Meja", 300_000) }));
    let e = w.refused(BUYER, Command::EditAd { ad: a, draft: draft("Meja gratis", 0) });
    assert_eq!(e, SocialError::NotTheOwner { record: "ad", id: a, owner: nip(SELLER), actor: nip(BUYER) });
    for cmd in
        [Command::Reserve { ad: a }, Command::MarkSold { ad: a }, Command::Withdraw { ad: a }, Command::Renew { ad: a }]
    {
        assert_eq!(w.refused(BUYER, cmd).code(), "not_the_owner");
    }
    assert_eq!(w.refused(BUYER, Command::Reserve { ad: 99 }).code(), "social_not_found");
}

#[test]
fn text_price_choice_and_photo_limits() {
    let mut w = World::new();
    // The title may have 80 characters, not 81.
    w.ok(SELLER, Command::PostAd { draft: draft(&"a".repeat(80), 1) });
    let e = w.refused(SELLER, Command::PostAd { draft: draft(&"a".repeat(81), 1) });
    assert_eq!(e, SocialError::TextLength { field: "title", chars: 81, max: 80 });
    assert_eq!(w.refused(SELLER, Command::PostAd { draft: draft("   ", 1) }).code(), "text_length");
    let mut d = draft("Buku", 1);
    d.description = "x".repeat(2001);
    assert_eq!(
        w.refused(SELLER, Command::PostAd { draft: d }),
        SocialError::TextLength { field: "description", chars: 2001, max: 2000 }
    );
    let mut d = draft("Buku", 1);
    d.category = "weapons".into();
    assert_eq!(w.refused(SELLER, Command::PostAd { draft: d }).code(), "invalid_choice");
    let mut d = draft("Buku", 1);
    d.price = Money::parse("-1").expect("literal");
    assert_eq!(w.refused(SELLER, Command::PostAd { draft: d }).code(), "negative_price");
    let mut d = draft("Buku", 1);
    d.photos = vec!["ab".repeat(32); 5];
    assert_eq!(w.refused(SELLER, Command::PostAd { draft: d }), SocialError::TooManyPhotos { count: 5, max: 4 });
    let mut d = draft("Buku", 1);
    d.photos = vec!["<script>".into()];
    assert_eq!(w.refused(SELLER, Command::PostAd { draft: d }).code(), "invalid_choice");
}

#[test]
fn active_ad_limit_and_post_rate_limit() {
    let mut w = World::new();
    // 5 ads a day at most: posts at 09:00, 09:01, ... 09:04 are accepted, the 6th refused.
    for i in 0..5 {
        w.ok(SELLER, Command::PostAd { draft: draft(&format!("Barang {i}"), 1000) });
        w.later(TimeDelta::minutes(1));
    }
    let e = w.refused(SELLER, Command::PostAd { draft: draft("Barang 5", 1000) });
    assert_eq!(
        e,
        SocialError::RateLimited { actor: nip(SELLER), action: "post_ad", count: 5, max: 5, window_minutes: 1440 }
    );
    // A day later the rate limit has passed, but 5 ads are still active (limit 5).
    w.later(TimeDelta::days(1));
    let e = w.refused(SELLER, Command::PostAd { draft: draft("Barang 5", 1000) });
    assert_eq!(e, SocialError::TooManyActiveAds { actor: nip(SELLER), active: 5, max: 5 });
    // Selling one frees a place.
    w.ok(SELLER, Command::MarkSold { ad: 1 });
    w.ok(SELLER, Command::PostAd { draft: draft("Barang 5", 1000) });
    assert_eq!(w.social.active_ads(&nip(SELLER), w.now), 5);
}

#[test]
fn moderators_are_named_by_an_administrator_and_remove_with_a_reason() {
    let mut w = World::new();
    let a = ad_id(&w.ok(SELLER, Command::PostAd { draft: draft("Obat keras", 50_000) }));
    assert_eq!(w.refused(THIRD, Command::RemoveAd { ad: a, reason: "terlarang".into() }).code(), "not_a_moderator");
    assert_eq!(w.refused(BUYER, Command::NameModerator { nip: nip(THIRD) }).code(), "not_an_administrator");
    w.ok(ADMIN, Command::NameModerator { nip: nip(THIRD) });
    assert_eq!(w.refused(THIRD, Command::RemoveAd { ad: a, reason: " ".into() }).code(), "text_length");
    w.ok(THIRD, Command::RemoveAd { ad: a, reason: "Barang terlarang".into() });
    let ad = &w.social.ads[&a];
    assert_eq!((ad.status, ad.removed_reason.as_deref()), (AdStatus::Removed, Some("Barang terlarang")));
    // Hidden from the board and from others; the seller still sees it.
    assert_eq!(w.social.search(&AdQuery::default(), w.now).total, 0);
    assert_eq!(w.social.ad(&nip(BUYER), a).map(|_| ()).map_err(|e| e.code()), Err("social_not_found"));
    assert!(w.social.ad(&nip(SELLER), a).is_ok());
    w.ok(ADMIN, Command::WithdrawModerator { nip: nip(THIRD) });
    assert!(!w.social.is_moderator(&nip(THIRD)));
}

#[test]
fn reports_go_to_moderation() {
    let mut w = World::new();
    let a = ad_id(&w.ok(SELLER, Command::PostAd { draft: draft("Jam tangan", 250_000) }));
    let c = conv_id(&w.ok(BUYER, Command::OpenAboutAd { ad: a }));
    let m = send(&mut w, SELLER, c, "Transfer dulu ke rekening pribadi saya");
    w.ok(BUYER, Command::Report { target: ReportTarget::Ad(a), reason: "Penipuan".into() });
    w.ok(BUYER, Command::Report { target: ReportTarget::Message(m), reason: "Minta transfer".into() });
    // A message one cannot read cannot be reported.
    assert_eq!(
        w.refused(THIRD, Command::Report { target: ReportTarget::Message(m), reason: "x".into() }).code(),
        "not_a_member"
    );
    assert_eq!(w.social.open_reports(&nip(BUYER)).map(|_| ()).map_err(|e| e.code()), Err("not_a_moderator"));
    w.ok(ADMIN, Command::NameModerator { nip: nip(THIRD) });
    assert_eq!(w.social.open_reports(&nip(THIRD)).expect("moderator").len(), 2);
    w.ok(THIRD, Command::Resolve { report: 1, note: "Iklan dihapus".into() });
    assert_eq!(w.refused(THIRD, Command::Resolve { report: 1, note: "lagi".into() }).code(), "report_resolved");
    assert_eq!(w.social.open_reports(&nip(THIRD)).expect("moderator").len(), 1);
}

#[test]
fn chat_about_an_ad_with_unread_counts_and_receipts() {
    let mut w = World::new();
    let a = ad_id(&w.ok(SELLER, Command::PostAd { draft: draft("Kamera", 2_500_000) }));
    assert_eq!(w.refused(SELLER, Command::OpenAboutAd { ad: a }).code(), "own_ad");
    let c = conv_id(&w.ok(BUYER, Command::OpenAboutAd { ad: a }));
    assert_eq!(w.refused(BUYER, Command::OpenAboutAd { ad: a }), SocialError::ConversationExists { conversation: c });
    let s = nip(SELLER);
    let b = nip(BUYER);

    // Buyer sends 3; the seller has 3 unread, the buyer 0.
    let m1 = send(&mut w, BUYER, c, "Masih ada?");
    send(&mut w, BUYER, c, "Bisa nego?");
    let m3 = send(&mut w, BUYER, c, "Saya di Dinas Kesehatan");
    assert_eq!((w.social.unread(&s, c), w.social.unread(&b, c)), (3, 0));
    assert_eq!(w.social.unread_total(&s), 3);
    // The buyer deletes one before it is read: 2 unread.
    w.ok(BUYER, Command::DeleteMessage { message: m3 });
    assert_eq!(w.social.unread(&s, c), 2);
    // The seller reads: 0 unread; the buyer's messages show as read.
    w.ok(SELLER, Command::MarkRead { conversation: c });
    assert_eq!(w.social.unread(&s, c), 0);
    let v = w.social.conversation(&b, c, w.now, 30).expect("member");
    assert!(v.messages[0].read_by_other);
    assert_eq!(v.messages[2].body, None);
    // The seller replies twice: the buyer has 2 unread; sending marks one's own as read.
    let r1 = send(&mut w, SELLER, c, "Masih, harga pas 2,4 juta");
    send(&mut w, SELLER, c, "Ambil di kantor?");
    assert_eq!((w.social.unread(&s, c), w.social.unread(&b, c)), (0, 2));
    let v = w.social.conversation(&s, c, w.now, 30).expect("member");
    assert!(!v.messages.iter().find(|m| m.id == r1).expect("r1").read_by_other);
    // The list: one conversation about ad 1, with the buyer's unread count.
    let list = w.social.conversations_of(&b);
    assert_eq!(list.len(), 1);
    assert_eq!((list[0].id, list[0].ad, list[0].unread, &list[0].with), (c, Some(a), 2, &s));
    w.ok(BUYER, Command::MarkRead { conversation: c });
    assert_eq!(w.social.unread_total(&b), 0);
    assert_eq!(w.social.conversation(&b, c, w.now, 30).expect("v").messages[0].id, m1);
}

#[test]
fn non_members_cannot_read_and_administrators_need_a_recorded_reason() {
    let mut w = World::new();
    let c = conv_id(&w.ok(SELLER, Command::OpenDirect { with: nip(BUYER) }));
    send(&mut w, SELLER, c, "Halo");
    let e = w.social.conversation(&nip(THIRD), c, w.now, 30).expect_err("not a member");
    assert_eq!(e, SocialError::NotAMember { conversation: c, actor: nip(THIRD) });
    // An administrator too, until a reason is recorded.
    assert_eq!(w.social.conversation(&nip(ADMIN), c, w.now, 30).map(|_| ()).map_err(|e| e.code()), Err("not_a_member"));
    assert_eq!(
        w.refused(THIRD, Command::AccessConversation { conversation: c, reason: "ingin tahu".into() }).code(),
        "not_an_administrator"
    );
    assert_eq!(
        w.refused(ADMIN, Command::AccessConversation { conversation: c, reason: "".into() }).code(),
        "text_length"
    );
    let p = w.ok(ADMIN, Command::AccessConversation { conversation: c, reason: "Laporan pelecehan no. 7".into() });
    assert_eq!(p.record.kind(), "conversation_accessed");
    let v = w.social.conversation(&nip(ADMIN), c, w.now, 30).expect("recorded access");
    assert_eq!(v.messages[0].body.as_deref(), Some("Halo"));
    // 30 minutes later (inclusive) still; 31 minutes later no more.
    assert!(w.social.conversation(&nip(ADMIN), c, w.now + TimeDelta::minutes(30), 30).is_ok());
    assert!(w.social.conversation(&nip(ADMIN), c, w.now + TimeDelta::minutes(31), 30).is_err());
    // Members cannot send into others' conversations either.
    assert_eq!(
        w.refused(THIRD, Command::Send { conversation: c, body: "hi".into(), key: None }).code(),
        "not_a_member"
    );
}

#[test]
fn blocked_senders_are_refused_until_unblocked() {
    let mut w = World::new();
    let c = conv_id(&w.ok(BUYER, Command::OpenDirect { with: nip(SELLER) }));
    w.ok(SELLER, Command::Block { nip: nip(BUYER) });
    let e = w.refused(BUYER, Command::Send { conversation: c, body: "Halo?".into(), key: None });
    assert_eq!(e, SocialError::Blocked { blocker: nip(SELLER), blocked: nip(BUYER) });
    // The blocker cannot send either while blocking.
    assert_eq!(w.refused(SELLER, Command::Send { conversation: c, body: "x".into(), key: None }).code(), "blocked");
    let a = ad_id(&w.ok(SELLER, Command::PostAd { draft: draft("Motor", 9_000_000) }));
    assert_eq!(w.refused(BUYER, Command::OpenAboutAd { ad: a }).code(), "blocked");
    assert_eq!(w.refused(SELLER, Command::Block { nip: nip(SELLER) }).code(), "self_conversation");
    w.ok(SELLER, Command::Unblock { nip: nip(BUYER) });
    send(&mut w, BUYER, c, "Halo?");
}

#[test]
fn message_length_edit_window_and_ownership() {
    let mut w = World::new();
    let c = conv_id(&w.ok(BUYER, Command::OpenDirect { with: nip(SELLER) }));
    assert_eq!(w.refused(BUYER, Command::OpenDirect { with: nip(BUYER) }).code(), "self_conversation");
    // 2,000 characters is the most; 2,001 is refused; empty is refused.
    send(&mut w, BUYER, c, &"é".repeat(2000));
    let e = w.refused(BUYER, Command::Send { conversation: c, body: "é".repeat(2001), key: None });
    assert_eq!(e, SocialError::TextLength { field: "body", chars: 2001, max: 2000 });
    assert_eq!(w.refused(BUYER, Command::Send { conversation: c, body: "  ".into(), key: None }).code(), "text_length");
    let m = send(&mut w, BUYER, c, "Jam 10?");
    assert_eq!(w.refused(SELLER, Command::EditMessage { message: m, body: "x".into() }).code(), "not_the_owner");
    assert_eq!(w.refused(SELLER, Command::DeleteMessage { message: m }).code(), "not_the_owner");
    // Within 15 minutes: editable (the old body is replaced in storage).
    w.later(TimeDelta::minutes(15));
    let p = w.ok(BUYER, Command::EditMessage { message: m, body: "Jam 11?".into() });
    assert_eq!(p.body, Some((m, "Jam 11?".to_string())));
    assert_eq!(w.bodies[&m], "Jam 11?");
    w.later(TimeDelta::seconds(1));
    let e = w.refused(BUYER, Command::EditMessage { message: m, body: "Jam 12?".into() });
    assert_eq!(e, SocialError::EditWindowPassed { message: m, sent_at: t0(), minutes: 15 });
    // The test pages use to show the edit form agrees at both edges: sent at
    // t0, open at t0 + 15 min 0 s, closed at t0 + 15 min 1 s.
    assert!(kinerja::social::edit_window_open(t0(), t0() + TimeDelta::minutes(15), 15));
    assert!(!kinerja::social::edit_window_open(t0(), t0() + TimeDelta::seconds(15 * 60 + 1), 15));
    // Deleting erases the body from storage, not only from view.
    let p = w.ok(BUYER, Command::DeleteMessage { message: m });
    assert_eq!(p.erase, vec![m]);
    assert!(!w.bodies.contains_key(&m));
    assert_eq!(w.refused(BUYER, Command::DeleteMessage { message: m }).code(), "message_deleted");
}

#[test]
fn send_rate_limit_per_minute() {
    let mut w = World::new();
    let c = conv_id(&w.ok(BUYER, Command::OpenDirect { with: nip(SELLER) }));
    // 20 messages in one minute are accepted (one every 2 seconds: 09:00:00 .. 09:00:38), the 21st is not.
    for i in 0..20 {
        send(&mut w, BUYER, c, &format!("pesan {i}"));
        w.later(TimeDelta::seconds(2));
    }
    let e = w.refused(BUYER, Command::Send { conversation: c, body: "lagi".into(), key: None });
    assert_eq!(
        e,
        SocialError::RateLimited { actor: nip(BUYER), action: "send", count: 20, max: 20, window_minutes: 1 }
    );
    // At 09:01:00 the first (09:00:00) has left the window (older than one minute exactly is out).
    w.now = t0() + TimeDelta::minutes(1);
    send(&mut w, BUYER, c, "lagi");
}

#[test]
fn employees_who_left_keep_history_but_cannot_post_or_send() {
    let mut w = World::new();
    let c = conv_id(&w.ok(BUYER, Command::OpenDirect { with: nip(SELLER) }));
    let m = send(&mut w, BUYER, c, "Sampai jumpa");
    let mut gone = w.ctx(BUYER);
    gone.in_service = false;
    for cmd in [
        Command::Send { conversation: c, body: "x".into(), key: None },
        Command::PostAd { draft: draft("Lemari", 1) },
        Command::OpenDirect { with: nip(THIRD) },
        Command::EditMessage { message: m, body: "y".into() },
    ] {
        let e = w.social.prepare(&gone, cmd).expect_err("left");
        assert_eq!(e, SocialError::LeftService { actor: nip(BUYER) });
    }
    // History stays readable.
    let v = w.social.conversation(&nip(BUYER), c, w.now, 30).expect("history");
    assert_eq!(v.messages[0].body.as_deref(), Some("Sampai jumpa"));
}

#[test]
fn idempotency_key_delivers_once() {
    let mut w = World::new();
    let c = conv_id(&w.ok(BUYER, Command::OpenDirect { with: nip(SELLER) }));
    let cmd = Command::Send { conversation: c, body: "dari HP".into(), key: Some("phone-1:7".into()) };
    let m = msg_id(&w.ok(BUYER, cmd.clone()));
    assert_eq!(w.social.sent_with_key(&nip(BUYER), "phone-1:7"), Some(m));
    assert_eq!(w.refused(BUYER, cmd), SocialError::DuplicateKey { key: "phone-1:7".into(), message: m });
    assert_eq!(w.social.messages.len(), 1);
}

#[test]
fn search_filters_newest_first_and_pages() {
    let mut w = World::new();
    let mut other = draft("Sofa kulit", 3_000_000);
    other.category = "household".into();
    w.ok(SELLER, Command::PostAd { draft: draft("Laptop Lenovo", 6_500_000) });
    w.later(TimeDelta::minutes(1));
    w.ok(SELLER, Command::PostAd { draft: other });
    w.later(TimeDelta::minutes(1));
    w.ok(BUYER, Command::PostAd { draft: draft("Laptop Asus murah", 4_000_000) });
    w.later(TimeDelta::minutes(1));
    w.ok(BUYER, Command::PostAd { draft: draft("Printer", 800_000) });
    w.ok(BUYER, Command::Reserve { ad: 4 });
    let ids =
        |q: AdQuery, w: &World| -> Vec<u64> { w.social.search(&q, w.now).ads.iter().map(|(a, _)| a.id).collect() };
    // Newest first; reserved ads are listed with active ones.
    assert_eq!(ids(AdQuery::default(), &w), vec![4, 3, 2, 1]);
    assert_eq!(ids(AdQuery { text: Some("laptop".into()), ..AdQuery::default() }, &w), vec![3, 1]);
    assert_eq!(ids(AdQuery { text: Some("LAPTOP murah".into()), ..AdQuery::default() }, &w), vec![3]);
    assert_eq!(ids(AdQuery { category: Some("household".into()), ..AdQuery::default() }, &w), vec![2]);
    let price = AdQuery {
        min_price: Some(Money::from_rupiah(800_000)),
        max_price: Some(Money::from_rupiah(4_000_000)),
        ..AdQuery::default()
    };
    // 800,000 <= price <= 4,000,000: printer 800,000, Asus 4,000,000, sofa 3,000,000 (bounds inclusive).
    assert_eq!(ids(price, &w), vec![4, 3, 2]);
    assert_eq!(ids(AdQuery { status: Some(AdStatus::Reserved), ..AdQuery::default() }, &w), vec![4]);
    let page2 = w.social.search(&AdQuery { page: Some(2), per_page: Some(3), ..AdQuery::default() }, w.now);
    assert_eq!((page2.total, page2.ads.len(), page2.ads[0].0.id), (4, 1, 1));
    assert_eq!(ids(AdQuery { seller: Some(nip(SELLER)), ..AdQuery::default() }, &w), vec![2, 1]);
}

#[test]
fn retention_erases_old_bodies_with_an_event() {
    let mut w = World::new();
    let c = conv_id(&w.ok(BUYER, Command::OpenDirect { with: nip(SELLER) }));
    let old = send(&mut w, BUYER, c, "lama");
    w.later(TimeDelta::days(200));
    let new = send(&mut w, SELLER, c, "baru");
    // 365 days after the first message: 366 days > 365 for `old` at day 366; `new` is 166 days old.
    w.later(TimeDelta::days(166));
    let p = w.social.prepare_retention(w.now, &w.policy).expect("one to erase");
    assert_eq!(p.erase, vec![old]);
    w.store(p);
    assert!(!w.bodies.contains_key(&old) && w.bodies.contains_key(&new));
    assert!(w.social.prepare_retention(w.now, &w.policy).is_none());
    let replayed = Social::replay(w.records.clone(), &w.bodies).expect("replay");
    assert_eq!(replayed, w.social);
}

/// A realistic run of every kind of event, replayed from the records and kept bodies.
fn busy_world() -> World {
    let mut w = World::new();
    let a = ad_id(&w.ok(SELLER, Command::PostAd { draft: draft("Laptop", 6_500_000) }));
    w.ok(SELLER, Command::EditAd { ad: a, draft: draft("Laptop 8 GB", 6_000_000) });
    let c = conv_id(&w.ok(BUYER, Command::OpenAboutAd { ad: a }));
    w.later(TimeDelta::minutes(1));
    let m1 = send(&mut w, BUYER, c, "Masih ada?");
    w.ok(BUYER, Command::EditMessage { message: m1, body: "Masih ada, Pak?".into() });
    send(&mut w, SELLER, c, "Masih");
    w.ok(BUYER, Command::MarkRead { conversation: c });
    let m3 = send(&mut w, BUYER, c, "salah kirim");
    w.ok(BUYER, Command::DeleteMessage { message: m3 });
    w.ok(SELLER, Command::Reserve { ad: a });
    w.ok(SELLER, Command::MarkSold { ad: a });
    let d = conv_id(&w.ok(THIRD, Command::OpenDirect { with: nip(BUYER) }));
    send(&mut w, THIRD, d, "Halo");
    w.ok(BUYER, Command::Block { nip: nip(THIRD) });
    w.ok(BUYER, Command::Report { target: ReportTarget::Ad(a), reason: "uji".into() });
    w.ok(ADMIN, Command::NameModerator { nip: nip(ADMIN) });
    w.ok(ADMIN, Command::Resolve { report: 1, note: "tidak ada pelanggaran".into() });
    w.ok(ADMIN, Command::AccessConversation { conversation: d, reason: "laporan".into() });
    w.later(TimeDelta::days(31));
    let b = ad_id(&w.ok(SELLER, Command::PostAd { draft: draft("Sepeda", 1_000_000) }));
    w.ok(SELLER, Command::Renew { ad: b });
    w.ok(ADMIN, Command::RemoveAd { ad: b, reason: "duplikat".into() });
    w
}

#[test]
fn replay_reproduces_ads_and_conversations_exactly() {
    let w = busy_world();
    assert_eq!(w.records.len(), 21);
    let replayed = Social::replay(w.records.clone(), &w.bodies).expect("replay");
    assert_eq!(replayed, w.social);
    // The deleted message's body is gone from storage; the edited one holds the new text.
    assert_eq!(w.bodies.len(), 3);
    assert_eq!(w.bodies[&1], "Masih ada, Pak?");
    // Each record chains to the one before it.
    assert!(w.records.windows(2).all(|p| p[1].prev == p[0].hash));
    // The records survive a JSON round trip (how the server stores them).
    let json: Vec<String> = w.records.iter().map(|r| serde_json::to_string(r).expect("json")).collect();
    let back: Vec<_> = json.iter().map(|l| serde_json::from_str(l).expect("parse")).collect();
    assert_eq!(Social::replay(back, &w.bodies).expect("replay"), w.social);
}

#[test]
fn replay_finds_tampering() {
    let w = busy_world();
    // An altered event.
    let mut recs = w.records.clone();
    if let kinerja::social::SocialEvent::AdPosted { draft, .. } = &mut recs[0].event {
        draft.price = Money::from_rupiah(1);
    }
    assert_eq!(Social::replay(recs, &w.bodies).map(|_| ()).map_err(|e| e.code()), Err("social_chain_broken"));
    // A removed event.
    let mut recs = w.records.clone();
    recs.remove(5);
    let e = Social::replay(recs, &w.bodies).expect_err("gap");
    assert!(matches!(e, SocialError::ChainBroken { seq: 7, .. }), "{e:?}");
    // An altered body (erasing is allowed; altering is not).
    let mut bodies = w.bodies.clone();
    bodies.insert(1, "Saya tidak jadi".into());
    assert_eq!(
        Social::replay(w.records.clone(), &bodies).map(|_| ()).map_err(|e| e.code()),
        Err("social_chain_broken")
    );
    let mut bodies = w.bodies.clone();
    bodies.remove(&1);
    let r = Social::replay(w.records.clone(), &bodies).expect("erased body is fine");
    assert_eq!(r.messages[&1].body, None);
}

#[test]
fn a_phone_reads_offline_and_its_queued_messages_arrive_exactly_once() {
    use kinerja::social::SocialPhone;
    let mut w = World::new();
    let a = ad_id(&w.ok(SELLER, Command::PostAd { draft: draft("Kamera", 2_500_000) }));
    let c = conv_id(&w.ok(BUYER, Command::OpenAboutAd { ad: a }));
    send(&mut w, SELLER, c, "Masih ada");
    let bundle = w.social.bundle(&nip(BUYER), "s1", w.now, &w.policy);
    let json = serde_json::to_string(&bundle).expect("json");
    let mut phone = SocialPhone::open(&json).expect("bundle");
    // Offline: the board and the conversation read from the bundle.
    assert_eq!(phone.bundle.ads.len(), 1);
    assert_eq!(phone.bundle.ads[0].price.to_string(), "Rp 2500000");
    let conv = phone.conversation(c).expect("member");
    assert_eq!((conv.unread, conv.messages[0].body.as_deref()), (1, Some("Masih ada")));
    // Not into someone else's conversation; not over the length limit.
    assert_eq!(phone.queue_message(99, "x", "t").map_err(|e| e.code()), Err("not_a_member"));
    assert_eq!(phone.queue_message(c, &"x".repeat(2001), "t").map_err(|e| e.code()), Err("text_length"));
    let k1 = phone.queue_message(c, "Saya ambil", "2026-11-02T09:05").expect("queued");
    let k2 = phone.queue_message(c, "Besok jam 10", "2026-11-02T09:06").expect("queued");
    assert_eq!((k1.as_str(), k2.as_str()), ("s1:1", "s1:2"));
    // The app is killed and restarted: the queue survives.
    let mut phone = SocialPhone::restore(&phone.save()).expect("restore");
    assert_eq!(phone.queue.len(), 2);

    // Sync, as the server does it: a key already delivered answers the first message.
    let deliver = |w: &mut World, phone: &SocialPhone| -> Vec<(String, u64)> {
        let mut out = Vec::new();
        for q in &phone.queue {
            let id = match w.social.sent_with_key(&nip(BUYER), &q.key) {
                Some(id) => id,
                None => msg_id(&w.ok(
                    BUYER,
                    Command::Send { conversation: q.conversation, body: q.body.clone(), key: Some(q.key.clone()) },
                )),
            };
            out.push((q.key.clone(), id));
        }
        out
    };
    // First sync: delivered, but the answer is lost (the phone keeps its queue).
    let first = deliver(&mut w, &phone);
    // Second sync: the same keys answer the same messages; nothing is sent twice.
    let second = deliver(&mut w, &phone);
    assert_eq!(first, second);
    for (k, _) in &second {
        assert!(phone.delivered(k));
    }
    assert!(phone.queue.is_empty());
    // Three messages in all: the seller's one and the buyer's two, once each.
    assert_eq!(w.social.conversations[&c].messages.len(), 3);
    let bundle = w.social.bundle(&nip(BUYER), "s2", w.now, &w.policy);
    phone.rebase(&serde_json::to_string(&bundle).expect("json")).expect("rebase");
    let bodies: Vec<_> =
        phone.conversation(c).expect("c").messages.iter().map(|m| m.body.clone().unwrap_or_default()).collect();
    assert_eq!(bodies, ["Masih ada", "Saya ambil", "Besok jam 10"]);
}

-- The internal social space (issue 14): classified ads and chat.
--
-- social_events is a hash chain of the same construction as the months'
-- journal (see kinerja::social): append-only, like events.
-- social_bodies keeps message texts apart from the chain, which holds only
-- their SHA-256: a deleted, edited-over or expired message's text is erased
-- here (a real DELETE), while the chain stays whole.
-- social_photos keeps uploaded ad photos (JPEG, PNG, WebP only, checked by
-- their first bytes) in the database, base64, outside any web root.

CREATE TABLE social_events (
    seq BIGINT PRIMARY KEY,
    prev TEXT NOT NULL,
    hash TEXT NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    line TEXT NOT NULL
);

CREATE TRIGGER social_events_no_update BEFORE UPDATE OR DELETE ON social_events
    FOR EACH ROW EXECUTE FUNCTION events_append_only();
CREATE TRIGGER social_events_no_truncate BEFORE TRUNCATE ON social_events
    FOR EACH STATEMENT EXECUTE FUNCTION events_append_only();

CREATE TABLE social_bodies (
    message BIGINT PRIMARY KEY,
    body TEXT NOT NULL
);

CREATE TABLE social_photos (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    uploaded_at TEXT NOT NULL,
    data TEXT NOT NULL
);

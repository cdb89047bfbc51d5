-- When each incident row was last written (inserted, or changed by a later analysis), wall-clock
-- nanoseconds. TAXII serves it as the objects' date added: unlike detected_at (traffic time),
-- it only moves forward, so a partner resuming with added_after also gets incidents from an
-- older capture analysed later, and new versions of incidents seen again.
ALTER TABLE incidents ADD COLUMN stored_at BIGINT DEFAULT 0 NOT NULL;
CREATE INDEX incidents_stored_at ON incidents (stored_at);

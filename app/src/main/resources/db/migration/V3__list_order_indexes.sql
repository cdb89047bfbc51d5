-- Indexes in the exact order the incident list is sorted by (detected_at DESC, id DESC, with the
-- filter column first), so that a page of a million-incident store is read from the index
-- instead of sorting every matching row (bench/api-load.sh: p99 went from seconds to
-- milliseconds). Both H2 and PostgreSQL accept DESC columns in an index.
CREATE INDEX incidents_newest ON incidents (detected_at DESC, id DESC);
CREATE INDEX incidents_kind_newest ON incidents (kind, detected_at DESC, id DESC);
CREATE INDEX incidents_host_newest ON incidents (host, detected_at DESC, id DESC);
CREATE INDEX incidents_state_newest ON incidents (state, detected_at DESC, id DESC);
CREATE INDEX incidents_severity ON incidents (severity_rank DESC, detected_at DESC, id DESC);
DROP INDEX incidents_kind;
DROP INDEX incidents_host;
DROP INDEX incidents_state;

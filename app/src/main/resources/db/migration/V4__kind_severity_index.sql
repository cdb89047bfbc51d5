-- The dashboard's "worst first" view of one kind (kind = ?, sorted by severity): read in order
-- from this index instead of sorting every incident of the kind (2.6 s at a million incidents).
CREATE INDEX incidents_kind_severity ON incidents (kind, severity_rank DESC, detected_at DESC, id DESC);

\set c random(1, 20000)
BEGIN;
SELECT revision, pending_request FROM pgb.cases WHERE id = 'C' || :c;
UPDATE pgb.cases SET pending_request = CASE WHEN pending_request IS NULL THEN 'extension' END, updated_at = 1, revision = revision + 1 WHERE id = 'C' || :c;
INSERT INTO pgb.case_events (case_id, seq, at, actor_kind, actor_id, actor_name, action, from_state, to_state, note, attachments, detail)
  SELECT id, revision, 1, 'staff', 'b', 'b', 'requestExtension', 'handling', 'handling', NULL, '[]', NULL FROM pgb.cases WHERE id = 'C' || :c;
SELECT * FROM pgb.subscriptions WHERE topic IN ('case') AND state = 'active';
SELECT last_seq, last_hash FROM pgb.audit_head WHERE id = 1 FOR UPDATE;
INSERT INTO pgb.audit_log (seq, id, at, actor_kind, actor_id, actor_name, action, target_type, target_id, summary, prev_hash, hash, key_id)
  SELECT last_seq + 1, md5(random()::text), 1, 'staff', 'b', 'b', 'case.x', 'case', 'C' || :c, 'summary', last_hash, md5(last_hash), NULL FROM pgb.audit_head WHERE id = 1;
UPDATE pgb.audit_head SET last_seq = last_seq + 1, last_hash = md5(last_hash) WHERE id = 1;
END;

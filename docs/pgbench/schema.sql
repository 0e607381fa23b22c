DROP SCHEMA IF EXISTS pgb CASCADE; CREATE SCHEMA pgb; SET search_path = pgb;
CREATE TABLE cases (id text PRIMARY KEY, code text, state text NOT NULL, revision int NOT NULL, pending_request text,
  updated_at bigint, created_at bigint, area_id text, matter_code text, description text, dept_id text, deadline_at bigint);
CREATE INDEX cases_state ON cases(state, updated_at); CREATE INDEX cases_area ON cases(area_id); CREATE INDEX cases_dept ON cases(dept_id, state);
CREATE TABLE case_events (case_id text NOT NULL REFERENCES cases(id), seq int NOT NULL, at bigint NOT NULL, actor_kind text, actor_id text,
  actor_name text, action text, from_state text, to_state text, note text, attachments text, detail text, PRIMARY KEY (case_id, seq));
CREATE TABLE subscriptions (id text PRIMARY KEY, topic text, state text, url text);
CREATE TABLE audit_head (id int PRIMARY KEY, last_seq bigint, last_hash text);
CREATE TABLE audit_log (seq bigint PRIMARY KEY, id text, at bigint, actor_kind text, actor_id text, actor_name text, action text,
  target_type text, target_id text, summary text, prev_hash text, hash text, key_id text);
CREATE INDEX audit_target ON audit_log(target_type, target_id);
INSERT INTO audit_head VALUES (1, 0, '');
INSERT INTO cases (id, code, state, revision, updated_at, created_at, area_id, matter_code, description, dept_id)
  SELECT 'C' || g, 'X' || g, 'handling', 0, 0, 0, 'A' || (g % 50), 'E0102', 'garbage near the gate', 'D' || (g % 20) FROM generate_series(1, 20000) g;

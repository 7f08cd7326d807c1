-- Domain events: a decision writes its event row in its own transaction (the outbox); a
-- dispatcher hands each event to the subscribers of other modules as jobs, and a delivery row
-- per (event, subscriber), written in the subscriber's transaction, makes the effect happen once.
CREATE TABLE domain_events (
  id bigserial PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  type text NOT NULL CHECK (type ~ '^[a-z][a-z_]*\.[a-z][a-z_]*$'),
  subject_type text NOT NULL,
  subject_id text,
  actor_id uuid,
  payload jsonb NOT NULL DEFAULT '{}'::jsonb,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  dispatched_at timestamptz
);
CREATE INDEX domain_events_undispatched ON domain_events (id) WHERE dispatched_at IS NULL;
CREATE INDEX domain_events_subject ON domain_events (tenant_id, subject_type, subject_id, id);

CREATE TABLE domain_event_deliveries (
  event_id bigint NOT NULL REFERENCES domain_events(id),
  subscriber text NOT NULL,
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  delivered_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (event_id, subscriber)
);

-- registry_events is append-only: any UPDATE or DELETE fails.
CREATE TRIGGER `registry_events_no_update` BEFORE UPDATE ON `registry_events`
BEGIN
  SELECT RAISE(ABORT, 'registry_events is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `registry_events_no_delete` BEFORE DELETE ON `registry_events`
BEGIN
  SELECT RAISE(ABORT, 'registry_events is append-only');
END;

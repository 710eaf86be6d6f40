-- ref_events is append-only: any UPDATE or DELETE fails.
CREATE TRIGGER `ref_events_no_update` BEFORE UPDATE ON `ref_events`
BEGIN
  SELECT RAISE(ABORT, 'ref_events is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `ref_events_no_delete` BEFORE DELETE ON `ref_events`
BEGIN
  SELECT RAISE(ABORT, 'ref_events is append-only');
END;

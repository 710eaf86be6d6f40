-- settings_events is append-only: any UPDATE or DELETE fails.
CREATE TRIGGER `settings_events_no_update` BEFORE UPDATE ON `settings_events`
BEGIN
  SELECT RAISE(ABORT, 'settings_events is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `settings_events_no_delete` BEFORE DELETE ON `settings_events`
BEGIN
  SELECT RAISE(ABORT, 'settings_events is append-only');
END;

-- lfs_lock_events is append-only: any UPDATE or DELETE fails.
CREATE TRIGGER `lfs_lock_events_no_update` BEFORE UPDATE ON `lfs_lock_events`
BEGIN
  SELECT RAISE(ABORT, 'lfs_lock_events is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `lfs_lock_events_no_delete` BEFORE DELETE ON `lfs_lock_events`
BEGIN
  SELECT RAISE(ABORT, 'lfs_lock_events is append-only');
END;

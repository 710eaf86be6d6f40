CREATE TABLE `lfs_lock_events` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`lock_id` integer NOT NULL,
	`path` text NOT NULL,
	`owner` text NOT NULL,
	`actor` text NOT NULL,
	`actor_id` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `lfs_locks` (
	`id` integer PRIMARY KEY NOT NULL,
	`path` text NOT NULL,
	`ref` text,
	`owner` text NOT NULL,
	`owner_id` text,
	`locked_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `lfs_locks_path_unique` ON `lfs_locks` (`path`);--> statement-breakpoint
CREATE TABLE `lfs_objects` (
	`oid` text PRIMARY KEY NOT NULL,
	`size` integer NOT NULL,
	`actor` text NOT NULL,
	`at` integer NOT NULL
);

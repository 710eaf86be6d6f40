CREATE TABLE `hook_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`hook_id` text NOT NULL,
	`event` text NOT NULL,
	`log` text NOT NULL,
	`first_seq` integer NOT NULL,
	`last_seq` integer NOT NULL,
	`status` text NOT NULL,
	`attempts` integer NOT NULL,
	`response_code` integer,
	`duration_ms` integer,
	`error` text,
	`first_attempt_at` integer NOT NULL,
	`last_attempt_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `hook_deliveries_hook` ON `hook_deliveries` (`hook_id`,`first_attempt_at`);--> statement-breakpoint
CREATE TABLE `hooks` (
	`id` text PRIMARY KEY NOT NULL,
	`url` text NOT NULL,
	`secret` text NOT NULL,
	`events` text NOT NULL,
	`active` integer NOT NULL,
	`actor` text NOT NULL,
	`created_at` integer NOT NULL,
	`ref_cursor` integer NOT NULL,
	`settings_cursor` integer NOT NULL,
	`lease_until` integer
);
--> statement-breakpoint
CREATE TABLE `registry_events` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`repo` text NOT NULL,
	`actor` text NOT NULL,
	`actor_id` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `registry_events_repo` ON `registry_events` (`repo`,`seq`);--> statement-breakpoint
ALTER TABLE `registry_repos` ADD `visibility` text DEFAULT 'private' NOT NULL;--> statement-breakpoint
ALTER TABLE `registry_repos` ADD `description` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `registry_repos` ADD `default_branch` text DEFAULT 'main' NOT NULL;--> statement-breakpoint
ALTER TABLE `registry_repos` ADD `last_push_at` integer;--> statement-breakpoint
ALTER TABLE `registry_repos` ADD `hooks` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `registry_repos` ADD `deleted_at` integer;--> statement-breakpoint
CREATE INDEX `registry_repos_deleted` ON `registry_repos` (`deleted_at`);--> statement-breakpoint
ALTER TABLE `settings_events` ADD `description` text;--> statement-breakpoint
ALTER TABLE `settings_events` ADD `deleted` integer;
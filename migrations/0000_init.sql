CREATE TABLE `chunks` (
	`file_id` integer NOT NULL,
	`idx` integer NOT NULL,
	`data` blob NOT NULL,
	PRIMARY KEY(`file_id`, `idx`)
);
--> statement-breakpoint
CREATE TABLE `files` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`path` text NOT NULL,
	`size` integer NOT NULL,
	`mtime` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `files_path_unique` ON `files` (`path`);--> statement-breakpoint
CREATE TABLE `meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `objects` (
	`oid` text NOT NULL,
	`pack_id` integer NOT NULL,
	`offset` integer NOT NULL,
	`end` integer NOT NULL,
	`type` integer NOT NULL,
	`size` integer NOT NULL,
	`base_oid` text,
	PRIMARY KEY(`oid`, `pack_id`)
);
--> statement-breakpoint
CREATE INDEX `objects_pack_offset` ON `objects` (`pack_id`,`offset`);--> statement-breakpoint
CREATE TABLE `packs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`path` text NOT NULL,
	`bytes` integer NOT NULL,
	`objects` integer NOT NULL,
	`tier` text NOT NULL,
	`r2_key` text,
	`state` text NOT NULL,
	`checksum` text,
	`created_at` integer NOT NULL,
	`last_access_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `pushes` (
	`id` text PRIMARY KEY NOT NULL,
	`actor` text NOT NULL,
	`at` integer NOT NULL,
	`pack_id` integer,
	`options` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `ref_events` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`push_id` text NOT NULL,
	`ref` text NOT NULL,
	`old_oid` text NOT NULL,
	`new_oid` text NOT NULL,
	`kind` text NOT NULL,
	`actor` text NOT NULL,
	`at` integer NOT NULL,
	`prev_hash` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ref_events_ref_seq` ON `ref_events` (`ref`,`seq`);--> statement-breakpoint
CREATE INDEX `ref_events_at` ON `ref_events` (`at`);--> statement-breakpoint
CREATE TABLE `refs` (
	`name` text PRIMARY KEY NOT NULL,
	`oid` text NOT NULL,
	`seq` integer NOT NULL
);

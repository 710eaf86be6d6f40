CREATE TABLE `registry_repos` (
	`name` text PRIMARY KEY NOT NULL,
	`hot_bytes` integer NOT NULL,
	`archived_bytes` integer NOT NULL,
	`coldest_access_at` integer,
	`reported_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `registry_repos_hot` ON `registry_repos` (`hot_bytes`);--> statement-breakpoint
CREATE INDEX `registry_repos_coldest` ON `registry_repos` (`coldest_access_at`);--> statement-breakpoint
ALTER TABLE `packs` ADD `archiving_since` integer;--> statement-breakpoint
ALTER TABLE `packs` ADD `upload_id` text;
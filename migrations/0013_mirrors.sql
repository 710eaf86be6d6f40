ALTER TABLE `registry_repos` ADD `mirror_url` text;--> statement-breakpoint
CREATE INDEX `registry_repos_mirror` ON `registry_repos` (`mirror_url`);
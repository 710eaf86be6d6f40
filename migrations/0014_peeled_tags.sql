CREATE TABLE `peeled_tags` (
	`oid` text PRIMARY KEY NOT NULL,
	`target` text NOT NULL
);

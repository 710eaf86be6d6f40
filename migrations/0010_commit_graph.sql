CREATE TABLE `commit_graph` (
	`oid` text PRIMARY KEY NOT NULL,
	`tree` text NOT NULL,
	`parents` text NOT NULL,
	`time` integer NOT NULL,
	`generation` integer NOT NULL,
	`bloom` blob
);

// Re-exports of the git wire-protocol codecs (gitprotocol-common, -pack, -http, -v2, -capabilities .adoc).
export * from "./ack";
export * from "./advertisement";
export * from "./capabilities";
export * from "./errors";
export * from "./ls-refs";
export * from "./oid";
export * from "./pkt-stream";
export * from "./pktline";
export * from "./refname";
export * from "./report-status";
export * from "./sideband";
export * from "./update-request";
export * from "./upload-request";

// The owner of the `tokens` table, in the registry Durable Object: minting, listing and revoking
// tokens, and checking a presented token. Only a salted hash of each secret is stored; a check is one
// primary-key read and one constant-time comparison, and writes last_used_at at most once a minute.
// Revocation deletes the row, so the very next check fails: nothing caches tokens.
import { bytesToHex, hexToBytes } from "../pack/hex";
import { equalBytes, newSalt, newToken, saltedHash, TOKEN_PATTERN } from "./secrets";

export type Scope = "read" | "write" | "admin";

export interface TokenInfo {
  id: string;
  name: string;
  repos: string[];
  scopes: Scope[];
  createdAt: number;
  expiresAt: number | null;
  lastUsedAt: number | null;
  createdBy: string;
}

export interface NewToken {
  name: string;
  repos: string[];
  scopes: Scope[];
  expiresAt: number | null;
  createdBy: string;
}

type Row = { id: string; name: string; repos: string; scopes: string; salt: string; hash: string; created_at: number; expires_at: number | null; last_used_at: number | null; created_by: string };

const LAST_USED_INTERVAL_MS = 60_000;

function infoOf(r: Row): TokenInfo {
  return { id: r.id, name: r.name, repos: JSON.parse(r.repos), scopes: JSON.parse(r.scopes), createdAt: r.created_at, expiresAt: r.expires_at, lastUsedAt: r.last_used_at, createdBy: r.created_by };
}

/** Stores a new token and returns it with its secret, which is never shown again. */
export async function mintToken(sql: SqlStorage, spec: NewToken, now: number): Promise<TokenInfo & { token: string }> {
  const { id, token } = newToken();
  const salt = newSalt();
  const hash = bytesToHex(await saltedHash(salt, token));
  sql.exec(
    "INSERT INTO tokens (id, name, repos, scopes, salt, hash, created_at, expires_at, last_used_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)",
    id, spec.name, JSON.stringify(spec.repos), JSON.stringify(spec.scopes), salt, hash, now, spec.expiresAt, spec.createdBy,
  );
  return { id, token, ...spec, createdAt: now, lastUsedAt: null };
}

export function listTokens(sql: SqlStorage): TokenInfo[] {
  return sql.exec<Row>("SELECT * FROM tokens ORDER BY created_at, id").toArray().map(infoOf);
}

export function findToken(sql: SqlStorage, id: string): TokenInfo | null {
  const row = sql.exec<Row>("SELECT * FROM tokens WHERE id = ?", id).toArray()[0];
  return row ? infoOf(row) : null;
}

/** Deletes a token; false when there was none with that id. */
export function revokeToken(sql: SqlStorage, id: string): boolean {
  return sql.exec("DELETE FROM tokens WHERE id = ?", id).rowsWritten > 0;
}

/** The token whose secret `presented` is, if it exists and has not expired. */
export async function checkToken(sql: SqlStorage, presented: string, now: number): Promise<TokenInfo | null> {
  const id = TOKEN_PATTERN.exec(presented)?.[1];
  if (!id) return null;
  const row = sql.exec<Row>("SELECT * FROM tokens WHERE id = ?", id).toArray()[0];
  if (!row) return null;
  if (!equalBytes(await saltedHash(row.salt, presented), hexToBytes(row.hash))) return null;
  if (row.expires_at !== null && row.expires_at <= now) return null;
  if (row.last_used_at === null || now - row.last_used_at >= LAST_USED_INTERVAL_MS) sql.exec("UPDATE tokens SET last_used_at = ? WHERE id = ?", now, id);
  return infoOf({ ...row, last_used_at: now });
}

import { MoatError } from '../errors/index.ts';
import { hashApiKey } from '../keys/hash-api-key.ts';

/** `admin` may do everything; `read-only` may only read (GET). */
export type AdminRole = 'admin' | 'read-only';

/** An admin key as configured: never the key itself, only its sha256 (lowercase hex). */
export interface AdminKey {
  name: string;
  keyHash: string;
  role: AdminRole;
}

export interface AdminPrincipal {
  name: string;
  role: AdminRole;
}

export type RequestHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** The admin key from `Authorization: Bearer …` or `x-api-key`; 401 `admin_auth_required` when absent or unknown. */
export function authenticateAdmin(headers: RequestHeaders, adminKeys: readonly AdminKey[]): AdminPrincipal {
  const presented = presentedKey(headers);
  if (presented === null) {
    throw new MoatError('admin_auth_required', 'The admin API needs an admin key: send `Authorization: Bearer <admin key>`.');
  }
  const keyHash = hashApiKey(presented);
  const match = adminKeys.find((key) => key.keyHash === keyHash);
  if (match === undefined) throw new MoatError('admin_auth_required', 'The admin key is not valid.');
  return { name: match.name, role: match.role };
}

/** 403 `admin_forbidden` when `role` may not do what `needed` allows. */
export function requireRole(role: AdminRole, needed: AdminRole): void {
  if (needed === 'admin' && role !== 'admin') {
    throw new MoatError('admin_forbidden', 'This admin key is read-only; changes need a key with the `admin` role.');
  }
}

function presentedKey(headers: RequestHeaders): string | null {
  const authorization = headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(.+)$/i.exec(authorization);
    return match ? match[1]!.trim() : null;
  }
  const header = headers['x-api-key'];
  return typeof header === 'string' && header !== '' ? header : null;
}

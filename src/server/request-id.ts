import { randomUUID } from 'node:crypto';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A caller's own `x-request-id` is kept when it is short and plain, so traces join up; else Moat makes one. */
export function requestIdFor(header: string | string[] | undefined): string {
  return typeof header === 'string' && SAFE_ID.test(header) ? header : `req_${randomUUID().replaceAll('-', '')}`;
}

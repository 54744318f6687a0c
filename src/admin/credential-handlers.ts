import { z } from 'zod';
import { CREDENTIAL_NAME } from '../config/index.ts';
import { sealCredential } from '../credentials/seal-credential.ts';
import { MoatError } from '../errors/index.ts';
import type { StoredCredential } from '../storage/index.ts';
import type { AdminHandler, JsonValue } from './admin-context.ts';
import { AdminValidationError, parseAdminInput } from './admin-validation.ts';
import type { FieldError } from './admin-validation.ts';

/** A credential as the admin API shows it: never its value, nor the ciphertext. */
export interface CredentialView {
  [key: string]: JsonValue;
  name: string;
  /** The master key version that encrypted it (decision 0011). */
  keyVersion: number;
  createdAt: string;
  updatedAt: string;
}

// Visible ASCII only: the value goes into an HTTP header, where a space or line break would split it.
const putCredentialBody = z.strictObject({
  value: z
    .string()
    .min(1)
    .max(8192)
    .regex(/^[\x21-\x7e]+$/, 'must be visible ASCII characters, with no spaces or line breaks (it is sent in an HTTP header)'),
});

const NAME_RULE = 'must be 1-128 characters of A-Z, a-z, 0-9, `.`, `_` or `-`, starting with a letter or digit';

export function credentialView(credential: StoredCredential): CredentialView {
  return {
    name: credential.name,
    keyVersion: credential.keyVersion,
    createdAt: new Date(credential.createdAt).toISOString(),
    updatedAt: new Date(credential.updatedAt).toISOString(),
  };
}

/**
 * `PUT /admin/credentials/:name` with `{ "value": "…" }`: encrypts the value with the current master
 * key and stores it; 201 when new, 200 when it replaced one. Providers naming it pick it up on their
 * next refresh.
 */
export const putCredential: AdminHandler = async ({ stores, masterKeys }, { params, body }) => {
  const name = params?.name ?? '';
  const fields: FieldError[] = CREDENTIAL_NAME.test(name) ? [] : [{ param: 'name', message: NAME_RULE }];
  let value = '';
  try {
    value = parseAdminInput(putCredentialBody, body, 'body').value;
  } catch (error) {
    if (!(error instanceof AdminValidationError)) throw error;
    fields.push(...error.fields);
  }
  if (fields.length > 0) throw new AdminValidationError(fields);
  if (!masterKeys) {
    throw new MoatError('master_key_not_configured', 'Provider credentials are stored encrypted with a master key, and MOAT_MASTER_KEY is not set (see docs/config.md, "Stored provider credentials").');
  }
  const existed = (await stores.credentials.get(name)) !== undefined;
  const stored = await stores.credentials.put(sealCredential(name, value, masterKeys));
  return { status: existed ? 200 : 201, body: credentialView(stored) };
};

/** `GET /admin/credentials`: names, key versions and dates. */
export const listCredentials: AdminHandler = async ({ stores }) => {
  const credentials = await stores.credentials.list();
  return { status: 200, body: { object: 'list', data: credentials.map(credentialView) } };
};

/** `DELETE /admin/credentials/:name`; 404 `credential_not_found`. */
export const deleteCredential: AdminHandler = async ({ stores }, { params }) => {
  const name = params?.name ?? '';
  if (!(await stores.credentials.delete(name))) {
    throw new MoatError('credential_not_found', `No credential is stored under the name '${name}'.`, { param: 'name' });
  }
  return { status: 200, body: { name, deleted: true } };
};

import { ConfigError, type ProviderConfig } from '../config/index.ts';
import type { CredentialStore } from '../storage/index.ts';
import type { MasterKeyring } from './master-key.ts';
import { CredentialDecryptError, openCredential } from './seal-credential.ts';

/** Stored credential name → its value in clear: what the provider registry reads `credential:` from. */
export type ProviderSecrets = ReadonlyMap<string, string>;

/**
 * Decrypts the stored credentials that `providers` name, and only those. Throws a ConfigError with a
 * line for each provider whose credential is missing or does not decrypt; errors of the store itself
 * (the database is down) are thrown as they are.
 */
export async function loadProviderSecrets(
  providers: Readonly<Record<string, ProviderConfig>>,
  store: CredentialStore | null,
  keyring: MasterKeyring | null,
): Promise<ProviderSecrets> {
  const wanted = Object.entries(providers).flatMap(([provider, config]) => (config.credential === undefined ? [] : [{ provider, name: config.credential }]));
  const secrets = new Map<string, string>();
  if (wanted.length === 0) return secrets;

  const problems: string[] = [];
  if (store === null || keyring === null) {
    for (const { provider, name } of wanted) {
      problems.push(
        store === null
          ? `providers.${provider}.credential: stored credentials need the database, and storage.enabled is false (use apiKeyEnv, or turn storage on)`
          : `providers.${provider}.credential: MOAT_MASTER_KEY is not set, so the stored credential '${name}' cannot be decrypted`,
      );
    }
    throw new ConfigError('provider credentials', problems);
  }
  const stored = new Map((await store.list()).map((row) => [row.name, row]));
  for (const { provider, name } of wanted) {
    const row = stored.get(name);
    if (row === undefined) {
      problems.push(`providers.${provider}.credential: no credential named '${name}' is stored; store it with \`moat credentials set ${name}\` or PUT /admin/credentials/${name}`);
      continue;
    }
    if (secrets.has(name)) continue;
    try {
      secrets.set(name, openCredential(row, keyring));
    } catch (error) {
      if (!(error instanceof CredentialDecryptError)) throw error;
      problems.push(`providers.${provider}.credential: ${error.message}`);
    }
  }
  if (problems.length > 0) throw new ConfigError('provider credentials', problems);
  return secrets;
}

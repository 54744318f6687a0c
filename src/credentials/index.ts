export { registerCredentialCommands } from './cli.ts';
export type { ReadSecretInput } from './cli.ts';
export { loadProviderSecrets } from './load-provider-secrets.ts';
export type { ProviderSecrets } from './load-provider-secrets.ts';
export { loadMasterKeys, MASTER_KEY_ENV, parseMasterKey } from './master-key.ts';
export type { MasterKeyring } from './master-key.ts';
export { CredentialDecryptError, openCredential, sealCredential } from './seal-credential.ts';
export { SecretsRefresher } from './secrets-refresher.ts';
export type { SecretsRefresherOptions } from './secrets-refresher.ts';

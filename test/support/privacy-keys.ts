/** One client key per privacy policy the privacy tests exercise (named `config:<name>` in policies). */
export interface PolicyKeys {
  redact: string;
  block: string;
  log: string;
  local: string;
}

/** The `auth.keys` lines for those keys: redactor, blocker, logger, keeper. */
export function policyKeysYaml(keys: PolicyKeys): string {
  return `auth:
  keys:
    - { name: redactor, key: ${keys.redact} }
    - { name: blocker, key: ${keys.block} }
    - { name: logger, key: ${keys.log} }
    - { name: keeper, key: ${keys.local} }`;
}

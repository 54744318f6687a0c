/**
 * What Moat looks for. Structured types are found by pattern plus a checksum or validator; `person`
 * and `address` by cues and word lists (weaker: docs/privacy.md gives their measured figures).
 */
export const ENTITY_TYPES = ['email', 'phone', 'card', 'iban', 'ssn', 'ip', 'secret', 'person', 'address'] as const;

export type EntityType = (typeof ENTITY_TYPES)[number];

/** The types whose detection is checked by pattern and checksum, and secrets: the "structured" set. */
export const STRUCTURED_TYPES: readonly EntityType[] = ['email', 'phone', 'card', 'iban', 'ssn', 'ip', 'secret'];

/** The word used in placeholders: `[EMAIL_1]`. */
export const PLACEHOLDER_TAGS: Record<EntityType, string> = {
  email: 'EMAIL',
  phone: 'PHONE',
  card: 'CARD',
  iban: 'IBAN',
  ssn: 'SSN',
  ip: 'IP',
  secret: 'SECRET',
  person: 'PERSON',
  address: 'ADDRESS',
};

/** One detected value: `text.slice(start, end)`. `rule` names the secret kind (e.g. `aws-access-key`). */
export interface Finding {
  type: EntityType;
  start: number;
  end: number;
  rule?: string;
}

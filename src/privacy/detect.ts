import { detectAddresses } from './detectors/addresses.ts';
import { detectEmails } from './detectors/email.ts';
import { detectIps } from './detectors/ip.ts';
import { detectNames } from './detectors/names.ts';
import { detectCards, detectIbans, detectSsns } from './detectors/numbers.ts';
import { detectPhones } from './detectors/phone.ts';
import { detectSecrets } from './detectors/secrets.ts';
import type { EntityType, Finding } from './entities.ts';

type Detector = (text: string, out: Finding[]) => void;

const DETECTORS: Record<EntityType, Detector> = {
  secret: detectSecrets,
  card: detectCards,
  iban: detectIbans,
  ssn: detectSsns,
  email: detectEmails,
  ip: detectIps,
  phone: detectPhones,
  address: detectAddresses,
  person: detectNames,
};

/** When two findings overlap, the earlier type in this list wins (a secret URL beats the email inside it). */
const PRIORITY: readonly EntityType[] = ['secret', 'iban', 'card', 'ssn', 'email', 'ip', 'address', 'phone', 'person'];

function resolveOverlaps(findings: Finding[]): Finding[] {
  if (findings.length < 2) return findings;
  const ranked = [...findings].sort(
    (a, b) => PRIORITY.indexOf(a.type) - PRIORITY.indexOf(b.type) || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  const kept: Finding[] = [];
  for (const f of ranked) {
    if (!kept.some((k) => f.start < k.end && k.start < f.end)) kept.push(f);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/**
 * Finds the values of the given types in `text`: non-overlapping, in order. `types` defaults to every
 * type; a policy asks only for the types it acts on, so a tenant without name rules pays nothing for them.
 */
export function detect(text: string, types: Iterable<EntityType> = PRIORITY): Finding[] {
  const out: Finding[] = [];
  for (const type of types) DETECTORS[type](text, out);
  return resolveOverlaps(out);
}

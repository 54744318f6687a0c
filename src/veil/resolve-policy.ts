import type { ReasoningPolicy, VeilConfig } from './veil-schema.ts';

/** Who is asking: the parts of a caller key the veil decides on. */
export interface VeilCaller {
  keyId: string;
  tenantId: string;
  class: 'internal' | 'external';
}

/** The veil's decision for one request. */
export interface VeilPolicy {
  reasoning: ReasoningPolicy;
  allowLogprobs: boolean;
  maxTopLogprobs: number;
  allowLogitBias: boolean;
  maxLogitBiasEntries: number;
  maxN: number;
  allowPrefill: boolean;
  allowedExtras: ReadonlySet<string>;
  copySpanWords: number;
  cacheSalt: boolean;
}

/**
 * Key override, then tenant override, then the default for the key's class (internal keys see
 * reasoning, external ones do not). A request without a key is treated as internal, like Moat's
 * anonymous key on an open loopback gateway.
 */
export function resolveVeilPolicy(config: VeilConfig, caller: VeilCaller | null): VeilPolicy {
  const key = caller ? config.keys[caller.keyId] : undefined;
  const tenant = caller ? config.tenants[caller.tenantId] : undefined;
  const leak = config.leakChannels;
  const base = config.defaults[caller?.class ?? 'internal'];
  return {
    reasoning: key?.reasoning ?? tenant?.reasoning ?? base,
    allowLogprobs: key?.allowLogprobs ?? tenant?.allowLogprobs ?? leak.allowLogprobs,
    maxTopLogprobs: leak.maxTopLogprobs,
    allowLogitBias: key?.allowLogitBias ?? tenant?.allowLogitBias ?? leak.allowLogitBias,
    maxLogitBiasEntries: leak.maxLogitBiasEntries,
    maxN: key?.maxN ?? tenant?.maxN ?? leak.maxN,
    allowPrefill: key?.allowPrefill ?? tenant?.allowPrefill ?? leak.allowPrefill,
    allowedExtras: new Set(leak.allowedExtras),
    copySpanWords: leak.copySpanWords,
    cacheSalt: leak.cacheSalt,
  };
}

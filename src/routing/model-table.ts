import type { ModelConfig } from '../config/index.ts';

/** A client-facing model name resolved to its config entry and the model name the upstream knows. */
export interface ResolvedModel {
  entry: ModelConfig;
  upstreamModel: string;
}

interface Pattern {
  entry: ModelConfig;
  prefix: string;
  suffix: string;
}

/**
 * Client model names → config entries. Exact names win; then patterns with one `*`, the one with the
 * most literal characters first (so `openai/gpt-4o*` beats `openai/*`), ties in file order. A pattern's
 * `*` captures the rest of the name, and `*` in `model` is replaced by that capture.
 */
export class ModelTable {
  private readonly exact = new Map<string, ModelConfig>();
  private readonly patterns: Pattern[] = [];

  constructor(models: readonly ModelConfig[]) {
    for (const entry of models) {
      const star = entry.name.indexOf('*');
      if (star === -1) this.exact.set(entry.name, entry);
      else this.patterns.push({ entry, prefix: entry.name.slice(0, star), suffix: entry.name.slice(star + 1) });
    }
    this.patterns.sort((a, b) => b.prefix.length + b.suffix.length - (a.prefix.length + a.suffix.length));
  }

  resolve(name: string): ResolvedModel | undefined {
    const entry = this.exact.get(name);
    if (entry) return { entry, upstreamModel: entry.model ?? name };
    for (const pattern of this.patterns) {
      if (name.length < pattern.prefix.length + pattern.suffix.length) continue;
      if (!name.startsWith(pattern.prefix) || !name.endsWith(pattern.suffix)) continue;
      const captured = name.slice(pattern.prefix.length, name.length - pattern.suffix.length);
      const upstreamModel = pattern.entry.model ? pattern.entry.model.replace('*', () => captured) : captured;
      if (upstreamModel === '') continue;
      return { entry: pattern.entry, upstreamModel };
    }
    return undefined;
  }

  /** Names a client can send as they are (patterns are not listed). */
  exactNames(): ModelConfig[] {
    return [...this.exact.values()];
  }
}

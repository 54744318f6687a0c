import type { Capability, ModelConfig, RouteConfig, RouteRuleConfig } from '../config/index.ts';
import type { ModelTable, ResolvedModel } from './model-table.ts';

/** What a route's rules may look at: the key, the request's tags and what it needs. */
export interface RouteContext {
  tenantId: string | null;
  keyTier: string | null;
  keyMetadata: Readonly<Record<string, unknown>> | null;
  tags: ReadonlySet<string>;
  needs: ReadonlySet<Capability>;
  /** Lazy: counted only when a rule or a context window asks. */
  promptTokens: () => number;
}

/** A client's model name resolved to the targets that may serve it, in configured order. */
export interface RouteChoice {
  /** The route's name, or the model entry's for a plain model name. */
  name: string;
  route: RouteConfig | null;
  /** Index of the rule that chose the targets, or null for the route's own. */
  rule: number | null;
  targets: ResolvedModel[];
}

function ruleMatches(rule: RouteRuleConfig, context: RouteContext): boolean {
  const { when } = rule;
  if (when.tenant !== undefined && when.tenant !== context.tenantId) return false;
  if (when.keyTier !== undefined && when.keyTier !== context.keyTier) return false;
  if (when.tag !== undefined && !context.tags.has(when.tag)) return false;
  if (when.needs !== undefined && !when.needs.every((need) => context.needs.has(need))) return false;
  if (when.keyMetadata !== undefined) {
    const metadata = context.keyMetadata ?? {};
    for (const [field, value] of Object.entries(when.keyMetadata)) if (String(metadata[field] ?? '') !== value) return false;
  }
  if (when.minPromptTokens !== undefined && context.promptTokens() < when.minPromptTokens) return false;
  return true;
}

/**
 * Client model names → targets. A route (by name or alias) resolves to its targets, or to those of
 * its first matching rule; any other name goes to the model table (exact names, then patterns) and
 * is a route of one target.
 */
export class RouteTable {
  private readonly routes = new Map<string, RouteConfig>();
  private readonly models: ModelTable;
  private readonly byName = new Map<string, ModelConfig>();

  constructor(routes: readonly RouteConfig[], models: ModelTable) {
    this.models = models;
    for (const route of routes) for (const name of [route.name, ...route.aliases]) this.routes.set(name, route);
    for (const entry of models.exactNames()) this.byName.set(entry.name, entry);
  }

  resolve(name: string, context: RouteContext): RouteChoice | undefined {
    const route = this.routes.get(name);
    if (route === undefined) {
      const resolved = this.models.resolve(name);
      return resolved && { name: resolved.entry.name, route: null, rule: null, targets: [resolved] };
    }
    const rule = route.rules.findIndex((r) => ruleMatches(r, context));
    const names = rule === -1 ? route.targets : route.rules[rule]!.targets;
    // Config validation guarantees every name is an exact model.
    const targets = names.map((target) => {
      const entry = this.byName.get(target)!;
      return { entry, upstreamModel: entry.model ?? entry.name };
    });
    return { name: route.name, route, rule: rule === -1 ? null : rule, targets };
  }

  /** Route names and aliases, for `GET /v1/models`. */
  routeNames(): string[] {
    return [...this.routes.keys()];
  }
}

import type { MoatConfig } from './schema.ts';

/** Cross-checks of `routes` against `models`: problems as `path: what to fix` lines. */
export function checkRoutes(config: MoatConfig): string[] {
  const problems: string[] = [];
  const targets = new Set(config.models.filter((m) => !m.name.includes('*')).map((m) => m.name));
  const claimed = new Map<string, string>();
  for (const name of targets) claimed.set(name, 'a model');
  const knownTargets = (): string => (targets.size > 0 ? [...targets].join(', ') : 'none are defined');
  const checkTargets = (list: readonly string[], where: string): void => {
    list.forEach((target, j) => {
      if (!targets.has(target)) problems.push(`${where}[${j}]: '${target}' is not an exact models[].name (defined: ${knownTargets()})`);
    });
  };
  config.routes.forEach((route, i) => {
    for (const [k, name] of [route.name, ...route.aliases].entries()) {
      const where = k === 0 ? `routes[${i}].name` : `routes[${i}].aliases[${k - 1}]`;
      const owner = claimed.get(name);
      if (owner !== undefined) problems.push(`${where}: '${name}' is already ${owner}; a client model name must mean one thing`);
      else claimed.set(name, `route '${route.name}'`);
    }
    checkTargets(route.targets, `routes[${i}].targets`);
    route.rules.forEach((rule, r) => checkTargets(rule.targets, `routes[${i}].rules[${r}].targets`));
    if (route.strategy === 'difficulty') {
      if (!route.difficulty) problems.push(`routes[${i}].difficulty: required with strategy 'difficulty' (give premiumShare or qualityTarget)`);
      const tiers = new Set(route.targets.map((t) => config.models.find((m) => m.name === t)?.tier));
      if (!tiers.has('local') || !tiers.has('premium')) problems.push(`routes[${i}].targets: strategy 'difficulty' needs at least one local and one premium target`);
    } else if (route.difficulty) problems.push(`routes[${i}].difficulty: only used with strategy 'difficulty'`);
  });
  return problems;
}

import { MoatError } from '../errors/index.ts';
import { requireRole } from './admin-auth.ts';
import type { AdminRole } from './admin-auth.ts';
import type { AdminContext, AdminHandler, AdminInput, AdminResult } from './admin-context.ts';
import { deleteCredential, listCredentials, putCredential } from './credential-handlers.ts';
import { createBudget, deleteBudget, getBudget, listBudgets } from './budget-handlers.ts';
import { createKey, listKeys, revokeKey, rotateKey } from './key-handlers.ts';
import { createTenant, listTenants } from './tenant-handlers.ts';
import { getUsage } from './usage-handlers.ts';
import { getSla, getUpstreamSla } from './sla-handlers.ts';
import { listUpstreams } from './upstream-handlers.ts';

export interface AdminRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Full path; `:name` segments become `params.name`. */
  path: string;
  /** The least role that may call it. */
  role: AdminRole;
  handler: AdminHandler;
}

export const ADMIN_ROUTES: readonly AdminRoute[] = [
  { method: 'POST', path: '/admin/tenants', role: 'admin', handler: createTenant },
  { method: 'GET', path: '/admin/tenants', role: 'read-only', handler: listTenants },
  { method: 'POST', path: '/admin/keys', role: 'admin', handler: createKey },
  { method: 'GET', path: '/admin/keys', role: 'read-only', handler: listKeys },
  { method: 'POST', path: '/admin/keys/:id/revoke', role: 'admin', handler: revokeKey },
  { method: 'POST', path: '/admin/keys/:id/rotate', role: 'admin', handler: rotateKey },
  { method: 'GET', path: '/admin/usage', role: 'read-only', handler: getUsage },
  { method: 'GET', path: '/admin/sla', role: 'read-only', handler: getSla },
  { method: 'GET', path: '/admin/sla/:upstream', role: 'read-only', handler: getUpstreamSla },
  { method: 'GET', path: '/admin/upstreams', role: 'read-only', handler: listUpstreams },
  { method: 'POST', path: '/admin/budgets', role: 'admin', handler: createBudget },
  { method: 'GET', path: '/admin/budgets', role: 'read-only', handler: listBudgets },
  { method: 'GET', path: '/admin/budgets/:id', role: 'read-only', handler: getBudget },
  { method: 'DELETE', path: '/admin/budgets/:id', role: 'admin', handler: deleteBudget },
  { method: 'PUT', path: '/admin/credentials/:name', role: 'admin', handler: putCredential },
  { method: 'GET', path: '/admin/credentials', role: 'read-only', handler: listCredentials },
  { method: 'DELETE', path: '/admin/credentials/:name', role: 'admin', handler: deleteCredential },
];

export interface AdminRouteMatch {
  route: AdminRoute;
  params: Record<string, string>;
}

/** The route for `method` and `pathname`; 404 `route_not_found`, or 405 `method_not_allowed` when only the method is wrong. */
export function matchAdminRoute(method: string, pathname: string): AdminRouteMatch {
  let pathMatched = false;
  for (const route of ADMIN_ROUTES) {
    const params = matchPath(route.path, pathname);
    if (params === undefined) continue;
    if (route.method === method.toUpperCase()) return { route, params };
    pathMatched = true;
  }
  if (pathMatched) throw new MoatError('method_not_allowed', `${method} is not allowed on ${pathname}.`);
  throw new MoatError('route_not_found', `No admin endpoint at ${pathname}.`);
}

/** Runs a route's handler after checking the caller's role: the one way in for HTTP and the CLI alike. */
export function callAdminRoute(route: AdminRoute, ctx: AdminContext, input: AdminInput): Promise<AdminResult> {
  requireRole(ctx.role, route.role);
  return route.handler(ctx, input);
}

function matchPath(pattern: string, pathname: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = pathname.replace(/\/+$/, '').split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const segment = want[i]!;
    if (segment.startsWith(':')) {
      if (got[i] === '') return undefined;
      try {
        params[segment.slice(1)] = decodeURIComponent(got[i]!);
      } catch {
        return undefined;
      }
    } else if (segment !== got[i]) return undefined;
  }
  return params;
}

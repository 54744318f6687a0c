import { MoatError } from '../errors/index.ts';

/**
 * Failures below HTTP (no status to read) → typed errors. undici names them by `code`:
 * https://undici.nodejs.org/#/docs/api/Errors
 */
export function mapTransportError(error: unknown, providerName: string): MoatError {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'UND_ERR_HEADERS_TIMEOUT':
      return new MoatError('upstream_timeout', `Upstream '${providerName}' sent no response headers in time.`, { cause: error });
    case 'UND_ERR_BODY_TIMEOUT':
      return new MoatError('upstream_idle_timeout', `Upstream '${providerName}' went silent in the middle of its response.`, { cause: error });
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
    case 'ECONNREFUSED':
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new MoatError('upstream_unreachable', `Upstream '${providerName}' could not be reached or dropped the connection (${String(code)}).`, { cause: error });
    default:
      return new MoatError('upstream_error', `Upstream '${providerName}' failed: ${(error as Error)?.message ?? String(error)}`, { cause: error });
  }
}

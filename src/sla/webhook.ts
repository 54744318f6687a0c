export interface WebhookOptions {
  url: string;
  /** Attempts after the first one. */
  retries: number;
  timeoutMs: number;
  /** First backoff; doubled each retry, with up to 50 % jitter. */
  backoffMs: number;
}

export interface WebhookResult {
  ok: boolean;
  attempts: number;
  /** The last HTTP status, or the last error's message. */
  last: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

/** Only the host: a webhook URL often carries a token in its path (Slack, Teams). */
export function webhookHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'invalid-url';
  }
}

/**
 * POSTs `payload` as JSON; retries on network errors, timeouts, 429 and 5xx with exponential backoff,
 * gives up at once on another 4xx (a retry would not change the answer). Never throws.
 */
export async function postWebhook(options: WebhookOptions, payload: unknown, random: () => number = Math.random): Promise<WebhookResult> {
  const body = JSON.stringify(payload);
  let last = '';
  for (let attempt = 0; attempt <= options.retries; attempt++) {
    if (attempt > 0) await sleep(options.backoffMs * 2 ** (attempt - 1) * (1 + random() * 0.5));
    try {
      const response = await fetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'moat-sla' },
        body,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      await response.body?.cancel();
      last = String(response.status);
      if (response.ok) return { ok: true, attempts: attempt + 1, last };
      if (response.status < 500 && response.status !== 429) return { ok: false, attempts: attempt + 1, last };
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
  }
  return { ok: false, attempts: options.retries + 1, last };
}

/** What an admin API call answered: its status, its JSON body, and the raw text (to look for secrets). */
export interface AdminAnswer {
  status: number;
  body: Record<string, unknown>;
  text: string;
}

/** One call to Moat's `/admin` API at `origin` with a bearer key; a body is sent as JSON. */
export async function adminRequest(origin: string, key: string, method: string, path: string, body?: unknown): Promise<AdminAnswer> {
  const response = await fetch(`${origin}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as Record<string, unknown>, text };
}

/**
 * Polls `condition` until it holds; fails after `timeoutMs` naming `what`. Tests wait on counts and
 * states this way, never on a fixed sleep.
 */
export async function until(condition: () => boolean | Promise<boolean>, what = 'condition', timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

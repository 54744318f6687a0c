/**
 * The prompt's token count, made at most once per request however many stages ask for it (rate
 * limits and budgets both reserve on it), and only when one does.
 */
export function countOnce(count: () => Promise<number>): () => Promise<number> {
  let counted: Promise<number> | undefined;
  return () => (counted ??= count());
}

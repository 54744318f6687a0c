export interface ListedModel {
  id: string;
  /** RFC 3339; when unknown, the epoch (the field is required and Moat has no clock here). */
  createdAt?: string;
  displayName?: string;
}

/**
 * GET /v1/models in Anthropic's shape (https://docs.anthropic.com/en/api/models-list): one page
 * holding every model, so `has_more` is false and `first_id`/`last_id` bound it (null when empty).
 * Capability fields are left out: Moat does not know them for every upstream.
 */
export function encodeAnthropicModelList(models: readonly ListedModel[]): string {
  const data = models.map((model) => ({
    type: 'model',
    id: model.id,
    display_name: model.displayName ?? model.id,
    created_at: model.createdAt ?? '1970-01-01T00:00:00Z',
  }));
  return JSON.stringify({ data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
}

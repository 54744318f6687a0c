import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeAnthropicModelList } from './model-list.ts';
import { startSdkTestServer, type SdkTestServer } from './sdk-test-server.ts';
import { fixtureText } from './test-fixtures.ts';

interface WireModel {
  type: string;
  id: string;
  display_name: string;
  created_at: string;
}

const recorded = JSON.parse(fixtureText('models-list.response.json')) as { data: WireModel[]; first_id: string; last_id: string };
const models = recorded.data.map((m) => ({ id: m.id, displayName: m.display_name, createdAt: m.created_at }));

describe('encodeAnthropicModelList', () => {
  it('has the recorded page shape, as one complete page', () => {
    const page = JSON.parse(encodeAnthropicModelList(models));
    expect(page).toEqual({
      data: recorded.data.map(({ type, id, display_name, created_at }) => ({ type, id, display_name, created_at })),
      has_more: false,
      first_id: recorded.first_id,
      last_id: recorded.last_id,
    });
  });

  it('fills in a display name and creation time it does not know', () => {
    expect(JSON.parse(encodeAnthropicModelList([{ id: 'gpt-4o' }]))).toEqual({
      data: [{ type: 'model', id: 'gpt-4o', display_name: 'gpt-4o', created_at: '1970-01-01T00:00:00Z' }],
      has_more: false,
      first_id: 'gpt-4o',
      last_id: 'gpt-4o',
    });
    expect(JSON.parse(encodeAnthropicModelList([]))).toEqual({ data: [], has_more: false, first_id: null, last_id: null });
  });

  describe('read by the SDK', () => {
    let server: SdkTestServer;
    beforeAll(async () => {
      server = await startSdkTestServer();
    });
    afterAll(() => server.close());

    it('lists every model and stops paging', async () => {
      server.answer = () => ({ status: 200, body: encodeAnthropicModelList(models) });
      const ids: string[] = [];
      for await (const model of server.client.models.list()) ids.push(model.id);
      expect(ids).toEqual(['claude-opus-4-5-20251101', 'claude-haiku-4-5-20251001', 'claude-sonnet-4-5-20250929']);
    });
  });
});

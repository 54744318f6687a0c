import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RecordingUpstream } from './recording-upstream.ts';

/**
 * A self-hosted reasoning server (vLLM, Ollama `/v1`, llama.cpp, DeepSeek) replaying the recorded
 * streams in src/providers/openai-compatible/__fixtures__. The model name picks the recording:
 *   deepseek-reasoning, think-tags, think-tags-open, think-tags-truncated   as recorded
 *   reasoning-field / thinking-field   deepseek-reasoning with the field renamed `reasoning` (vLLM ≥ 0.11,
 *                                      Ollama /v1) or `thinking` (Ollama's native name)
 *   copy-<n>    a reasoning answer whose visible text repeats <n> words of its reasoning
 *   slow-<name> the recording <name>, streamed one event every 40 ms
 *   summariser  a small model that answers every request with SUMMARY (the veil's summariser)
 *   text-<case> raw model text in TEXT_CASES (for template-opened `<think>` models), split into chunks
 */
export const TEXT_CASES: Record<string, string[]> = {
  // R1's "bypass": an empty think block.
  'empty-think': ['\n\n</thi', 'nk>\n\nThe answer is 4.'],
  // Only the first `</think>` ends the reasoning; the answer quotes the tag.
  'stray-close': ['Think about tags.</think>\n\nClose the block with ', '`</think>`', ' and you are done.'],
};
const fixture = (name: string) => readFileSync(new URL(`../../src/providers/openai-compatible/__fixtures__/${name}`, import.meta.url), 'utf8');

const RENAMED: Record<string, string> = { 'reasoning-field': 'reasoning', 'thinking-field': 'thinking' };
export const SUMMARY = 'The model checked whether 91 has small factors.';
export const COPY_REASONING = 'I will count the letters one at a time and keep a running total so that nothing is missed at the end';

function copyCase(words: number): { body: Record<string, unknown>; chunks: Array<Record<string, unknown>> } {
  const answer = `Sure: ${COPY_REASONING.split(' ').slice(0, words).join(' ')}.`;
  const base = { id: 'chatcmpl-copy', object: 'chat.completion.chunk', created: 1764000300, model: 'copy' };
  const usage = { prompt_tokens: 9, completion_tokens: 40, total_tokens: 49, completion_tokens_details: { reasoning_tokens: 22 } };
  return {
    body: { ...base, object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', reasoning_content: COPY_REASONING, content: answer }, finish_reason: 'stop' }], usage },
    chunks: [
      { ...base, choices: [{ index: 0, delta: { role: 'assistant', reasoning_content: COPY_REASONING }, finish_reason: null }] },
      { ...base, choices: [{ index: 0, delta: { content: answer }, finish_reason: 'stop' }] },
      { ...base, choices: [], usage },
    ],
  };
}

export class VeilUpstream extends RecordingUpstream {
  protected respond(_req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const parsed = JSON.parse(body.toString('utf8')) as { model: string; stream?: boolean };
    if (parsed.model === 'summariser') {
      const completion = { id: 'chatcmpl-sum', object: 'chat.completion', created: 1, model: 'summariser', choices: [{ index: 0, message: { role: 'assistant', content: SUMMARY }, finish_reason: 'stop' }], usage: { prompt_tokens: 50, completion_tokens: 11, total_tokens: 61 } };
      return this.send(res, 'application/json', JSON.stringify(completion));
    }
    if (parsed.model.startsWith('slow-') && parsed.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const events = fixture(`${parsed.model.slice(5)}.stream.sse`).split('\n\n').filter((e) => e.trim() !== '');
      const next = (i: number): void => {
        if (i === events.length) return void res.end();
        res.write(`${events[i]}\n\n`);
        setTimeout(() => next(i + 1), 40);
      };
      return next(0);
    }
    const textCase = /^text-(.+)$/.exec(parsed.model);
    if (textCase && TEXT_CASES[textCase[1]!]) {
      const base = { id: 'chatcmpl-text', object: 'chat.completion.chunk', created: 1, model: parsed.model };
      const pieces = TEXT_CASES[textCase[1]!]!;
      const usage = { prompt_tokens: 5, completion_tokens: 20, total_tokens: 25 };
      if (!parsed.stream) {
        const message = { role: 'assistant', content: pieces.join('') };
        return this.send(res, 'application/json', JSON.stringify({ ...base, object: 'chat.completion', choices: [{ index: 0, message, finish_reason: 'stop' }], usage }));
      }
      const chunks = [...pieces.map((content) => ({ ...base, choices: [{ index: 0, delta: { content }, finish_reason: null }] })), { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }, { ...base, choices: [], usage }];
      return this.send(res, 'text/event-stream', chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join('') + 'data: [DONE]\n\n');
    }
    const copy = /^copy-(\d+)$/.exec(parsed.model);
    if (copy) {
      const { body: whole, chunks } = copyCase(Number(copy[1]));
      if (!parsed.stream) return this.send(res, 'application/json', JSON.stringify(whole));
      return this.send(res, 'text/event-stream', chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join('') + 'data: [DONE]\n\n');
    }
    const renamed = RENAMED[parsed.model];
    const name = renamed ? 'deepseek-reasoning' : parsed.model;
    let text: string;
    try {
      text = fixture(`${name}.${parsed.stream ? 'stream.sse' : 'response.json'}`);
    } catch {
      res.writeHead(404, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ error: { message: `no model ${parsed.model}`, type: 'invalid_request_error', code: 'model_not_found' } }));
    }
    if (renamed) text = text.replaceAll('"reasoning_content"', `"${renamed}"`);
    this.send(res, parsed.stream ? 'text/event-stream' : 'application/json', text);
  }

  private send(res: ServerResponse, type: string, text: string): void {
    res.writeHead(200, { 'content-type': type });
    res.end(text);
  }
}

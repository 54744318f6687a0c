import type { IncomingMessage, ServerResponse } from 'node:http';
import { RecordingUpstream } from './recording-upstream.ts';

interface ChatMessage {
  role: string;
  content?: string | Array<{ type: string; text?: string }> | null;
}

function textOf(message: ChatMessage | undefined): string {
  if (!message || message.content == null) return '';
  if (typeof message.content === 'string') return message.content;
  return message.content.map((p) => p.text ?? '').join('');
}

/**
 * An OpenAI Chat Completions upstream that answers with what it received: the text of the last user
 * message, as the answer or, when the request has tools, as the `text` argument of a call to the first
 * tool. Streams are cut every `chunkSize` characters, so placeholders arrive split across chunks.
 */
export class EchoUpstream extends RecordingUpstream {
  chunkSize = 3;

  protected respond(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    if (req.url?.endsWith('/embeddings') || req.url?.endsWith('/count_tokens')) {
      // Embeddings: one vector per input; counting: a fixed count. What arrived is in `requests`.
      const inputs = ([] as unknown[]).concat((JSON.parse(body.toString('utf8')) as { input?: unknown }).input ?? []);
      const answer = req.url.endsWith('/embeddings')
        ? { object: 'list', data: inputs.map((_, index) => ({ object: 'embedding', index, embedding: [0.1, 0.2] })), model: 'embed', usage: { prompt_tokens: 4, total_tokens: 4 } }
        : { input_tokens: 42 };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
      return;
    }
    const request = JSON.parse(body.toString('utf8')) as { model: string; stream?: boolean; messages: ChatMessage[]; tools?: Array<{ function: { name: string } }> };
    const echo = textOf(request.messages.filter((m) => m.role === 'user').at(-1));
    const tool = request.tools?.[0]?.function.name;
    const args = tool === undefined ? '' : JSON.stringify({ text: echo });
    const usage = { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 };
    const base = { id: 'chatcmpl-echo', created: 1_760_000_000, model: request.model };
    if (!request.stream) {
      const message = tool === undefined
        ? { role: 'assistant', content: echo }
        : { role: 'assistant', content: null, tool_calls: [{ id: 'call_echo', type: 'function', function: { name: tool, arguments: args } }] };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ...base, object: 'chat.completion', choices: [{ index: 0, message, finish_reason: tool === undefined ? 'stop' : 'tool_calls' }], usage }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const send = (payload: unknown): void => {
      res.write(`data: ${JSON.stringify(payload)}\n\n`);
    };
    const chunk = (delta: Record<string, unknown>, finish: string | null = null): void => {
      send({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] });
    };
    chunk({ role: 'assistant', content: '' });
    const pieces = (text: string): string[] => text.match(new RegExp(`[\\s\\S]{1,${this.chunkSize}}`, 'g')) ?? [];
    if (tool === undefined) {
      for (const piece of pieces(echo)) chunk({ content: piece });
    } else {
      chunk({ tool_calls: [{ index: 0, id: 'call_echo', type: 'function', function: { name: tool, arguments: '' } }] });
      for (const piece of pieces(args)) chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] });
    }
    chunk({}, tool === undefined ? 'stop' : 'tool_calls');
    send({ ...base, object: 'chat.completion.chunk', choices: [], usage });
    res.end('data: [DONE]\n\n');
  }
}

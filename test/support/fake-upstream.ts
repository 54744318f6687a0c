import type { IncomingMessage, ServerResponse } from 'node:http';
import { SseDecoder } from '../../src/streaming/index.ts';
import { fixtureBytes } from './fixtures.ts';
import { RecordingUpstream } from './recording-upstream.ts';

export type { RecordedRequest } from './recording-upstream.ts';

/**
 * An OpenAI-shaped upstream that replays the fixtures in src/providers/openai/__fixtures__ and checks
 * requests the way the API does (key, JSON, model). The model name picks the behaviour:
 *   fx-<case>            replay <case>.response.json or <case>.stream.sse (e.g. fx-chat-text)
 *   status-<code>        answer with error-<code>*.json and that status (429 adds retry-after: 7)
 *   reset-midstream      send a few events, then destroy the socket
 *   stall-body           send headers and one event, then nothing
 *   stall-headers        never answer
 *   silent-<ms>          stream fx-chat-text after <ms> of silence following the headers
 *   flood-<mb>           stream <mb> MiB of events as fast as the socket takes them
 *   nousage-<case>       replay <case> without any usage (a server that ignores `stream_options`)
 *   hang-<n>-<case>      stream the first <n> events of <case>, then hold the connection open, silent
 */
const ERROR_FILES: Record<string, string> = {
  '400': 'error-400-invalid-param.json',
  '401': 'error-401-invalid-key.json',
  '404': 'error-404-model.json',
  '429': 'error-429-rate-limit.json',
  '500': 'error-500.json',
  '503': 'error-503-overloaded.json',
};

/**
 * The checks the real API makes that a translated request could fail: messages present, and every
 * `tool` message answering a `tool_calls` id of the assistant turn before it.
 */
function checkChatRequest(body: Record<string, unknown>): string | null {
  if (!('input' in body) && !Array.isArray(body.messages)) return "'messages' is a required property";
  if (!Array.isArray(body.messages)) return null;
  let openCalls = new Set<string>();
  for (const message of body.messages as Array<Record<string, unknown>>) {
    if (message.role === 'assistant') {
      const calls = Array.isArray(message.tool_calls) ? (message.tool_calls as Array<{ id: string }>) : [];
      openCalls = new Set(calls.map((c) => c.id));
    } else if (message.role === 'tool') {
      if (!openCalls.has(String(message.tool_call_id))) {
        return "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.";
      }
    } else openCalls = new Set();
  }
  return null;
}

export class FakeUpstream extends RecordingUpstream {
  /** Set by `flood-*` responses: whether the last write was refused by a full socket buffer. */
  floodBlocked = false;
  floodBytesWritten = 0;
  readonly apiKey: string;

  constructor(apiKey = 'sk-upstream-test-key') {
    super();
    this.apiKey = apiKey;
  }

  private sendError(res: ServerResponse, status: number, extra: Record<string, string> = {}): void {
    const file = ERROR_FILES[String(status)];
    const body = file ? fixtureBytes(file) : Buffer.from(JSON.stringify({ error: { message: `status ${status}`, type: 'server_error', param: null, code: null } }));
    res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': 'upstream-req-1', ...extra });
    res.end(body);
  }

  protected respond(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    if (req.headers.authorization !== `Bearer ${this.apiKey}`) return this.sendError(res, 401);
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(body.toString('utf8')) as typeof parsed;
    } catch {
      return this.sendError(res, 400);
    }
    const problem = checkChatRequest(parsed);
    if (problem) return this.sendProblem(res, problem);
    const model = typeof parsed.model === 'string' ? parsed.model : '';
    const stream = parsed.stream === true;
    const route = req.url?.endsWith('/embeddings') ? 'embeddings' : 'chat';

    if (model.startsWith('fx-')) {
      const name = model.slice(3);
      if (route === 'embeddings') return this.sendJson(res, fixtureBytes('embeddings.response.json'));
      if (!stream) return this.sendJson(res, fixtureBytes(`${name}.response.json`));
      return void this.sendStream(res, fixtureBytes(`${name}.stream.sse`), 0);
    }
    if (model.startsWith('nousage-')) {
      const name = model.slice('nousage-'.length);
      if (!stream) return this.sendJson(res, withoutUsage(fixtureBytes(`${name}.response.json`)));
      return void this.sendStream(res, streamWithoutUsage(fixtureBytes(`${name}.stream.sse`)), 0);
    }
    const hang = /^hang-(\d+)-(.+)$/.exec(model);
    if (hang) {
      this.openStream(res);
      res.write(sseEvents(fixtureBytes(`${hang[2]}.stream.sse`)).slice(0, Number(hang[1])).join(''));
      return;
    }
    const status = /^status-(\d{3})$/.exec(model);
    if (status) return this.sendError(res, Number(status[1]), status[1] === '429' ? { 'retry-after': '7' } : {});
    if (model === 'reset-midstream') {
      this.openStream(res);
      res.write(fixtureBytes('chat-text.stream.sse').subarray(0, 400));
      setTimeout(() => res.socket?.destroy(), 20);
      return;
    }
    if (model === 'stall-body') {
      this.openStream(res);
      const sse = fixtureBytes('chat-text.stream.sse');
      res.write(sse.subarray(0, sse.indexOf('\n\n') + 2));
      return;
    }
    if (model === 'stall-headers') return;
    const silent = /^silent-(\d+)$/.exec(model);
    if (silent) return void this.sendStream(res, fixtureBytes('chat-text.stream.sse'), Number(silent[1]));
    const flood = /^flood-(\d+)$/.exec(model);
    if (flood) return this.flood(res, Number(flood[1]) * 1024 * 1024);
    this.sendError(res, 404);
  }

  private sendProblem(res: ServerResponse, message: string): void {
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message, type: 'invalid_request_error', param: 'messages', code: null } }));
  }

  private sendJson(res: ServerResponse, body: Buffer): void {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length), 'x-request-id': 'upstream-req-1' });
    res.end(body);
  }

  private openStream(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'x-request-id': 'upstream-req-1' });
    res.flushHeaders();
  }

  /** Sends the SSE bytes in uneven pieces, a millisecond apart, after `silenceMs`. */
  private async sendStream(res: ServerResponse, sse: Buffer, silenceMs: number): Promise<void> {
    this.openStream(res);
    if (silenceMs > 0) await new Promise((r) => setTimeout(r, silenceMs));
    const sizes = [7, 61, 13, 130, 3, 97];
    let at = 0;
    for (let i = 0; at < sse.length; i++) {
      if (res.destroyed) return;
      const size = sizes[i % sizes.length]!;
      res.write(sse.subarray(at, at + size));
      at += size;
      await new Promise((r) => setTimeout(r, 1));
    }
    res.end();
  }

  private flood(res: ServerResponse, total: number): void {
    this.openStream(res);
    const event = Buffer.from(`data: ${JSON.stringify({ id: 'flood', object: 'chat.completion.chunk', created: 1, model: 'flood', choices: [{ index: 0, delta: { content: 'x'.repeat(16_000) }, finish_reason: null }] })}\n\n`);
    this.floodBytesWritten = 0;
    const writeMore = (): void => {
      while (this.floodBytesWritten < total) {
        this.floodBytesWritten += event.length;
        if (!res.write(event)) {
          this.floodBlocked = true;
          res.once('drain', () => {
            this.floodBlocked = false;
            writeMore();
          });
          return;
        }
      }
      res.end('data: [DONE]\n\n');
    };
    writeMore();
  }
}

/** The SSE stream's events, each as `data: …\n\n` text. */
function sseEvents(bytes: Buffer): string[] {
  const events: string[] = [];
  const sse = new SseDecoder((message) => events.push(`data: ${message.data}\n\n`));
  sse.feed(bytes);
  sse.end();
  return events;
}

function withoutUsage(body: Buffer): Buffer {
  const parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  delete parsed.usage;
  return Buffer.from(JSON.stringify(parsed));
}

/** The stream as a server that ignores `stream_options.include_usage` sends it: no usage member, no usage chunk. */
function streamWithoutUsage(bytes: Buffer): Buffer {
  const kept = sseEvents(bytes).flatMap((event) => {
    const data = event.slice('data: '.length, -2);
    if (data === '[DONE]') return [event];
    const chunk = JSON.parse(data) as Record<string, unknown>;
    if (Array.isArray(chunk.choices) && chunk.choices.length === 0) return [];
    delete chunk.usage;
    return [`data: ${JSON.stringify(chunk)}\n\n`];
  });
  return Buffer.from(kept.join(''));
}

import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { SseDecoder } from '../../src/streaming/index.ts';
import { RecordingUpstream } from './recording-upstream.ts';

/**
 * An Anthropic-shaped upstream that replays src/providers/anthropic/__fixtures__ and checks requests
 * the way the Messages API does: key, version header, JSON, `max_tokens`, tool_use/tool_result
 * pairing, thinking budget, and thinking blocks sent back unaltered. It signs thinking itself
 * (signature = base64 HMAC-SHA256 of the thinking text), replacing the fixtures' signatures, so a
 * round trip through Moat verifies and an edited block is refused. The model name picks the behaviour:
 *   fx-<case>         replay <case>.response.json or <case>.stream.sse (e.g. fx-messages-text); a
 *                     request holding a tool_result gets the case's `.followup.` files when they exist
 *   status-<code>     answer with error-<code>-*.json and that status (429 adds retry-after: 7)
 *   midstream-error   stream error-midstream.sse (a 200 whose stream ends in an `error` event)
 * Also POST /v1/messages/count_tokens (count-tokens.response.json) and GET /v1/models (models-list).
 */
export type { RecordedRequest as RecordedAnthropicRequest } from './recording-upstream.ts';

type Json = Record<string, unknown>;
interface Block extends Json {
  type?: unknown;
}
interface Turn {
  role?: unknown;
  content?: unknown;
}

const FIXTURES = fileURLToPath(new URL('../../src/providers/anthropic/__fixtures__/', import.meta.url));

export function anthropicFixtureBytes(name: string): Buffer {
  return readFileSync(FIXTURES + name);
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A user turn's `content` may be a plain string. */
const blocksOf = (turn: Turn): Block[] =>
  typeof turn.content === 'string' ? [{ type: 'text', text: turn.content }] : Array.isArray(turn.content) ? (turn.content.filter(isObject) as Block[]) : [];

class InvalidRequest extends Error {}

export class FakeAnthropicUpstream extends RecordingUpstream {
  readonly apiKey: string;
  private readonly secret: Buffer;
  /** `redacted_thinking` data the fake may have issued: the fixtures'. */
  private readonly issuedRedacted = new Set<string>();

  constructor(apiKey = 'sk-ant-upstream-test-key', secret: Buffer = randomBytes(32)) {
    super();
    this.apiKey = apiKey;
    this.secret = secret;
    for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith('.response.json'))) {
      const parsed: unknown = JSON.parse(anthropicFixtureBytes(file).toString('utf8'));
      if (!isObject(parsed) || !Array.isArray(parsed.content)) continue;
      for (const block of parsed.content) if (isObject(block) && block.type === 'redacted_thinking') this.issuedRedacted.add(String(block.data));
    }
  }

  /** The signature this fake issues for a thinking text. */
  sign(thinking: string): string {
    return createHmac('sha256', this.secret).update(thinking, 'utf8').digest('base64');
  }

  protected respond(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    try {
      this.answer(req, res, body);
    } catch (error) {
      if (!(error instanceof InvalidRequest)) throw error;
      this.sendErrorBody(res, 400, 'invalid_request_error', error.message);
    }
  }

  private answer(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const path = (req.url ?? '').split('?')[0];
    // The API takes the key as `x-api-key` or, as the official SDK 1.x sends it, `Authorization: Bearer`.
    if (req.headers['x-api-key'] !== this.apiKey && req.headers.authorization !== `Bearer ${this.apiKey}`) return this.sendErrorFixture(res, 401);
    if (typeof req.headers['anthropic-version'] !== 'string') throw new InvalidRequest('anthropic-version: header is required');
    if (req.method === 'GET' && path === '/v1/models') return this.sendJson(res, anthropicFixtureBytes('models-list.response.json'));
    if (req.method !== 'POST' || (path !== '/v1/messages' && path !== '/v1/messages/count_tokens')) {
      return this.sendErrorBody(res, 404, 'not_found_error', 'Not Found');
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw new InvalidRequest('There was an error parsing the body of your request.');
    }
    if (!isObject(parsed)) throw new InvalidRequest('The request body must be a JSON object.');
    const messages = Array.isArray(parsed.messages) ? (parsed.messages.filter(isObject) as Turn[]) : null;
    if (!messages) throw new InvalidRequest('messages: Field required');
    if (path === '/v1/messages/count_tokens') return this.sendJson(res, anthropicFixtureBytes('count-tokens.response.json'));

    if (typeof parsed.max_tokens !== 'number') return this.sendErrorFixture(res, 400);
    this.checkThinkingConfig(parsed, messages);
    this.checkToolPairing(messages);
    this.checkThinkingBlocks(messages);

    const model = typeof parsed.model === 'string' ? parsed.model : '';
    const stream = parsed.stream === true;
    if (model.startsWith('fx-')) {
      let name = model.slice(3);
      const hasToolResult = messages.some((turn) => blocksOf(turn).some((b) => b.type === 'tool_result'));
      if (hasToolResult && existsSync(`${FIXTURES}${name}.followup.response.json`)) name += '.followup';
      if (!existsSync(`${FIXTURES}${name}.response.json`)) return this.sendErrorBody(res, 404, 'not_found_error', `model: ${model}`);
      if (!stream) return this.sendJson(res, this.signedMessage(anthropicFixtureBytes(`${name}.response.json`)));
      return void this.sendStream(res, this.signedStream(anthropicFixtureBytes(`${name}.stream.sse`)));
    }
    const status = /^status-(\d{3})$/.exec(model);
    if (status) return this.sendErrorFixture(res, Number(status[1]), status[1] === '429' ? { 'retry-after': '7' } : {});
    if (model === 'midstream-error') return void this.sendStream(res, anthropicFixtureBytes('error-midstream.sse'));
    this.sendErrorBody(res, 404, 'not_found_error', `model: ${model}`);
  }

  /** budget_tokens ≥ 1024 and < max_tokens; sampling the API refuses alongside thinking. */
  private checkThinkingConfig(body: Json, messages: Turn[]): void {
    const thinking = body.thinking;
    if (!isObject(thinking) || thinking.type !== 'enabled') return;
    const budget = thinking.budget_tokens;
    if (typeof budget !== 'number' || budget < 1024) throw new InvalidRequest('thinking.enabled.budget_tokens: Input should be greater than or equal to 1024');
    if (budget >= (body.max_tokens as number)) {
      throw new InvalidRequest('`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size');
    }
    if (body.temperature !== undefined && body.temperature !== 1) {
      throw new InvalidRequest('`temperature` may only be set to 1 when thinking is enabled. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#feature-compatibility');
    }
    if (body.top_k !== undefined) throw new InvalidRequest('`top_k` must be unset when thinking is enabled.');
    const lastAssistant = messages.findLastIndex((turn) => turn.role === 'assistant');
    if (lastAssistant < 0) return;
    const blocks = blocksOf(messages[lastAssistant]!);
    const first = blocks[0];
    if (blocks.some((b) => b.type === 'tool_use') && first?.type !== 'thinking' && first?.type !== 'redacted_thinking') {
      throw new InvalidRequest(
        `messages.${lastAssistant}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${String(first?.type)}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block (preceeding the lastmost set of \`tool_use\` and \`tool_result\` blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, disable \`thinking\`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking`,
      );
    }
  }

  /** Each tool_result answers a tool_use of the turn just before, and each tool_use is answered in the turn after. */
  private checkToolPairing(messages: Turn[]): void {
    messages.forEach((turn, i) => {
      const previous = i > 0 && messages[i - 1]!.role === 'assistant' ? blocksOf(messages[i - 1]!) : [];
      const asked = previous.filter((b) => b.type === 'tool_use').map((b) => String(b.id));
      const answered = blocksOf(turn)
        .filter((b) => b.type === 'tool_result')
        .map((b) => String(b.tool_use_id));
      const stray = answered.filter((id) => !asked.includes(id));
      if (stray.length > 0) {
        throw new InvalidRequest(
          `messages.${i}.content.0: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${stray.join(', ')}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`,
        );
      }
      const unanswered = asked.filter((id) => !answered.includes(id));
      if (unanswered.length > 0) {
        throw new InvalidRequest(
          `messages.${i}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${unanswered.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`,
        );
      }
    });
  }

  /** Thinking sent back must be exactly what this fake issued: same text, its signature. */
  private checkThinkingBlocks(messages: Turn[]): void {
    messages.forEach((turn, i) => {
      blocksOf(turn).forEach((block, j) => {
        if (block.type === 'thinking') {
          if (turn.role !== 'assistant') throw new InvalidRequest(`messages.${i}.content.${j}: \`thinking\` blocks are only allowed in \`assistant\` messages.`);
          if (typeof block.signature !== 'string' || typeof block.thinking !== 'string') throw new InvalidRequest(`messages.${i}.content.${j}.signature: Field required`);
          if (block.signature !== this.sign(block.thinking)) throw new InvalidRequest(`messages.${i}.content.${j}: Invalid \`signature\` in \`thinking\` block`);
        } else if (block.type === 'redacted_thinking' && !this.issuedRedacted.has(String(block.data))) {
          throw new InvalidRequest(`messages.${i}.content.${j}: Invalid \`data\` in \`redacted_thinking\` block`);
        }
      });
    });
  }

  /** The fixture with each thinking block signed by this fake; untouched bytes when it has none. */
  private signedMessage(bytes: Buffer): Buffer {
    const message = JSON.parse(bytes.toString('utf8')) as Json;
    const content = Array.isArray(message.content) ? message.content : [];
    const thinking = content.filter((b): b is Json => isObject(b) && b.type === 'thinking');
    if (thinking.length === 0) return bytes;
    for (const block of thinking) block.signature = this.sign(String(block.thinking));
    return Buffer.from(JSON.stringify(message, null, 2));
  }

  /** The stream with each `signature_delta` replaced by this fake's signature of its block's thinking. */
  private signedStream(bytes: Buffer): Buffer {
    const thinking = new Map<number, string>();
    const out: string[] = [];
    const sse = new SseDecoder((message) => {
      let data = message.data;
      const event = JSON.parse(data) as Json;
      const delta = isObject(event.delta) ? event.delta : null;
      const index = Number(event.index);
      if (event.type === 'content_block_start' && isObject(event.content_block) && event.content_block.type === 'thinking') {
        thinking.set(index, String(event.content_block.thinking ?? ''));
      } else if (delta?.type === 'thinking_delta') {
        thinking.set(index, (thinking.get(index) ?? '') + String(delta.thinking));
      } else if (delta?.type === 'signature_delta') {
        delta.signature = this.sign(thinking.get(index) ?? '');
        data = JSON.stringify(event);
      }
      out.push(`${message.event ? `event: ${message.event}\n` : ''}data: ${data}\n\n`);
    });
    sse.feed(bytes);
    sse.end();
    return Buffer.from(out.join(''));
  }

  private sendErrorFixture(res: ServerResponse, status: number, extra: Record<string, string> = {}): void {
    const file = readdirSync(FIXTURES).find((f) => f.startsWith(`error-${status}-`) && f.endsWith('.json'));
    if (!file) return this.sendErrorBody(res, status, 'api_error', `status ${status}`, extra);
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': 'req_fake_1', ...extra });
    res.end(anthropicFixtureBytes(file));
  }

  private sendErrorBody(res: ServerResponse, status: number, type: string, message: string, extra: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': 'req_fake_1', ...extra });
    res.end(JSON.stringify({ type: 'error', error: { type, message }, request_id: 'req_fake_1' }));
  }

  private sendJson(res: ServerResponse, body: Buffer): void {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length), 'request-id': 'req_fake_1' });
    res.end(body);
  }

  /** Sends the SSE bytes in uneven pieces, a millisecond apart. */
  private async sendStream(res: ServerResponse, sse: Buffer): Promise<void> {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'request-id': 'req_fake_1' });
    res.flushHeaders();
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
}

import type { CanonicalOptions, CanonicalRequest } from '../../canonical/index.ts';
import type { ModelConfig } from '../../config/index.ts';
import { MoatError } from '../../errors/index.ts';
import { encodeAnthropicMessages, encodeCacheControl } from './encode-messages.ts';
import { planThinking } from './plan-thinking.ts';
import type { AnthropicRequestBody, AnthropicTool, AnthropicToolChoice } from './wire-types.ts';

/**
 * A canonical request → an Anthropic Messages body. https://docs.anthropic.com/en/api/messages
 *
 * What it drops or lowers is reported in `warnings` (sent as `x-moat-warnings`).
 * Refused (unsupported_parameter), because ignoring them would change the answer:
 * - `n` > 1 (one answer per request), `response_format` json_object/json_schema;
 * - `temperature` > 1 (Anthropic's range is 0..1, OpenAI's 0..2: no faithful rescaling);
 * - with thinking on, what the API refuses alongside it: `temperature` ≠ 1, `top_k`, `top_p` < 0.95,
 *   and forced tool use (`tool_choice` required or a named tool).
 *   https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking#feature-compatibility
 */
export function encodeAnthropicRequest(request: CanonicalRequest, upstreamModel: string, _model: ModelConfig, warnings: string[] = []): Buffer {
  const options = request.options;
  refuseInexpressible(options);
  const { maxTokens, budgetTokens } = planThinking(options, warnings);
  if (budgetTokens !== null) refuseWithThinking(options);
  const { system, messages } = encodeAnthropicMessages(request.messages, warnings);
  const tools = options.tools?.map(encodeTool) ?? [];
  const toolChoice = encodeToolChoice(options, tools.length > 0);
  // Members in the order of Anthropic's reference, which keeps bodies easy to read in logs and tests.
  const body: AnthropicRequestBody = {
    model: upstreamModel,
    max_tokens: maxTokens,
    ...(system.length > 0 ? { system } : {}),
    messages,
    ...(tools.length > 0 ? { tools } : {}),
    ...(toolChoice ? { tool_choice: toolChoice } : {}),
    ...(budgetTokens !== null ? { thinking: { type: 'enabled', budget_tokens: budgetTokens } } : {}),
    ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
    ...(options.topP !== undefined ? { top_p: options.topP } : {}),
    ...(options.topK !== undefined ? { top_k: options.topK } : {}),
    ...(options.stop && options.stop.length > 0 ? { stop_sequences: options.stop } : {}),
    ...(options.user !== undefined ? { metadata: { user_id: options.user } } : {}),
    ...(request.stream ? { stream: true } : {}),
  };
  return Buffer.from(JSON.stringify(body));
}

function refuseInexpressible(options: CanonicalOptions): void {
  if (options.n !== undefined && options.n > 1) {
    throw new MoatError('unsupported_parameter', 'Anthropic models return one answer per request; n must be 1.', { param: 'n' });
  }
  const format = options.responseFormat?.type;
  if (format === 'json_object' || format === 'json_schema') {
    throw new MoatError('unsupported_parameter', `response_format '${format}' is not supported for Anthropic models.`, { param: 'response_format' });
  }
  if (options.temperature !== undefined && options.temperature > 1) {
    throw new MoatError('unsupported_parameter', `temperature ${options.temperature} is out of range for Anthropic models, which take 0 to 1.`, { param: 'temperature' });
  }
}

function refuseWithThinking(options: CanonicalOptions): void {
  const refuse = (param: string, what: string): never => {
    throw new MoatError('unsupported_parameter', `Anthropic models cannot take ${what} while thinking; remove it or turn reasoning off.`, { param });
  };
  if (options.temperature !== undefined && options.temperature !== 1) refuse('temperature', `temperature ${options.temperature}`);
  if (options.topK !== undefined) refuse('top_k', 'top_k');
  if (options.topP !== undefined && options.topP < 0.95) refuse('top_p', `top_p below 0.95`);
  const choice = options.toolChoice?.type;
  if (choice === 'required' || choice === 'tool') refuse('tool_choice', 'a forced tool choice');
}

function encodeTool(tool: NonNullable<CanonicalOptions['tools']>[number]): AnthropicTool {
  return {
    name: tool.name,
    ...(tool.description !== undefined ? { description: tool.description } : {}),
    input_schema: (tool.parameters as AnthropicTool['input_schema'] | undefined) ?? { type: 'object', properties: {} },
    ...encodeCacheControl(tool.cacheControl),
  };
}

/**
 * OpenAI tool_choice → Anthropic: auto → auto, none → none, required → any, a function → tool.
 * `parallel_tool_calls: false` → `disable_parallel_tool_use: true` (on `auto` when no choice was given;
 * `none` calls no tool, so it needs none).
 */
function encodeToolChoice(options: CanonicalOptions, hasTools: boolean): AnthropicToolChoice | undefined {
  const serial = options.parallelToolCalls === false ? { disable_parallel_tool_use: true } : {};
  const choice = options.toolChoice;
  if (!choice) return hasTools && options.parallelToolCalls === false ? { type: 'auto', ...serial } : undefined;
  switch (choice.type) {
    case 'auto':
      return { type: 'auto', ...serial };
    case 'none':
      return { type: 'none' };
    case 'required':
      return { type: 'any', ...serial };
    case 'tool':
      return { type: 'tool', name: choice.name, ...serial };
  }
}

import type { CanonicalEvent } from '../canonical/index.ts';
import { reasoningTokenCounter, reasoningTokensFor } from '../veil/reasoning-tokens.ts';
import type { ChatWire } from './types.ts';

/**
 * Fills `usage.reasoningTokens` when the upstream reported none but sent reasoning text (self-hosted
 * servers often do): the reasoning is counted with the model's tokenizer (src/veil/reasoning-tokens.ts).
 * Applied where events are decoded, so the ledger and the client's usage agree.
 */
function fillingEmitter(emit: (event: CanonicalEvent) => void, modelName: string): (event: CanonicalEvent) => void {
  let reasoning = '';
  return (event) => {
    if (event.type === 'reasoning-delta') reasoning += event.text;
    if (event.type === 'usage' && event.usage.reasoningTokens === 0 && reasoning !== '') {
      const { usage } = event;
      emit({ type: 'usage', usage: { ...usage, reasoningTokens: reasoningTokensFor(0, usage.outputTokens, reasoning, reasoningTokenCounter(modelName)) } });
      return;
    }
    emit(event);
  };
}

export function withReasoningUsage(wire: ChatWire): ChatWire {
  return {
    ...wire,
    decodeResponse(body, model) {
      const out: CanonicalEvent[] = [];
      const emit = fillingEmitter((event) => out.push(event), model.name);
      for (const event of wire.decodeResponse(body, model)) emit(event);
      return out;
    },
    createStreamDecoder(emit, model) {
      return wire.createStreamDecoder(fillingEmitter(emit, model.name), model);
    },
  };
}

import type { CapacityGate, Slot } from '../capacity/index.ts';
import type { MoatError } from '../errors/index.ts';
import type { Call, Target } from './call.ts';
import { relayUpstream, type UpstreamRequest } from './relay-upstream.ts';

/** Waits for a slot; null when the client went away while it waited. */
async function waitForSlot(call: Call, gate: CapacityGate): Promise<Slot | null> {
  const left = new AbortController();
  const onClose = (): void => left.abort();
  call.res.once('close', onClose);
  if (call.outcome.clientClosed || call.res.destroyed) left.abort();
  try {
    const slot = await gate.acquire(call.capacity.ticket(call.key), left.signal);
    // The client may have gone in the moment between the grant and now.
    if (slot !== null && left.signal.aborted) {
      slot.release();
      return null;
    }
    return slot;
  } finally {
    call.res.off('close', onClose);
  }
}

async function relayHoldingSlot(call: Call, gate: CapacityGate, target: Target, request: UpstreamRequest): Promise<MoatError | null> {
  const slot = await waitForSlot(call, gate);
  if (slot === null) return null;
  try {
    return await relayUpstream(call, target, request);
  } finally {
    // relayUpstream settles once the upstream exchange is over: answered, failed, or cut by the client.
    slot.release();
  }
}

/**
 * Stage 5½, capacity (docs/capacity.md): for an upstream with `capacity`, the request holds one of
 * its slots from just before dispatch until the upstream exchange ends, waiting in the fair queue for
 * one if needed; `capacity_queue_full`, `capacity_queue_timeout` or `capacity_unavailable` (503 +
 * Retry-After) when it cannot get one. Other upstreams are relayed at once.
 */
export function relayWithinCapacity(call: Call, target: Target, request: UpstreamRequest): Promise<MoatError | null> {
  const gate = call.capacity.gate(target.provider.name);
  if (gate === undefined) return relayUpstream(call, target, request);
  return relayHoldingSlot(call, gate, target, request);
}

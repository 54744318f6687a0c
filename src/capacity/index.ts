export { CapacityGate } from './capacity-gate.ts';
export type { CapacityObserver, GateLimits, ShedReason, Slot } from './capacity-gate.ts';
export { CapacityRegistry } from './capacity-registry.ts';
export type { CapacityCaller, CapacityRegistryOptions } from './capacity-registry.ts';
export { FairQueue } from './fair-queue.ts';
export type { QueueEntry, QueueTicket } from './fair-queue.ts';
export { systemClock } from './clock.ts';
export type { Clock } from './clock.ts';

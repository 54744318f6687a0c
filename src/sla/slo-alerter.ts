import type { Objective, ObjectiveStatus } from './slo.ts';

export type AlertKind = 'slo_breached' | 'slo_still_breached' | 'slo_recovered';

export interface SloAlert {
  kind: AlertKind;
  upstream: string;
  objective: Objective;
  target: number;
  observed: number | null;
  windowMs: number;
  at: number;
}

interface ObjectiveState {
  breached: boolean;
  /** Whether this breach was announced (a breach within the cooldown of the last alert is not). */
  announced: boolean;
  lastAlertAt: number | null;
}

/**
 * Turns periodic SLO evaluations into alerts: one when a breach starts, a reminder every `cooldownMs`
 * while it lasts, one when an announced breach ends. A breach that starts again within the cooldown
 * of the last alert waits for the next reminder, so a flapping objective alerts at most once per
 * cooldown. `no_data` changes nothing. Pure state, no clock: the caller passes `now`.
 */
export class SloAlerter {
  private readonly states = new Map<string, ObjectiveState>();

  step(upstream: string, statuses: readonly ObjectiveStatus[], windowMs: number, now: number, cooldownMs: number): SloAlert[] {
    const alerts: SloAlert[] = [];
    for (const status of statuses) {
      if (status.status === 'no_data') continue;
      const key = `${upstream}\u0000${status.objective}`;
      let state = this.states.get(key);
      if (state === undefined) this.states.set(key, (state = { breached: false, announced: false, lastAlertAt: null }));
      const alert = (kind: AlertKind): void => {
        alerts.push({ kind, upstream, objective: status.objective, target: status.target, observed: status.observed, windowMs, at: now });
      };
      const cooled = state.lastAlertAt === null || now - state.lastAlertAt >= cooldownMs;
      if (status.status === 'breached') {
        if (!cooled) {
          state.breached = true;
          continue;
        }
        alert(state.breached && state.announced ? 'slo_still_breached' : 'slo_breached');
        state.breached = true;
        state.announced = true;
        state.lastAlertAt = now;
      } else if (state.breached) {
        if (state.announced) alert('slo_recovered');
        state.breached = false;
        state.announced = false;
      }
    }
    return alerts;
  }

  /** Drops the state of objectives no longer configured (`keep` holds `upstream\0objective` keys). */
  retain(keep: ReadonlySet<string>): void {
    for (const key of this.states.keys()) if (!keep.has(key)) this.states.delete(key);
  }

  isBreached(upstream: string, objective: Objective): boolean {
    return this.states.get(`${upstream}\u0000${objective}`)?.breached ?? false;
  }
}

import { getNextQueueWake } from './is-queue-frozen';
import type { MergeQueueStore } from './merge-queue-store';
import { processQueueEvent } from './process-queue-event';
import type { QueueEffect, QueueEvent, QueueNotice } from './queue-event';
import type { QueueRepository } from './queue-repository';
import type { QueueKey, QueueSettings, QueueState } from './queue-state';
import { runQueueEffect, type QueueLandingPolicy } from './run-queue-effect';

export interface MergeQueueDriverDeps {
  store: MergeQueueStore;
  now: () => Date;
  /** The Bitbucket port for the queue's repository (the tenant's installation client). */
  repositoryFor(key: QueueKey): Promise<QueueRepository>;
  /** Readiness against the current target, before landing: null when ready, else why not. */
  checkReady?: ((key: QueueKey, prId: number) => Promise<string | null>) | undefined;
  /**
   * Tells a PR what happened (sticky comment): queued, merged, ejected or dequeued with the reason.
   * `at`: when the transition that decided it was saved; notices are written in that order, not in
   * the order their jobs finish.
   */
  notify?: ((key: QueueKey, effect: Extract<QueueEffect, { type: 'notify' }>, at: Date) => Promise<void>) | undefined;
  /** The effective policy's strategy and source-branch closing for the queue's repository and branch; read once per handled event that builds or lands. */
  landingPolicy?: ((key: QueueKey) => Promise<QueueLandingPolicy>) | undefined;
  /** Settings of a queue created by its first event (policy defaults). */
  defaults?: ((key: QueueKey) => Partial<QueueSettings>) | undefined;
  sleep?: ((ms: number) => Promise<void>) | undefined;
}

export interface MergeQueueHandled {
  state: QueueState;
  /** Every event applied, the given one first, then what the effects answered. */
  events: QueueEvent[];
  effects: QueueEffect[];
  /** What the events said back (already queued, not queued…), for whoever asked. */
  notices: QueueNotice[];
  /** When to tick the queue for its clock (a freeze window starts or ends), or null. */
  wakeAt: Date | null;
  /** When the given event's transition was saved (a reply about it is stamped with it). */
  at: Date;
}

/**
 * Drives a queue: applies an event, runs the effects against Bitbucket, applies what they
 * answered, until the queue waits for something outside (CI, a person, the clock). CI results
 * arrive later as their own `ci-result` events. `resume` first repeats the effects of batches in
 * flight (a retried job, a worker that took over): a decision taken before a crash is carried out
 * under its id, never taken twice.
 */
export interface MergeQueueDriver {
  handle(key: QueueKey, event: QueueEvent, options?: { resume?: boolean }): Promise<MergeQueueHandled>;
}

export function createMergeQueueDriver(deps: MergeQueueDriverDeps): MergeQueueDriver {
  return {
    async handle(key, event, options = {}) {
      // Asked for only when an effect needs Bitbucket: a configure or a dequeue with nothing to build makes no call.
      let repository: QueueRepository | null = null;
      let landing: Promise<QueueLandingPolicy> | null = null;
      const landingPolicy = deps.landingPolicy ? () => (landing ??= deps.landingPolicy!(key)) : undefined;
      const inbox: QueueEvent[] = options.resume ? [{ type: 'resume' }, event] : [event];
      const events: QueueEvent[] = [];
      const effects: QueueEffect[] = [];
      const notices: QueueNotice[] = [];
      let state: QueueState | null = null;
      let at: Date | null = null;
      while (inbox.length > 0) {
        const next = inbox.shift()!;
        events.push(next);
        const t = await processQueueEvent(key, next, { store: deps.store, now: deps.now, defaults: deps.defaults?.(key) });
        state = t.state;
        if (next === event) at = t.at;
        notices.push(...t.notices);
        for (const effect of t.effects) {
          effects.push(effect);
          if (effect.type === 'notify') {
            await deps.notify?.(key, effect, t.at);
            continue;
          }
          const checkReady = deps.checkReady ? (prId: number) => deps.checkReady!(key, prId) : undefined;
          repository ??= await deps.repositoryFor(key);
          inbox.push(...(await runQueueEffect(key, effect, { repository, checkReady, landingPolicy, sleep: deps.sleep })));
        }
      }
      return { state: state!, events, effects, notices, wakeAt: getNextQueueWake(state!.settings, deps.now()), at: at ?? deps.now() };
    },
  };
}

import { Worker } from 'node:worker_threads';
import { AS_PLAIN_TEXT, WORKER_READY } from './worker-protocol.ts';

export type CountTokens = (text: string) => number;

/** A way to count tokens now, and whether it is the o200k_base tokenizer or the approximation. */
export interface TokenCounter {
  count: CountTokens;
  /** true: o200k_base (a `tokenizer` count); false: characters ÷ 4 (an `estimate`). */
  exact: boolean;
}

/** Where the tokenizer lives: not loaded, in this thread, or in a thread of its own. */
export type TokenizerPlace = 'none' | 'here' | 'thread';

let loaded: CountTokens | null = null;
let loading: Promise<CountTokens> | null = null;
let thread: { worker: Worker; control: Int32Array; ready: boolean } | null = null;

/** Longer than any count takes; a thread that has not answered by then is not waited for again. */
const THREAD_ANSWER_MS = 2_000;

/**
 * Loads the o200k_base tables in this thread: ~70 MB of RSS, and 120–400 ms during which the event
 * loop stands still. For configs that count every request (token limits, context windows, `<think>`
 * models), at start, before traffic (docs/metering.md).
 */
export function loadTokenCounter(): Promise<CountTokens> {
  loading ??= import('gpt-tokenizer/encoding/o200k_base').then((module) => {
    const count: CountTokens = (text) => module.countTokens(text, AS_PLAIN_TEXT);
    loaded = count;
    // A thread started earlier (before a config reload that counts every request) is not needed now.
    void thread?.worker.terminate();
    thread = null;
    return count;
  });
  return loading;
}

/**
 * OpenAI's rule of thumb for English text (~4 characters a token), for the moment before the
 * tokenizer has loaded. https://help.openai.com/en/articles/4936856-what-are-tokens-and-how-to-count-them
 */
export const approximateTokens: CountTokens = (text) => Math.ceil(text.length / 4);

/**
 * For counting synchronously (metering runs just before a response's last bytes): the tokenizer if it
 * is loaded here or in its thread; otherwise the approximation, and the tokenizer starts loading in a
 * thread of its own for the next request — a gateway that needs it only now and then (a client that
 * leaves mid-stream) does not stall every request in flight to load it.
 */
export function tokenCounterNow(): TokenCounter {
  if (loaded) return { count: loaded, exact: true };
  if (thread?.ready) return { count: countInThread, exact: true };
  // Loading here already (a config that counts every request): no second copy in a thread.
  if (loading === null) startThread();
  return { count: approximateTokens, exact: false };
}

/** Starts loading the tokenizer here, in the background (see `configNeedsTokenizer`). */
export function preloadTokenCounter(): void {
  void loadTokenCounter().catch(() => {
    // A failed load is retried on the next count; until then counts stay approximate.
    loading = null;
  });
}

/** Where counts are made now (for tests and diagnostics). */
export function tokenizerPlace(): TokenizerPlace {
  if (loaded) return 'here';
  return thread?.ready ? 'thread' : 'none';
}

/** Resolves once the tokenizer thread (started by a count) is ready, or at once if there is none. */
export function tokenizerThreadReady(): Promise<void> {
  const started = thread;
  if (started === null || started.ready) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => resolve();
    started.worker.once('message', done);
    started.worker.once('exit', done);
  });
}

function startThread(): void {
  if (thread !== null) return;
  const control = new Int32Array(new SharedArrayBuffer(8));
  const worker = new Worker(new URL('./tokenizer-worker.ts', import.meta.url), { workerData: control.buffer });
  const started = { worker, control, ready: false };
  thread = started;
  worker.once('message', (message) => {
    if (message === WORKER_READY) started.ready = true;
  });
  // A thread that fails or ends is started again by a later count.
  const forget = (): void => {
    if (thread === started) thread = null;
  };
  worker.once('error', forget);
  worker.once('exit', forget);
  // The thread alone must not keep a process alive.
  worker.unref();
}

/** Counts in the tokenizer thread, waiting for its answer; the approximation if none comes. */
function countInThread(text: string): number {
  const started = thread;
  if (started === null || !started.ready) return approximateTokens(text);
  Atomics.store(started.control, 0, 0);
  started.worker.postMessage(text);
  if (Atomics.wait(started.control, 0, 0, THREAD_ANSWER_MS) === 'timed-out') {
    started.ready = false;
    void started.worker.terminate();
    return approximateTokens(text);
  }
  const tokens = Atomics.load(started.control, 1);
  return tokens < 0 ? approximateTokens(text) : tokens;
}

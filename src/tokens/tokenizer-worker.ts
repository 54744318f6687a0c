import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { AS_PLAIN_TEXT, WORKER_READY } from './worker-protocol.ts';

/**
 * The o200k_base tokenizer in a thread of its own (token-counter.ts): loading its tables here leaves
 * the gateway's event loop running. Each message is a text; its count goes to slot 1 of the shared
 * control array, then slot 0 is set and the waiting caller is woken. A count that fails is -1.
 *
 * The thread first takes the lowest scheduling priority (on Linux a nice value is per thread). Where
 * the gateway has one core, as under the bench's `taskset`, the half second of loading otherwise took
 * turns with the event loop: stalls of up to 90 ms, and p99 latency of realistic streams at c = 64 up
 * by 30–140 ms in the seconds after the first client left mid-stream (docs/benchmarks.md, fifth session).
 * A caller waiting for a count is blocked, so the thread still gets the core when it is needed.
 */
try {
  setPriority(19);
} catch {
  // Not allowed here (some containers): the thread runs at the gateway's priority, as before.
}
const { countTokens } = await import('gpt-tokenizer/encoding/o200k_base');
const control = new Int32Array(workerData as SharedArrayBuffer);
parentPort!.on('message', (text: string) => {
  let tokens = -1;
  try {
    tokens = countTokens(text, AS_PLAIN_TEXT);
  } catch {
    // The caller approximates instead.
  }
  Atomics.store(control, 1, tokens);
  Atomics.store(control, 0, 1);
  Atomics.notify(control, 0);
});
parentPort!.postMessage(WORKER_READY);

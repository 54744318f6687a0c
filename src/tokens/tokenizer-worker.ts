import { parentPort, workerData } from 'node:worker_threads';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { AS_PLAIN_TEXT, WORKER_READY } from './worker-protocol.ts';

/**
 * The o200k_base tokenizer in a thread of its own (token-counter.ts): loading its tables here leaves
 * the gateway's event loop running. Each message is a text; its count goes to slot 1 of the shared
 * control array, then slot 0 is set and the waiting caller is woken. A count that fails is -1.
 */
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

import { describe, expect, it } from 'vitest';
import type { ResponseObserver } from '../providers/index.ts';
import { PassthroughSink } from './passthrough-sink.ts';

function recorder(): ResponseObserver & { seen: string } {
  return { seen: '', chunk(bytes) { this.seen += bytes.toString(); }, end() {}, body() {}, usage: null, sawFirstToken: false };
}

const text = (b: Buffer | null) => (b === null ? '' : b.toString());

describe('PassthroughSink', () => {
  it('holds the terminal event back until the stream ends, and keeps every byte in order', () => {
    const observer = recorder();
    const sink = new PassthroughSink(observer, { terminalMarker: 'data: [DONE]' });
    expect(text(sink.streamChunk(Buffer.from('data: {"a":1}\n\ndata: {"b":2}\n\ndata: [DO')))).toBe('data: {"a":1}\n\ndata: {"b":2}\n\n');
    expect(text(sink.streamChunk(Buffer.from('NE]\n\n')))).toBe('');
    expect(text(sink.streamEnd())).toBe('data: [DONE]\n\n');
    // The observer saw everything as it came, the terminal event included.
    expect(observer.seen).toBe('data: {"a":1}\n\ndata: {"b":2}\n\ndata: [DONE]\n\n');
  });

  it('ignores the marker inside an event, and keeps later bytes behind a held event', () => {
    const sink = new PassthroughSink(recorder(), { terminalMarker: 'event: message_stop' });
    const inside = 'event: content_block_delta\ndata: {"delta":{"text":"event: message_stop"}}\n\n';
    expect(text(sink.streamChunk(Buffer.from(inside)))).toBe(inside);
    expect(text(sink.streamChunk(Buffer.from('event: message_stop\ndata: {"type":"message_stop"}\n\n')))).toBe('');
    expect(text(sink.streamChunk(Buffer.from(': trailing comment\n\n')))).toBe('');
    expect(text(sink.streamEnd())).toBe('event: message_stop\ndata: {"type":"message_stop"}\n\n: trailing comment\n\n');
  });

  it('applies the client view before holding back', () => {
    const sink = new PassthroughSink(recorder(), { terminalMarker: 'data: [DONE]', clientView: (b) => Buffer.from(b.toString().replace('{"u":1}\n\n', '')) });
    expect(text(sink.streamChunk(Buffer.from('data: {"a":1}\n\n{"u":1}\n\ndata: [DONE]\n\n')))).toBe('data: {"a":1}\n\n');
    expect(text(sink.streamEnd())).toBe('data: [DONE]\n\n');
  });

  it('observes the bytes after handing them out, and catches up for anyone who asks before that', async () => {
    const observer = recorder();
    const sink = new PassthroughSink(observer, { terminalMarker: 'data: [DONE]' });
    expect(text(sink.streamChunk(Buffer.from('data: {"a":1}\n\n')))).toBe('data: {"a":1}\n\n');
    // Not yet observed: the write goes to the socket first.
    expect(observer.seen).toBe('');
    await Promise.resolve();
    expect(observer.seen).toBe('data: {"a":1}\n\n');
    sink.streamChunk(Buffer.from('data: {"b":2}\n\n'));
    // A reader in the same tick (the meter at the stream's end) sees every byte so far.
    void sink.usage;
    expect(observer.seen).toBe('data: {"a":1}\n\ndata: {"b":2}\n\n');
    sink.streamChunk(Buffer.from('data: {"c":3}\n\ndata: [DONE]\n\n'));
    sink.streamEnd();
    expect(observer.seen).toBe('data: {"a":1}\n\ndata: {"b":2}\n\ndata: {"c":3}\n\ndata: [DONE]\n\n');
    await Promise.resolve();
    // The queued observation found nothing left to do: nothing seen twice.
    expect(observer.seen).toBe('data: {"a":1}\n\ndata: {"b":2}\n\ndata: {"c":3}\n\ndata: [DONE]\n\n');
  });
});

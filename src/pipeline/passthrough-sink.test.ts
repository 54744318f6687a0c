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
});

import { Duplex, PassThrough } from 'node:stream';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { HeaderDeflater, HeaderInflater } from '../../../../practice/apiserver/portforward/header-compression.ts';
import { adler32, SPDY3_DICTIONARY } from '../../../../practice/apiserver/portforward/spdy-dictionary.ts';
import {
  decodeHeaderBlock,
  encodeControlFrame,
  encodeDataFrame,
  encodeHeaderBlock,
  FLAG_FIN,
  FRAME_TYPES,
  FrameReader,
  type SpdyFrame,
  uint32s,
} from '../../../../practice/apiserver/portforward/spdy-frames.ts';
import { SpdySession, type SpdyStream } from '../../../../practice/apiserver/portforward/spdy-session.ts';

// What kubectl's Go side does: one zlib stream with the SPDY dictionary, sync-flushed per block.
async function goStyleCompressor(): Promise<(block: Buffer) => Promise<Buffer>> {
  const deflate = zlib.createDeflate({ dictionary: SPDY3_DICTIONARY, level: 9 });
  const output: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => output.push(chunk));
  return (block) =>
    new Promise((resolve) => {
      deflate.write(block);
      deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => resolve(Buffer.concat(output.splice(0))));
    });
}

function clientPair(): { client: Duplex; server: Duplex; received: SpdyFrame[] } {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const server = Duplex.from({ readable: toServer, writable: toClient });
  const client = Duplex.from({ readable: toClient, writable: toServer });
  const reader = new FrameReader();
  const received: SpdyFrame[] = [];
  client.on('error', () => undefined);
  client.on('data', (chunk: Buffer) => received.push(...reader.push(chunk)));
  return { client, server, received };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('SPDY/3 framing', () => {
  it('builds the 1423-byte SPDY/3 dictionary whose Adler-32 is the DICTID Go expects', () => {
    expect(SPDY3_DICTIONARY.length).toBe(1423);
    expect(adler32(SPDY3_DICTIONARY).toString(16)).toBe('e3c6a7c2');
  });

  it('cuts frames out of bytes split anywhere', () => {
    const bytes = Buffer.concat([
      encodeDataFrame(3, FLAG_FIN, Buffer.from('hello')),
      encodeControlFrame(FRAME_TYPES.ping, 0, uint32s(1)),
    ]);
    const reader = new FrameReader();
    const frames = [...bytes].flatMap((byte) => reader.push(Buffer.from([byte])));
    expect(frames).toEqual([
      { kind: 'data', streamId: 3, flags: FLAG_FIN, payload: Buffer.from('hello') },
      { kind: 'control', version: 3, type: FRAME_TYPES.ping, flags: 0, payload: uint32s(1) },
    ]);
  });

  it('writes header blocks that a dictionary-aware zlib reads one sync flush at a time', () => {
    const deflater = new HeaderDeflater();
    const first = deflater.deflate(encodeHeaderBlock({ streamtype: 'error', port: '8080' }));
    const second = deflater.deflate(encodeHeaderBlock({}));
    const options = { dictionary: SPDY3_DICTIONARY, finishFlush: zlib.constants.Z_SYNC_FLUSH };
    expect(decodeHeaderBlock(zlib.inflateSync(first, options))).toEqual({ streamtype: 'error', port: '8080' });
    expect(zlib.inflateSync(Buffer.concat([first, second]), options)).toEqual(
      Buffer.concat([encodeHeaderBlock({ streamtype: 'error', port: '8080' }), encodeHeaderBlock({})]),
    );
    expect(second.subarray(-5)).toEqual(Buffer.from([0, 0, 0, 0xff, 0xff]));
  });

  it('reads header blocks compressed as kubectl compresses them, block after block', async () => {
    const compress = await goStyleCompressor();
    const inflater = new HeaderInflater();
    const first = await compress(encodeHeaderBlock({ streamtype: 'error', port: '2379', requestid: '0' }));
    const second = await compress(encodeHeaderBlock({ streamtype: 'data', port: '2379', requestid: '0' }));
    expect(decodeHeaderBlock(inflater.inflate(first))).toEqual({ streamtype: 'error', port: '2379', requestid: '0' });
    expect(decodeHeaderBlock(inflater.inflate(second))).toEqual({ streamtype: 'data', port: '2379', requestid: '0' });
  });
});

describe('SpdySession', () => {
  it('hands out streams, replies on request, carries data both ways with FIN, and answers pings', async () => {
    const { client, server, received } = clientPair();
    const session = new SpdySession(server);
    const streams: SpdyStream[] = [];
    session.on('stream', (stream) => {
      streams.push(stream);
      stream.reply();
      stream.on('data', (chunk: Buffer) => stream.end(chunk.toString().toUpperCase()));
    });
    const compress = await goStyleCompressor();
    const headers = await compress(encodeHeaderBlock({ streamtype: 'data', port: '80' }));
    client.write(
      encodeControlFrame(FRAME_TYPES.synStream, 0, Buffer.concat([uint32s(1, 0), Buffer.alloc(2), headers])),
    );
    client.write(encodeDataFrame(1, 0, Buffer.from('abc')));
    client.write(encodeControlFrame(FRAME_TYPES.ping, 0, uint32s(7)));
    await tick();
    expect(streams.map((stream) => [stream.id, stream.headers])).toEqual([[1, { streamtype: 'data', port: '80' }]]);
    const [reply, ...rest] = received;
    expect(reply).toMatchObject({ kind: 'control', type: FRAME_TYPES.synReply });
    const replyHeaders = new HeaderInflater().inflate((reply as { payload: Buffer }).payload.subarray(4));
    expect(decodeHeaderBlock(replyHeaders)).toEqual({});
    expect(rest).toEqual(
      expect.arrayContaining([
        { kind: 'data', streamId: 1, flags: 0, payload: Buffer.from('ABC') },
        { kind: 'data', streamId: 1, flags: FLAG_FIN, payload: Buffer.alloc(0) },
        { kind: 'control', version: 3, type: FRAME_TYPES.ping, flags: 0, payload: uint32s(7) },
      ]),
    );
    session.close();
  });

  it('ends a stream the client resets, and everything when the client goes away', async () => {
    const { client, server } = clientPair();
    const session = new SpdySession(server);
    const streams: SpdyStream[] = [];
    session.on('stream', (stream) => streams.push(stream));
    let closed = false;
    session.on('close', () => {
      closed = true;
    });
    const compress = await goStyleCompressor();
    for (const id of [1, 3]) {
      const headers = await compress(encodeHeaderBlock({ streamtype: 'data', port: '80' }));
      client.write(
        encodeControlFrame(FRAME_TYPES.synStream, 0, Buffer.concat([uint32s(id, 0), Buffer.alloc(2), headers])),
      );
    }
    client.write(encodeControlFrame(FRAME_TYPES.rstStream, 0, uint32s(1, 5)));
    await tick();
    expect(streams.map((stream) => stream.destroyed)).toEqual([true, false]);
    client.write(encodeControlFrame(FRAME_TYPES.goAway, 0, uint32s(0, 0)));
    await tick();
    expect(closed).toBe(true);
    expect(streams[1]?.destroyed).toBe(true);
  });
});

// The protocol units under `kubesim serve`'s streams: the WebSocket framer (RFC 6455) and the
// SPDY/3.1 codec with its zlib header dictionary, as kubectl's side (gorilla/websocket,
// moby/spdystream) writes and reads them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import zlib from 'node:zlib';

const require = createRequire(import.meta.url);
const { websocket: ws, spdy } = require('../dist/lib.cjs');

test('websocket: the accept key of RFC 6455 §1.3', () => {
  assert.equal(ws.acceptKey('dGhlIHNhbXBsZSBub25jZQ=='), 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
});

test('websocket: masked client frames of every length class round-trip, split anywhere', () => {
  for (const len of [0, 1, 125, 126, 65535, 65536, 70000]) {
    const payload = Buffer.alloc(len, 7);
    for (let i = 0; i < len; i++) payload[i] = i & 0xff;
    const wire = ws.encodeFrame(ws.OP.binary, payload, Buffer.from([1, 2, 3, 4]));
    const r = new ws.FrameReader();
    const cut = Math.floor(wire.length / 2);
    const frames = [...r.feed(wire.subarray(0, cut)), ...r.feed(wire.subarray(cut))];
    assert.equal(frames.length, 1, `len ${len}`);
    assert.equal(frames[0].opcode, ws.OP.binary);
    assert.ok(frames[0].fin);
    assert.deepEqual(frames[0].payload, payload);
  }
});

test('websocket: server frames are unmasked; two frames in one chunk', () => {
  const wire = Buffer.concat([ws.encodeFrame(ws.OP.binary, Buffer.from([1, 104, 105])), ws.encodeFrame(ws.OP.close, Buffer.from([3, 232]))]);
  assert.deepEqual([...wire.subarray(0, 2)], [0x82, 3]);
  const frames = new ws.FrameReader().feed(wire);
  assert.deepEqual(frames.map((f) => f.opcode), [ws.OP.binary, ws.OP.close]);
  assert.equal(frames[0].payload.toString('latin1'), '\x01hi');
});

test('spdy: the dictionary is the SPDY/3 one (1423 bytes, zlib dictionary id 0xe3c6a7c2)', () => {
  const d = spdy.spdyDictionary();
  assert.equal(d.length, 1423);
  assert.ok(d.subarray(0, 11).equals(Buffer.from('\x00\x00\x00\x07options', 'latin1')));
  // zlib writes the dictionary's adler32 after its header; a deflate with it names it
  const z = zlib.deflateSync(Buffer.from('x'), { dictionary: d });
  assert.equal(z.readUInt32BE(2), 0xe3c6a7c2);
});

/** kubectl's side: one deflate context with the dictionary, a sync flush after each header block. */
function clientCompressor() {
  const z = zlib.createDeflate({ dictionary: spdy.spdyDictionary(), level: 9 });
  const chunks = [];
  z.on('data', (c) => chunks.push(c));
  return (raw) =>
    new Promise((resolve) => {
      z.write(raw);
      z.flush(zlib.constants.Z_SYNC_FLUSH, () => resolve(Buffer.concat(chunks.splice(0))));
    });
}

function synStream(id, block, flags = 0) {
  const head = Buffer.alloc(10);
  head.writeUInt32BE(id, 0);
  return spdy.encodeControl(spdy.TYPE.synStream, flags, Buffer.concat([head, block]));
}

test('spdy: streams opened with compressed headers, replies, data, FIN and PING', async () => {
  const compress = clientCompressor();
  const out = [];
  const session = new spdy.SpdySession((b) => out.push(b));
  const opened = [];
  session.onStream = (s) => {
    opened.push(s);
    s.reply();
    s.onData = (d) => s.write(Buffer.from(d.toString().toUpperCase()));
    s.onEnd = () => s.end();
  };
  const h1 = { streamtype: 'error', port: '80', requestid: '0' };
  const h2 = { streamtype: 'data', port: '80', requestid: '0' };
  const wire = Buffer.concat([
    synStream(1, await compress(spdy.encodeHeaderBlock(h1))),
    synStream(3, await compress(spdy.encodeHeaderBlock(h2))),
    spdy.encodeData(3, 0, Buffer.from('get /')),
    spdy.encodeData(3, spdy.FLAG_FIN, Buffer.alloc(0)),
    spdy.encodeControl(spdy.TYPE.ping, 0, Buffer.from([0, 0, 0, 1])),
  ]);
  // byte by byte: the reader keeps partial frames
  for (let i = 0; i < wire.length; i += 7) session.feed(wire.subarray(i, i + 7));
  assert.deepEqual(opened.map((s) => [s.id, s.headers]), [[1, h1], [3, h2]]);
  const frames = new spdy.SpdyFrameReader().feed(Buffer.concat(out));
  const replies = frames.filter((f) => f.control && f.type === spdy.TYPE.synReply);
  assert.deepEqual(replies.map((f) => f.data.readUInt32BE(0)), [1, 3]);
  // the replies' header blocks are one zlib stream any reader (with or without the dictionary) inflates
  const blocks = Buffer.concat(replies.map((f) => f.data.subarray(4)));
  const raw = zlib.inflateSync(blocks, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  assert.deepEqual(raw, Buffer.concat([spdy.encodeHeaderBlock({}), spdy.encodeHeaderBlock({})]));
  // each block ends as a sync flush does (an empty stored block): Go's flate reader needs it to hand
  // out a stored block's bytes without reading past the frame
  for (const f of replies) assert.deepEqual([...f.data.subarray(-5)], [0, 0, 0, 0xff, 0xff]);
  const data = frames.filter((f) => !f.control);
  assert.deepEqual(data.map((f) => [f.streamId, f.flags, f.data.toString()]), [[3, 0, 'GET /'], [3, spdy.FLAG_FIN, '']]);
  const ping = frames.find((f) => f.control && f.type === spdy.TYPE.ping);
  assert.deepEqual([...ping.data], [0, 0, 0, 1]);
});

test('spdy: header blocks round-trip through the codec', () => {
  const w = new spdy.HeaderWriter();
  const h = { streamtype: 'stdout', 'x-long': 'v'.repeat(70000) };
  const z = Buffer.concat([w.compress(spdy.encodeHeaderBlock(h)), w.compress(spdy.encodeHeaderBlock({ a: 'b' }))]);
  const all = zlib.inflateSync(z, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  const first = spdy.encodeHeaderBlock(h);
  assert.deepEqual(spdy.decodeHeaderBlock(all.subarray(0, first.length)), h);
  assert.deepEqual(spdy.decodeHeaderBlock(all.subarray(first.length)), { a: 'b' });
});

test('websocket: the handshake picks the offered subprotocol; pings are answered, fragments reassembled, close echoed', async () => {
  const http = await import('node:http');
  const net = await import('node:net');
  const got = [];
  const server = http.createServer();
  server.on('upgrade', (req, socket, head) => {
    const conn = ws.upgradeWebSocket(req, socket, head, ['v5.channel.k8s.io', 'v4.channel.k8s.io']);
    if (!conn) return;
    conn.onMessage = (m) => {
      got.push(m.toString('latin1'));
      conn.send(Buffer.concat([Buffer.from([1]), m]));
    };
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  try {
    const sock = net.connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    sock.on('data', (d) => (buf = Buffer.concat([buf, d])));
    const waitFor = async (pred) => {
      for (let i = 0; i < 200 && !pred(); i++) await new Promise((r) => setTimeout(r, 10));
      assert.ok(pred(), buf.toString('latin1'));
    };
    sock.write('GET /x HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: v6.channel.k8s.io, v4.channel.k8s.io\r\n\r\n');
    await waitFor(() => buf.includes('\r\n\r\n'));
    const head = buf.toString('latin1', 0, buf.indexOf('\r\n\r\n'));
    assert.match(head, /^HTTP\/1\.1 101 Switching Protocols\r\n/);
    assert.match(head, /\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK\+xOo=/);
    assert.match(head, /\r\nSec-WebSocket-Protocol: v4\.channel\.k8s\.io/);
    buf = buf.subarray(buf.indexOf('\r\n\r\n') + 4);
    const mask = Buffer.from([9, 8, 7, 6]);
    // a message in two fragments with a ping between them, then a close
    sock.write(Buffer.concat([
      ws.encodeFrame(ws.OP.binary, Buffer.from('\x00hel', 'latin1'), mask, false),
      ws.encodeFrame(ws.OP.ping, Buffer.from('p1'), mask),
      ws.encodeFrame(ws.OP.cont, Buffer.from('lo'), mask, true),
    ]));
    const reader = new ws.FrameReader();
    const frames = [];
    await waitFor(() => (frames.push(...reader.feed(buf)), (buf = Buffer.alloc(0)), frames.length >= 2));
    assert.deepEqual(frames.map((f) => [f.opcode, f.payload.toString('latin1')]), [[ws.OP.pong, 'p1'], [ws.OP.binary, '\x01\x00hello']]);
    assert.deepEqual(got, ['\x00hello']);
    sock.write(ws.encodeFrame(ws.OP.close, Buffer.from([3, 232]), mask));
    await waitFor(() => (frames.push(...reader.feed(buf)), (buf = Buffer.alloc(0)), frames.length >= 3));
    assert.deepEqual([frames[2].opcode, [...frames[2].payload]], [ws.OP.close, [3, 232]]);
    sock.destroy();
  } finally {
    server.close();
  }
});

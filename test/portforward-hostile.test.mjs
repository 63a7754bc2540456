// Issue 12, port-forward: one hostile client cannot hang the forwarder, make it buffer a huge body
// or grow its memory; every other connection keeps being answered.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as net from 'node:net';
import * as http from 'node:http';
import { join } from 'node:path';
import { BIN, MANIFESTS, cluster } from './helpers.mjs';

const c = cluster({ seed: 'pf-hostile' });
after(() => c.cleanup());
c.ok(['create', '-f', join(MANIFESTS, 'nginx-pod.yaml')]);
c.at('2025-03-01T12:00:15Z'); // nginx has pulled (≈3.3 s): mypod runs

function within(promise, ms, what) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms)))]).finally(() => clearTimeout(timer));
}

/** port-forward pod/mypod :80 on 127.0.0.1; resolves with the child, its port and its output. */
async function forward() {
  const child = spawn(process.execPath, [BIN, 'port-forward', 'pod/mypod', ':80', '--address', '127.0.0.1'], {
    env: { ...process.env, KUBESIM_STATE: c.dir, KUBESIM_NOW: c.now, KUBESIM_SEED: 'pf-hostile', NO_COLOR: '1' },
  });
  const pf = { child, stdout: '', stderr: '', exited: new Promise((r) => child.on('exit', (code) => r(code))) };
  child.stdout.on('data', (d) => (pf.stdout += d));
  child.stderr.on('data', (d) => (pf.stderr += d));
  pf.port = await within(
    new Promise((resolve) => child.stdout.on('data', () => {
      const m = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(pf.stdout);
      if (m) resolve(Number(m[1]));
    })),
    15000,
    'port-forward to listen',
  );
  return pf;
}

/** Sends raw bytes; resolves with everything the server sent until it closed (or after ms). */
function raw(port, chunks, ms = 3000) {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    let got = '';
    const done = () => {
      clearTimeout(timer);
      sock.destroy();
      resolve({ got, closed });
    };
    let closed = false;
    const timer = setTimeout(done, ms);
    sock.on('data', (d) => (got += d.toString('latin1')));
    sock.on('error', () => undefined);
    sock.on('close', () => {
      closed = true;
      done();
    });
    sock.on('connect', () => {
      for (const ch of chunks) sock.write(ch);
    });
  });
}

function get(port, agent) {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      })
      .on('error', reject);
  });
}

const rss = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;

test('hostile requests get nginx\'s refusals and close; the forwarder goes on', { timeout: 60000 }, async () => {
  const pf = await forward();
  try {
    const cases = [
      ['Content-Length: abc', ['POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n'], /^HTTP\/1\.1 400 Bad Request\r\n/],
      ['two Content-Lengths that disagree', ['POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab'], /^HTTP\/1\.1 400 Bad Request\r\n/],
      ['a body over client_max_body_size (1m)', ['POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 104857600\r\n\r\n', Buffer.alloc(65536, 97)], /^HTTP\/1\.1 413 Request Entity Too Large\r\n/],
      ['a head over 64 KiB', [`GET / HTTP/1.1\r\nX: ${'a'.repeat(70000)}`], /^HTTP\/1\.1 400 Bad Request\r\n/],
    ];
    for (const [what, chunks, want] of cases) {
      const t0 = Date.now();
      const r = await raw(pf.port, chunks);
      assert.match(r.got, want, what);
      assert.ok(r.closed, `${what}: the connection is closed`);
      assert.ok(Date.now() - t0 < 2500, `${what}: answered in ${Date.now() - t0} ms`);
    }
    // a body under the limit is read (not kept) and the request answered: nginx refuses POST on a static file
    const body = Buffer.alloc(900 * 1024, 98);
    const ok = await raw(pf.port, [`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`, body]);
    assert.match(ok.got, /^HTTP\/1\.1 405 Not Allowed\r\n/);
    assert.equal(await get(pf.port), 200, 'the forwarder still answers');
    assert.doesNotMatch(pf.stderr, /MaxListenersExceededWarning|    at /, pf.stderr);
  } finally {
    pf.child.kill('SIGINT');
    assert.equal(await within(pf.exited, 10000, 'port-forward to exit'), 0);
  }
});

test('1,000 concurrent connections are all answered; memory stays flat over 10,000 requests in all; no listener leak', { timeout: 300000 }, async (t) => {
  const pf = await forward();
  try {
    // 1,000 clients at once, each on its own connection
    const t0 = Date.now();
    const codes = await within(Promise.all(Array.from({ length: 1000 }, () => get(pf.port, false))), 120000, '1,000 concurrent requests');
    assert.equal(codes.filter((c) => c === 200).length, 1000);
    t.diagnostic(`1,000 concurrent connections answered in ${Date.now() - t0} ms`);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const burst = async (n) => {
      for (let i = 0; i < n; i += 8) await Promise.all(Array.from({ length: 8 }, () => get(pf.port, agent)));
    };
    // V8's heap grows to its working size over the first thousands of requests (each reads and
    // writes the state), and the access log to its 1,000-line cap: measure after that
    await burst(2000);
    const before = rss(pf.child.pid);
    await burst(7000);
    const afterRss = rss(pf.child.pid);
    t.diagnostic(`RSS after 3,000 requests ${(before / 1e6).toFixed(1)} MB, after 10,000 ${(afterRss / 1e6).toFixed(1)} MB`);
    assert.ok(afterRss - before < 20e6, `RSS grew by ${((afterRss - before) / 1e6).toFixed(1)} MB over 7,000 requests`);
    assert.doesNotMatch(pf.stderr, /MaxListenersExceededWarning|    at /);
    agent.destroy();
  } finally {
    pf.child.kill('SIGINT');
    await within(pf.exited, 10000, 'port-forward to exit');
  }
});

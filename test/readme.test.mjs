// Every ```console block of README.md runs as a test and must print what the README shows.
//
// Each `$ ` line is run as a newcomer would type it: through sh, from the repository's root, with
// `kubesim` (or `npx kubesim`) meaning the built binary (a `kubesim` wrapper first on PATH, so pipes to grep or head
// work), `export VAR=…` and `cd` kept for the following lines (for the whole README, as one shell
// session keeps them), and one fresh state directory (KUBESIM_STATE) per `## ` section, so the
// blocks of one lab share a cluster in order. The lines after a command, up to the next `$ `, are
// what it must print (stdout and stderr as a terminal interleaves them), compared line by line:
// - a line `…` means "any further output": the lines before it must be the output's first lines;
// - blank lines at the end of an output are layout (they separate steps) and are not compared;
// - a command shown without output must only exit 0;
// - an error example (its first line is kubectl's, curl's or kubesim's error) must print exactly
//   those lines on stderr and nothing on stdout, exit as kubectl (1) or curl (the code it prints)
//   does, and leave the state directory as it was; any other command must exit 0.
//
// KUBESIM_README_UPDATE=1 rewrites the outputs in README.md with what the commands print (keeping
// each `…` truncation; commands shown without output and port-forward's lines are left alone): the
// way to regenerate the README's values after a change, instead of editing them by hand. Values in
// the command lines themselves (a node port to curl) still need editing to match.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BIN, ROOT, stateSnapshot } from './helpers.mjs';

const README = join(ROOT, 'README.md');
const UPDATE = process.env.KUBESIM_README_UPDATE === '1';
const ELLIPSIS = '…';
const ERROR_RE = /^(error: |Error: |Error from server|The \S+ "[^"]*" is invalid: |curl: \(\d+\) )/;

// Blocks outside the labs that continue a lab's cluster (the README says so next to them).
const STATE_OF_SECTION = {
  Reference: 'A first lab: expose a web server with a Service', // "Scripts copied from labs …, in the first lab's cluster"
};

// The commands that cannot run as a plain command line, and what the test does instead. Nothing
// else is skipped.
// - `kubesim port-forward …` runs until Ctrl-C: it is started in the background (as if in its own
//   terminal), its first lines compared with the README's, a `Handling connection for PORT` line
//   shown in the README is produced by connecting to PORT as the README's "other terminal" does
//   (an HTTP GET, whose answer is checked too), and it is stopped with SIGINT (exit 0) at the end of
//   the block. If the README's local port is taken on this machine, a free one is used in its place
//   (and in the expected lines). Without IPv6 on the machine the `[::1]` line is not expected.
//   test/portforward.test.mjs covers port-forward itself.
// - `redis-cli …` ("in another terminal") needs redis-cli, which is not a dependency: where it is not
//   installed the test sends the same command over RESP to the forwarded port and prints the reply
//   as redis-cli does (+OK → OK).
// - `kubesim serve …` and `kubesim dashboard …` run until Ctrl-C too: started in the background the same way, its first lines
//   compared, stopped with SIGINT at the end of the block; the `kubectl` lines after it are the real
//   kubectl (skipped with a printed reason where it is not installed).
const BACKGROUND = /^(npx )?kubesim (port-forward|serve|dashboard)\b/;
const hasKubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
const REDIS_CLI = /^redis-cli\b/;

const hasIPv6 = await new Promise((done) => {
  const s = net.createServer().once('error', () => done(false)).listen(0, '::1', () => s.close(() => done(true)));
});
const hasRedisCli = spawnSync('redis-cli', ['--version']).status === 0;

/** README.md → [{ section, line, lines, steps: [{ cmd, line, expected: [] }] }] in document order. */
export function parseReadme(text) {
  const lines = text.split('\n');
  const blocks = [];
  let section = '';
  let block = null;
  lines.forEach((l, i) => {
    if (block) {
      if (l.startsWith('```')) {
        blocks.push(block);
        block = null;
      } else if (l.startsWith('$ ')) {
        block.lines.push(l);
        block.steps.push({ cmd: l.slice(2), line: i + 1, expected: [] });
      } else {
        block.lines.push(l);
        assert.ok(block.steps.length > 0, `README.md:${i + 1}: output before the first "$ " line of a console block`);
        block.steps.at(-1).expected.push(l);
      }
    } else if (l.startsWith('## ')) section = l.slice(3).trim();
    else if (l.trim() === '```console') block = { section, line: i + 1, lines: [], steps: [] };
  });
  assert.equal(block, null, 'README.md: an unclosed console block');
  return blocks;
}

const trimEnd = (ls) => {
  const out = [...ls];
  while (out.length && out.at(-1).trim() === '') out.pop();
  return out;
};
const outLines = (s) => trimEnd(s.replace(/\n$/, '').split('\n'));

/** Does the actual output agree with the README's lines (`…` = any further output)? */
function agrees(expected, actual) {
  const cut = expected.indexOf(ELLIPSIS);
  if (cut === -1) return expected.length === actual.length && expected.every((l, i) => l === actual[i]);
  assert.equal(cut, expected.length - 1, `"${ELLIPSIS}" must be the last line of an output`);
  return actual.length >= cut && expected.slice(0, cut).every((l, i) => l === actual[i]);
}

function report(block, step, expected, actual, extra = '') {
  return [
    `README.md:${step.line} (console block at line ${block.line}, section "${block.section}") printed something else${extra}`,
    '--- block:',
    ...block.lines,
    '--- command:',
    `$ ${step.cmd}`,
    '--- expected:',
    ...expected,
    '--- actual:',
    ...actual,
    '---',
  ].join('\n');
}

/** `export A=1 B="x y"` → [['A','1'], ['B','x y']] (the forms the README uses: no expansion). */
function parseAssignments(text) {
  const rest = text.replace(/\s+#.*$/, '').trim();
  const words = rest.match(/[A-Za-z_]\w*=("[^"]*"|'[^']*'|[^\s"']*)(?=\s|$)/g) ?? [];
  assert.equal(words.join(' '), rest.replace(/\s+/g, ' '), `cannot read the assignments in "export ${text}"`);
  return words.map((w) => {
    const i = w.indexOf('=');
    return [w.slice(0, i), w.slice(i + 1).replace(/^(["'])(.*)\1$/, '$2')];
  });
}

/** One shell session over the whole README: its environment, working directory and state dirs. */
function session() {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KUBESIM_')));
  const bin = mkdtempSync(join(tmpdir(), 'kubesim-readme-bin-'));
  writeFileSync(join(bin, 'kubesim'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(join(bin, 'kubesim'), 0o755);
  const s = {
    // a home of its own: kubesim's kubeconfig (~/.kubesim/config) and kubectl's cache are the
    // session's, never the developer's
    env: { ...base, HOME: bin, PATH: `${bin}:${base.PATH ?? '/usr/bin:/bin'}`, NO_COLOR: '1' },
    cwd: ROOT,
    states: new Map(),
    dirs: [bin],
    state(key) {
      if (!s.states.has(key)) {
        const d = mkdtempSync(join(tmpdir(), 'kubesim-readme-'));
        s.dirs.push(d);
        s.states.set(key, d);
      }
      return s.states.get(key);
    },
    cleanup() {
      for (const d of s.dirs) rmSync(d, { recursive: true, force: true });
    },
  };
  return s;
}

const shellCommand = (cmd) => cmd.replace(/\bnpx kubesim\b/g, 'kubesim');

function portFree(port) {
  return new Promise((done) => {
    const srv = net.createServer().once('error', () => done(false)).listen(port, '127.0.0.1', () => srv.close(() => done(true)));
  });
}
function freePort() {
  return new Promise((done) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => done(port));
    });
  });
}
function within(promise, ms, what) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)))]).finally(() => clearTimeout(timer));
}
async function until(check, ms, what) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
function httpGet(port) {
  return new Promise((done, fail) => {
    http.get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => done({ status: res.statusCode, body }));
    }).on('error', fail);
  });
}

/** Sends one command over RESP and renders the reply as redis-cli does when its output is not a tty. */
function respCommand(port, args) {
  return new Promise((done, fail) => {
    const sock = net.connect(port, '127.0.0.1');
    let buf = '';
    sock.on('data', (d) => {
      buf += d;
      const m = /^([+\-:])(.*)\r\n/.exec(buf) ?? /^\$(-1)\r\n/.exec(buf) ?? /^\$(\d+)\r\n/.exec(buf);
      if (!m) return;
      let text;
      if (m[1] === '+' || m[1] === ':') text = m[2];
      else if (m[1] === '-') text = `(error) ${m[2]}`;
      else if (m[1] === '-1') text = '';
      else {
        const n = Number(m[1]);
        if (buf.length < m[0].length + n + 2) return;
        text = buf.slice(m[0].length, m[0].length + n);
      }
      sock.end();
      done(`${text}\n`);
    });
    sock.on('error', fail);
    sock.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
  });
}

/** Runs one block's steps in order; background port-forwards end with the block. */
async function runBlock(s, block, stateDir, updates) {
  const background = []; // the port-forwards: { child, stdout, stderr, exited }
  const portMap = new Map(); // a local port of the README → the one used here
  let failed = true;
  try {
    for (const step of block.steps) {
      const expectedAll = trimEnd(step.expected);
      const cmd = step.cmd.replace(/\s+#[^'"]*$/, '').trim(); // the README's trailing comments
      const env = { ...s.env, KUBESIM_STATE: stateDir };

      if (cmd.startsWith('export ')) {
        for (const [k, v] of parseAssignments(cmd.slice(7))) s.env[k] = v.replace(/^~(?=\/|$)/, s.env.HOME); // sh expands a leading ~
        assert.deepEqual(expectedAll, [], `README.md:${step.line}: export prints nothing`);
        continue;
      }
      if (/^cd(\s|$)/.test(cmd)) {
        s.cwd = resolve(s.cwd, cmd.slice(2).trim() || ROOT);
        continue;
      }

      if (/^kubectl\b/.test(cmd) && !hasKubectl) {
        console.log(`README.md:${step.line}: skipped: kubectl is not installed on this machine`);
        continue;
      }

      if (BACKGROUND.test(cmd)) {
        const args = cmd.replace(/^npx /, '').split(/\s+/).slice(1);
        let expected = expectedAll.filter((l) => hasIPv6 || !l.startsWith('Forwarding from [::1]'));
        // the README's local ports, moved to free ones where this machine uses them
        const servePort = args[0] === 'serve' || args[0] === 'dashboard' ? args[args.indexOf('--port') + 1] : undefined;
        if (servePort && servePort !== '0' && !portMap.has(servePort)) portMap.set(servePort, (await portFree(Number(servePort))) ? servePort : String(await freePort()));
        for (const a of args) {
          const m = /^(\d+):/.exec(a);
          if (m && !portMap.has(m[1])) portMap.set(m[1], (await portFree(Number(m[1]))) ? m[1] : String(await freePort()));
        }
        const realArgs = args.map((a, i) => (servePort && args[i - 1] === '--port' ? portMap.get(a) ?? a : a.replace(/^(\d+):/, (_, p) => `${portMap.get(p)}:`)));
        const mapLine = (l) => l.replace(/(127\.0\.0\.1:|\[::1\]:|connection for )(\d+)/g, (_, pre, p) => `${pre}${portMap.get(p) ?? p}`);
        expected = expected.map(mapLine);
        const child = spawn(process.execPath, [BIN, ...realArgs], { cwd: s.cwd, env });
        const bg = { child, stdout: '', stderr: '', exited: new Promise((r) => child.on('exit', (code, signal) => r({ code, signal }))) };
        child.stdout.on('data', (d) => (bg.stdout += d));
        child.stderr.on('data', (d) => (bg.stderr += d));
        background.push(bg);
        const lines = () => bg.stdout.split('\n').slice(0, -1);
        // port-forward: its "Forwarding from" lines; serve: the lines shown before "…"
        const forwarding = servePort ? Math.max(0, expected.indexOf(ELLIPSIS)) || expected.length : expected.filter((l) => l.startsWith('Forwarding from ')).length;
        let dead = false;
        bg.exited.then(() => (dead = true));
        await until(() => dead || lines().length >= forwarding, 15000, `"${step.cmd}" to listen`);
        // the README's "other terminal": a connection to each port the README shows one for
        for (const l of expected.slice(forwarding)) {
          const m = /^Handling connection for (\d+)$/.exec(l);
          if (!m || dead) continue;
          const res = await within(httpGet(Number(m[1])), 15000, `an answer on port ${m[1]}`);
          assert.equal(res.status, 200, `README.md:${step.line}: curl localhost:${m[1]} through "${step.cmd}" answered ${res.status}`);
          if (/nginx/.test(step.cmd)) assert.match(res.body, /Welcome to nginx!/, 'the README: curl localhost:PORT prints nginx\'s welcome page');
          await until(() => dead || lines().length >= expected.length, 15000, `"${step.cmd}" to print "${l}"`);
        }
        const actual = lines().slice(0, expected.length);
        if (!agrees(expected, actual) || dead) assert.fail(report(block, step, expected, dead ? [...lines(), ...outLines(bg.stderr)] : actual, dead ? ' (and exited)' : ''));
        continue;
      }

      if (REDIS_CLI.test(cmd) && !hasRedisCli) {
        const args = cmd.split(/\s+/).slice(1);
        assert.equal(args[0], '-p', `README.md:${step.line}: the test's redis-cli stand-in takes "redis-cli -p PORT CMD…"`);
        const port = Number(portMap.get(args[1]) ?? args[1]);
        const out = await within(respCommand(port, args.slice(2)), 15000, `redis on port ${port}`);
        const actual = outLines(out);
        if (UPDATE) updates.set(step, actual);
        else if (!agrees(expectedAll, actual)) assert.fail(report(block, step, expectedAll, actual));
        continue;
      }

      let line = shellCommand(step.cmd);
      if (REDIS_CLI.test(cmd)) line = line.replace(/^redis-cli -p (\d+)/, (_, p) => `redis-cli -p ${portMap.get(p) ?? p}`);
      const isError = expectedAll.length > 0 && ERROR_RE.test(expectedAll[0]);
      const before = isError ? stateSnapshot(stateDir) : undefined;
      const r = spawnSync('sh', ['-c', isError ? line : `{ ${line}\n} 2>&1`], { cwd: s.cwd, env, encoding: 'utf8', timeout: 120000 });
      const out = r.stdout + (isError ? '' : r.stderr);
      if (expectedAll.length === 0) {
        assert.equal(r.status, 0, `README.md:${step.line}: "${step.cmd}" exited ${r.status ?? r.signal}:\n${out}${r.stderr}`);
        continue;
      }
      if (isError) {
        const actual = [...(r.stdout ? ['(stdout:)', ...outLines(r.stdout), '(stderr:)'] : []), ...outLines(r.stderr)];
        if (UPDATE && r.status !== 0) updates.set(step, outLines(r.stderr));
        else if (!agrees(expectedAll, actual)) assert.fail(report(block, step, expectedAll, actual));
        // kubectl exits 1 on an error, curl with the code it prints; a mistake changes nothing
        const code = Number(/^curl: \((\d+)\)/.exec(expectedAll[0])?.[1] ?? 1);
        assert.equal(r.status, code, `README.md:${step.line}: the error example "${step.cmd}" exited ${r.status ?? r.signal}, not ${code}`);
        assert.deepEqual(stateSnapshot(stateDir), before, `README.md:${step.line}: the error example "${step.cmd}" changed the state`);
        continue;
      }
      const actual = outLines(out);
      if (UPDATE && r.status === 0) updates.set(step, actual);
      else if (!agrees(expectedAll, actual)) assert.fail(report(block, step, expectedAll, actual, r.status ? ` (exit ${r.status})` : ''));
      assert.equal(r.status, 0, `README.md:${step.line}: "${step.cmd}" printed what the README shows but exited ${r.status ?? r.signal}`);
    }
    failed = false;
  } finally {
    // Ctrl-C in each port-forward's terminal: it stops with exit 0 (checked unless the block failed)
    for (const bg of background) {
      bg.child.kill('SIGINT');
      const end = await Promise.race([bg.exited, new Promise((r) => setTimeout(() => r(null), 10000))]);
      if (end === null) bg.child.kill('SIGKILL');
      if (!failed) assert.deepEqual(end, { code: 0, signal: null }, `a background command did not stop with exit 0 on SIGINT: ${bg.stderr}`);
    }
  }
}

/** The README with each updated step's output replaced (truncation and layout blank lines kept). */
function rewrite(text, updates) {
  const lines = text.split('\n');
  const edits = [...updates].sort((a, b) => b[0].line - a[0].line);
  for (const [step, actual] of edits) {
    const body = trimEnd(step.expected); // the blank lines after it stay
    const cut = body.indexOf(ELLIPSIS);
    const next = cut === -1 ? actual : [...actual.slice(0, cut), ELLIPSIS];
    lines.splice(step.line, body.length, ...next);
  }
  return lines.join('\n');
}

const text = readFileSync(README, 'utf8');
const blocks = parseReadme(text);
const groups = new Map(); // `## ` section → { key: its state's, blocks }, in document order
for (const b of blocks) {
  const key = STATE_OF_SECTION[b.section] ?? b.section;
  if (!groups.has(b.section)) groups.set(b.section, { key, blocks: [] });
  groups.get(b.section).blocks.push(b);
}

test('README console blocks', async (t) => {
  assert.ok(blocks.length >= 8, `README.md has ${blocks.length} console blocks`);
  const s = session();
  const updates = new Map();
  try {
    for (const [section, g] of groups) {
      await t.test(section, async (st) => {
        let failed = false; // the blocks of a lab build on each other: after a failure the rest are skipped
        for (const b of g.blocks) {
          await st.test(`console block at README.md:${b.line}`, { skip: failed && 'an earlier block of this section failed' }, async () => {
            try {
              await runBlock(s, b, s.state(g.key), updates);
            } catch (e) {
              failed = true;
              throw e;
            }
          });
        }
      });
    }
  } finally {
    s.cleanup();
  }
  if (UPDATE && rewrite(text, updates) !== text) {
    writeFileSync(README, rewrite(text, updates));
    t.diagnostic(`README.md: outputs rewritten from ${updates.size} commands`);
  }
});

test('the files the README names exist', () => {
  const named = new Set(text.match(/\bmanifests\/[\w./-]+\.ya?ml\b/g) ?? []);
  for (const b of blocks) for (const st of b.steps) for (const m of st.cmd.matchAll(/\s-f[ =](\S+)/g)) if (m[1] !== '-') named.add(m[1]); // (-f - is stdin)
  for (const m of text.matchAll(/^\| `([\w.-]+\.ya?ml)` \|/gm)) named.add(`manifests/${m[1]}`); // the table of manifests
  assert.ok(named.size >= 10, `only ${[...named]}`);
  assert.deepEqual([...named].filter((f) => !existsSync(join(ROOT, f))), []);
});

test('the commands run in a special way are in the README (the list stays as short as it can be)', () => {
  const cmds = blocks.flatMap((b) => b.steps.map((st) => st.cmd));
  for (const re of [BACKGROUND, REDIS_CLI]) assert.ok(cmds.some((c) => re.test(c)), `no README command matches ${re}: drop it from the list`);
});

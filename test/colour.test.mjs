// Colour only on a terminal: never through a pipe, with NO_COLOR, or in -o formats and tables.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { BIN, cluster } from './helpers.mjs';

const c = cluster({ seed: 'colour' });
after(() => c.cleanup());

function onTerminal(cmd, env = {}) {
  // `script` runs the command on a pseudo-terminal
  return spawnSync('script', ['-qc', cmd, '/dev/null'], { encoding: 'utf8', env: { ...process.env, KUBESIM_STATE: c.dir, ...env, NO_COLOR: env.NO_COLOR ?? '' } });
}

test('cluster-info is coloured on a terminal only', (t) => {
  if (spawnSync('script', ['-qc', 'true', '/dev/null']).status !== 0) {
    t.skip('`script` is not available to provide a terminal');
    return;
  }
  const tty = onTerminal(`${process.execPath} ${BIN} cluster-info`, { NO_COLOR: '' });
  assert.match(tty.stdout, /\x1b\[32mKubernetes control plane\x1b\[39m is running at \x1b\[33mhttps:\/\/192\.168\.49\.2:6443\x1b\[39m/);
  const noColor = onTerminal(`NO_COLOR=1 ${process.execPath} ${BIN} cluster-info`);
  assert.ok(!noColor.stdout.includes('\x1b['));
  assert.ok(!c.ok(['cluster-info']).includes('\x1b['), 'a pipe gets no colour');
  const table = onTerminal(`${process.execPath} ${BIN} get nodes`);
  assert.ok(!table.stdout.includes('\x1b['), 'tables are never coloured');
});

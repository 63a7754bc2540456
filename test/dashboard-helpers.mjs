// `kubesim dashboard` for tests: the built binary on a free loopback port over a test cluster's
// state, with the test's clock and seed. Always stop it (after hook): a leaked server hangs the suite.
import { spawn } from 'node:child_process';
import { BIN } from './helpers.mjs';

/** Starts `kubesim dashboard --port 0` for cluster c; resolves to { url, child, output(), stop(signal) }. */
export async function startDashboard(c, extra = []) {
  const env = { ...process.env, KUBESIM_STATE: c.dir, KUBESIM_CONFIG: `${c.dir}.kubeconfig`, KUBESIM_NOW: c.now, KUBESIM_SEED: 'dashboard', NO_COLOR: '1' };
  const child = spawn(process.execPath, [BIN, 'dashboard', '--port', '0', ...extra], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dashboard did not start: ${out}${err}`)), 15000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`dashboard exited ${code}: ${out}${err}`));
    });
  });
  return {
    url,
    child,
    output: () => out + err,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const done = new Promise((r) => child.once('exit', (code) => r(code)));
      child.kill(signal);
      return done;
    },
  };
}

/** A small cluster: 3 nodes, Deployment web (3 pods) behind a NodePort Service, Deployment db behind a ClusterIP one. */
export function smallCluster(cluster) {
  const c = cluster({ seed: 'dashboard', init: [] });
  c.ok(['create', 'deployment', 'web', '--image=nginx', '--replicas=3']);
  c.ok(['expose', 'deployment', 'web', '--port=80', '--type=NodePort']);
  c.ok(['create', 'deployment', 'db', '--image=redis']);
  c.ok(['expose', 'deployment', 'db', '--port=6379']);
  c.at('2025-03-01T12:01:00Z');
  c.ok(['get', 'pods']); // the kubelets start the containers
  return c;
}

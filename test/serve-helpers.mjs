// `kubesim serve` for tests: the built binary on a free loopback port over a test cluster's state,
// and the real kubectl pointed at it through the kubeconfig serve writes (never ~/.kube/config; the
// discovery cache in a temp dir too). Always stop it (after hook): a leaked server hangs the suite.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { BIN } from './helpers.mjs';

/** Starts `kubesim serve --port 0` for cluster c; resolves to { url, kubeconfig, kubectl(args, opts), stop() }. */
export async function startServe(c, extra = []) {
  const env = { ...process.env, KUBESIM_STATE: c.dir, KUBESIM_CONFIG: `${c.dir}.kubeconfig`, KUBESIM_NOW: c.now, KUBESIM_SEED: 'serve', NO_COLOR: '1' };
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...extra], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}${err}`)), 15000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /at (http\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited ${code}: ${out}${err}`));
    });
  });
  const kubeconfig = `${c.dir}.kubeconfig-serve`;
  const cache = `${c.dir}.kubecache`;
  const s = {
    url,
    kubeconfig,
    child,
    output: () => out,
    /** the real kubectl against the server: { stdout, stderr, code } */
    kubectl(args, opts = {}) {
      const r = spawnSync('kubectl', args, { encoding: 'utf8', input: opts.input, env: { ...process.env, KUBECONFIG: kubeconfig, KUBECACHEDIR: cache, HOME: cache } });
      return { stdout: r.stdout, stderr: r.stderr, code: r.status };
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const done = new Promise((r) => child.once('exit', (code) => r(code)));
      child.kill(signal);
      const code = await done;
      rmSync(cache, { recursive: true, force: true });
      rmSync(kubeconfig, { force: true });
      return code;
    },
    running: () => existsSync(`${c.dir}/serve.json`),
  };
  return s;
}

export function hasKubectl() {
  return spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
}

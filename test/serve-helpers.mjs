// `kubesim serve` for tests: the built binary on a free loopback port over a test cluster's state,
// and the real kubectl pointed at it through the kubeconfig serve writes (never ~/.kube/config; the
// discovery cache in a temp dir too). Always stop it (after hook): a leaked server hangs the suite.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { BIN } from './helpers.mjs';

/**
 * Starts `kubesim <verb> --port 0` (serve, dashboard) for cluster c with the test's clock and the
 * given seed; resolves once it prints the address it listens at, to { url, child, out(), err(), stop(signal) }.
 */
export async function startServer(c, verb, seed, extra = []) {
  const env = { ...process.env, KUBESIM_STATE: c.dir, KUBESIM_CONFIG: `${c.dir}.kubeconfig`, KUBESIM_NOW: c.now, KUBESIM_SEED: seed, NO_COLOR: '1' };
  const child = spawn(process.execPath, [BIN, verb, '--port', '0', ...extra], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${verb} did not start: ${out}${err}`)), 15000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /at (https?:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${verb} exited ${code}: ${out}${err}`));
    });
  });
  return {
    url,
    child,
    out: () => out,
    err: () => err,
    /** SIGTERM (or signal) and its exit code; the exit code at once when it has exited already */
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const done = new Promise((r) => child.once('exit', (code) => r(code)));
      child.kill(signal);
      return done;
    },
  };
}

/** Starts `kubesim serve --port 0` for cluster c; resolves to { url, kubeconfig, kubectl(args, opts), stop() }. */
export async function startServe(c, extra = []) {
  const server = await startServer(c, 'serve', 'serve', extra);
  const kubeconfig = `${c.dir}.kubeconfig-serve`;
  const cache = `${c.dir}.kubecache`;
  const s = {
    url: server.url,
    kubeconfig,
    child: server.child,
    output: server.out,
    /** the real kubectl against the server: { stdout, stderr, code } */
    kubectl(args, opts = {}) {
      const r = spawnSync('kubectl', args, { encoding: 'utf8', input: opts.input ?? '', env: { ...process.env, KUBECONFIG: kubeconfig, KUBECACHEDIR: cache, HOME: cache } });
      return { stdout: r.stdout, stderr: r.stderr, code: r.status };
    },
    async stop(signal = 'SIGTERM') {
      if (server.child.exitCode !== null || server.child.signalCode !== null) return server.child.exitCode;
      const code = await server.stop(signal);
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

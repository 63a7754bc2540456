// The issue-18 figures of the real kubectl through `kubesim serve` (bench/run.mjs calls these):
//   - a timed row: `kubectl get pods -n <ns>` through serve on a copy of the small state, beside
//     kubesim's own `get pods -n <ns>` on the small state (row get-pods-ns-small);
//   - once, after the rounds: 1,000 creates from one kubectl script through serve (a shell script of
//     1,000 `kubectl create configmap cN --from-literal=a=b` lines, the issue's form), as creates per
//     second of wall time, and the same 1,000 ConfigMaps from one `kubectl create -f`.
// The server runs on a copy of the small state, so its presence changes no other row's figures; its
// kubeconfig is beside the copy (never the user's ~/.kube/config or ~/.kubesim/config).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const CREATES = 1000;

/** Starts `kubesim serve --port 0` on a copy of stateDir; resolves to { dir, kubeconfig, env, stop() }. */
export async function startServed(bin, stateDir, baseEnv) {
  const dir = `${stateDir}-serve`;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(stateDir, dir, { recursive: true });
  const env = { ...baseEnv, KUBESIM_STATE: dir, KUBESIM_CONFIG: `${dir}.kubeconfig` };
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`kubesim serve did not start: ${out}`)), 60_000);
    child.stdout.on('data', (d) => {
      out += d;
      if (/at https?:\/\//.test(out)) resolve(clearTimeout(timer));
    });
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => reject(new Error(`kubesim serve exited ${code}: ${out}`)));
  });
  const { kubeconfig } = JSON.parse(fs.readFileSync(path.join(dir, 'serve.json'), 'utf8'));
  const cache = `${dir}.kubecache`;
  return {
    dir,
    kubeconfig,
    // the discovery cache kept between runs, as a user's ~/.kube/cache is
    env: { ...process.env, KUBECONFIG: kubeconfig, KUBECACHEDIR: cache, HOME: cache },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const done = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await done;
      }
      for (const p of [dir, cache, `${dir}.kubeconfig`, kubeconfig]) fs.rmSync(p, { recursive: true, force: true });
    },
  };
}

/** The timed row: the real kubectl's `get pods -n ns` through the server. */
export function serveRows(kubectl, served, ns, expectLines) {
  return [
    {
      id: 'kubectl-get-pods-serve-small',
      label: `kubectl get pods -n ${ns} through serve (small)`,
      short: 'kubectl through serve',
      argv: [kubectl, 'get', 'pods', '-n', ns],
      env: served.env,
      expectLines,
      target: undefined,
    },
  ];
}

/**
 * Once: 1,000 creates from one kubectl script through the server (creates per second of wall time),
 * and 1,000 ConfigMaps from one `kubectl create -f`. Returns { script, file } figures for the report.
 */
export function createFigures(kubectl, served, work, count = CREATES) {
  const ns = 'bench-creates';
  spawnSync(kubectl, ['create', 'namespace', ns], { env: served.env });
  const script = path.join(work, 'creates.sh');
  const lines = ['set -e'];
  for (let i = 0; i < count; i++) lines.push(`${kubectl} create configmap c${i} -n ${ns} --from-literal=a=b >/dev/null`);
  fs.writeFileSync(script, `${lines.join('\n')}\n`);
  let t0 = performance.now();
  let r = spawnSync('bash', [script], { env: served.env, encoding: 'utf8', maxBuffer: 1 << 26 });
  const scriptMs = performance.now() - t0;
  const scriptError = r.status !== 0 ? (r.stderr ?? '').trim().split('\n').slice(-3).join(' | ') : undefined;

  const file = path.join(work, 'creates.yaml');
  fs.writeFileSync(file, Array.from({ length: count }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: f${i}\n  namespace: ${ns}\ndata:\n  a: b\n`).join('---\n'));
  t0 = performance.now();
  r = spawnSync(kubectl, ['create', '-f', file], { env: served.env, encoding: 'utf8', maxBuffer: 1 << 26 });
  const fileMs = performance.now() - t0;
  const fileError = r.status !== 0 ? (r.stderr ?? '').trim().split('\n').slice(-3).join(' | ') : undefined;
  const stored = spawnSync(kubectl, ['get', 'configmaps', '-n', ns, '-o', 'name'], { env: served.env, encoding: 'utf8', maxBuffer: 1 << 26 }).stdout.split('\n').filter((l) => /^configmap\/[cf]\d+$/.test(l)).length;
  return {
    creates: count,
    stored,
    script: { ms: scriptMs, perSecond: (count / scriptMs) * 1000, error: scriptError },
    file: { ms: fileMs, perSecond: (count / fileMs) * 1000, error: fileError },
  };
}

/** The figures as the report prints them. */
export function printCreateFigures(f) {
  const line = (what, x) => `  ${what}: ${x.error ? `FAILED: ${x.error}` : `${Math.round(x.ms)} ms, ${x.perSecond.toFixed(1)} creates/s`}`;
  console.log(`\nkubectl through kubesim serve (small state copy): ${f.creates} ConfigMap creates each way, ${f.stored} stored in all`);
  console.log(line(`a script of ${f.creates} \`kubectl create configmap\``, f.script));
  console.log(line(`one \`kubectl create -f\` of ${f.creates} objects`, f.file));
}

// `kubesim dashboard` for tests: the built binary on a free loopback port over a test cluster's
// state, with the test's clock and seed. Always stop it (after hook): a leaked server hangs the suite.
import { startServer } from './serve-helpers.mjs';

/** Starts `kubesim dashboard --port 0` for cluster c; resolves to { url, child, output(), stop(signal) }. */
export async function startDashboard(c, extra = []) {
  const server = await startServer(c, 'dashboard', 'dashboard', extra);
  return { url: server.url, child: server.child, output: () => server.out() + server.err(), stop: server.stop };
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

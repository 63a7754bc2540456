// Issue 19, dash-page: `kubesim dashboard`'s routes without a browser: the page (one document, no
// external fetch), the map JSON, describe (byte-equal to the CLI's describe), follow (the same hops
// as `kubesim curl --trace`), server-sent events after a commit from another process, the stop on
// SIGINT/SIGTERM, and the address check shared with serve.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, rmSync } from 'node:fs';
import http from 'node:http';
import { cluster } from './helpers.mjs';
import { smallCluster, startDashboard } from './dashboard-helpers.mjs';

const c = smallCluster(cluster);
const d = await startDashboard(c);
after(async () => {
  await d.stop();
  c.cleanup();
});

const get = async (path) => {
  const r = await fetch(d.url + path.replace(/^\//, ''));
  return { status: r.status, type: r.headers.get('content-type'), body: r.headers.get('content-type')?.includes('json') ? await r.json() : await r.text() };
};
const follow = async (body) => {
  const r = await fetch(d.url + 'api/follow', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: r.status, body: await r.json() };
};
/** `kubesim curl --trace` on a copy of the state as it is now: the hops a request takes from there. */
const traceOnCopy = (url) => {
  const copy = `${c.dir}-copy`;
  cpSync(c.dir, copy, { recursive: true });
  try {
    const r = c.run(['curl', '--trace', '-s', url], { env: { KUBESIM_STATE: copy, KUBESIM_SEED: 'dashboard' } });
    return r.stderr.split('\n').filter((l) => l.startsWith('kubesim trace: ')).map((l) => l.slice('kubesim trace: '.length));
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
};

test('the page is one document: its script, style and first map inlined, nothing fetched from elsewhere', async () => {
  const r = await get('/');
  assert.equal(r.status, 200);
  assert.equal(r.type, 'text/html; charset=utf-8');
  assert.match(r.body, /^<!DOCTYPE html>/);
  assert.doesNotMatch(r.body, /<script[^>]+src=|<link[^>]+href=|@import|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  const initial = JSON.parse(/<script id="initial" type="application\/json">(.*?)<\/script>/s.exec(r.body)[1]);
  assert.equal(initial.map.nodes.length, 3);
  assert.ok(r.body.length < 80_000, `page of ${r.body.length} bytes`);
});

test('/api/map: nodes, pods with STATUS, services, endpoint edges and ownership; filters by namespace and label', async () => {
  const all = (await get('/api/map?ns=')).body;
  assert.equal(typeof all.version, 'number');
  assert.ok(all.pods.some((p) => p.namespace === 'kube-system'));
  // no ns: the namespace the dashboard was started in (kubectl's current one), as kubectl get shows
  assert.deepEqual([...new Set((await get('/api/map')).body.pods.map((p) => p.namespace))], ['default']);
  assert.deepEqual(all.nodes.map((n) => [n.name, n.ready, n.unschedulable]), [['controlplane', true, false], ['node01', true, false], ['node02', true, false]]);
  assert.deepEqual(all.namespaces, ['default', 'kube-node-lease', 'kube-public', 'kube-system']);
  const def = (await get('/api/map?ns=default')).body;
  assert.deepEqual(def.services.map((s) => `${s.name} ${s.type}`), ['db ClusterIP', 'kubernetes ClusterIP', 'web NodePort']);
  assert.deepEqual(def.pods.map((p) => `${p.name.replace(/-[a-z0-9]+-[a-z0-9]+$/, '')} ${p.status} ${p.ready}`), ['db Running 1/1', 'web Running 1/1', 'web Running 1/1', 'web Running 1/1']);
  assert.equal(def.edges.filter((e) => e.service.name === 'web' && e.ready).length, 3);
  assert.ok(def.owners.some((o) => o.owner.kind === 'Deployment' && o.owner.name === 'web' && o.owned.kind === 'ReplicaSet'));
  const web = (await get('/api/map?ns=default&l=app%3Dweb')).body;
  assert.equal(web.pods.length, 3);
  assert.deepEqual(web.services.map((s) => s.name), ['web']);
  const bad = await get('/api/map?l=a%3D%3D%3Db');
  assert.equal(bad.status, 400);
  assert.equal(typeof bad.body.error, 'string');
});

test('/api/describe: the CLI describe text, byte for byte, and the events; cluster-scoped objects under "-"', async () => {
  const pod = c.ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}']);
  for (const [path, args] of [
    [`/api/describe/Pod/default/${pod}`, ['describe', 'pod', pod]],
    ['/api/describe/Service/default/web', ['describe', 'service', 'web']],
    ['/api/describe/deployments/default/web', ['describe', 'deployment', 'web']],
    ['/api/describe/Node/-/node01', ['describe', 'node', 'node01']],
  ]) {
    const r = await get(path);
    assert.equal(r.status, 200, path);
    assert.equal(r.body.text, c.ok(args), path);
  }
  const r = (await get(`/api/describe/Pod/default/${pod}`)).body;
  assert.deepEqual(r.events.map((e) => e.reason), ['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started']);
  assert.equal((await get('/api/describe/Pod/default/nope')).status, 404);
  assert.equal((await get('/api/describe/Widget/default/x')).status, 404);
});

test('/api/follow to a NodePort: the hops of `kubesim curl --trace`, in order; repeated: hits per pod', async () => {
  const map = (await get('/api/map?ns=default')).body;
  const nodePort = map.services.find((s) => s.name === 'web').ports[0].nodePort;
  const dest = `${map.nodes[0].internalIP}:${nodePort}`;
  const want = traceOnCopy(`http://${dest}/`);
  const r = await follow({ source: 'outside', destination: dest });
  assert.equal(r.status, 200);
  assert.equal(r.body.url, `http://${dest}`);
  assert.equal(r.body.source, `outside (${map.nodes[0].internalIP.replace(/\d+$/, '1')})`);
  const run = r.body.runs[0];
  assert.deepEqual(run.hops.map((h) => h.text), want);
  assert.equal(run.hops[0].kind, 'enter');
  assert.ok(run.hops.some((h) => h.kind === 'rule' && h.chain === 'KUBE-NODEPORTS' && h.rule.startsWith('-A KUBE-NODEPORTS ')));
  assert.ok(run.hops.some((h) => h.kind === 'dnat'));
  assert.equal(run.hops.at(-1).kind, 'deliver');
  assert.equal(run.reply.statusLine, 'HTTP/1.1 200 OK');
  const many = await follow({ source: 'outside', destination: dest, count: 12 });
  assert.equal(many.body.hits.reduce((a, h) => a + h.count, 0), 12);
  assert.ok(many.body.hits.every((h) => h.pod.namespace === 'default' && h.pod.name.startsWith('web-')));
  // from a pod, by DNS name: the resolver, then the ClusterIP's rules
  const db = map.pods.find((p) => p.name.startsWith('db-'));
  const dns = await follow({ source: `pod/default/${db.name}`, destination: 'web.default.svc.cluster.local' });
  assert.equal(dns.body.runs[0].exitCode, 0);
  assert.equal(dns.body.runs[0].hops[0].kind, 'dns');
  assert.match(dns.body.runs[0].pod.name, /^web-/);
  // a ClusterIP from outside: dropped, and why
  const svc = map.services.find((s) => s.name === 'web');
  const out = await follow({ source: 'outside', destination: `${svc.clusterIP}:80` });
  assert.equal(out.body.runs[0].exitCode, 28);
  assert.equal(out.body.runs[0].hops.at(-1).kind, 'drop');
  assert.match(out.body.runs[0].hops.at(-1).text, /exists only inside the cluster/);
  // the target as network/follow.ts takes it: a Service's node port on a node
  const np = await follow({ source: 'node/node01', target: { kind: 'nodeport', node: 'node02', service: { namespace: 'default', name: 'web' } } });
  assert.equal(np.body.url, `http://${map.nodes[2].internalIP}:${svc.ports[0].nodePort}/`);
  assert.equal(np.body.runs[0].exitCode, 0);
  const bad = await follow({ source: 'node/nope', destination: dest });
  assert.equal(bad.status, 404);
  assert.equal(bad.body.error, 'nodes "nope" not found');
  assert.equal((await follow({ source: 'moon', destination: dest })).body.error, 'unknown source "moon": outside, node/NAME or pod/NAMESPACE/NAME');
  // ClientIP affinity: every request from one client to the same pod
  c.ok(['patch', 'service', 'web', '-p', '{"spec":{"sessionAffinity":"ClientIP"}}']);
  const pinned = await follow({ source: 'outside', destination: dest, count: 8 });
  assert.deepEqual(pinned.body.hits.map((h) => h.count), [8]);
  c.ok(['patch', 'service', 'web', '-p', '{"spec":{"sessionAffinity":"None"}}']);
  assert.equal((await get('/api/follow')).status, 405);
  // what a page on another site could send: a form's text/plain POST, a rebound DNS name
  const plain = await fetch(d.url + 'api/follow', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify({ source: 'outside', destination: dest }) });
  assert.equal(plain.status, 403);
  const rebound = await new Promise((resolve) => http.get(d.url + 'api/map', { headers: { Host: 'evil.example:80' } }, (r) => resolve(r.statusCode)));
  assert.equal(rebound, 403);
});

test('/api/events: a new map after a command in another process changes the state, a deletion too', async () => {
  const ctl = new AbortController();
  const since = (await get('/api/map?ns=default')).body.commit;
  const r = await fetch(d.url + `api/events?ns=default&since=${since}`, { signal: ctl.signal });
  assert.equal(r.headers.get('content-type'), 'text/event-stream');
  const reader = r.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  /** the next map the stream sends */
  const next = async () => {
    for (;;) {
      const m = /event: map\ndata: (.*)\n\n/.exec(text);
      if (m) {
        text = text.slice(m.index + m[0].length);
        return JSON.parse(m[1]);
      }
      text += decoder.decode((await reader.read()).value);
    }
  };
  await new Promise((res) => setTimeout(res, 150)); // nothing to send yet: the page has this commit
  assert.doesNotMatch(text, /event: map/);
  let t0 = Date.now();
  c.ok(['scale', 'deployment', 'web', '--replicas=5']);
  const scaled = await next();
  assert.ok(Date.now() - t0 < 1000, `${Date.now() - t0} ms`);
  assert.equal(scaled.pods.filter((p) => p.name.startsWith('web-')).length, 5);
  // a commit that only removes an object moves no resourceVersion: the map still follows it
  c.ok(['create', 'service', 'clusterip', 'gone', '--tcp=80:80']);
  assert.ok((await next()).services.some((s) => s.name === 'gone'));
  t0 = Date.now();
  c.ok(['delete', 'service', 'gone']);
  const after = await next();
  assert.ok(Date.now() - t0 < 1000);
  assert.deepEqual(after.services.map((s) => s.name), ['db', 'kubernetes', 'web']);
  ctl.abort();
  c.ok(['scale', 'deployment', 'web', '--replicas=3']);
});

test('dashboard stops on SIGINT and on SIGTERM; refuses a wildcard address and a bad port', async () => {
  for (const signal of ['SIGINT', 'SIGTERM']) {
    const other = await startDashboard(c);
    const stream = await fetch(other.url + 'api/events'); // an open event stream does not keep it up
    assert.equal(stream.status, 200);
    assert.equal(await other.stop(signal), 0);
  }
  const r = c.run(['dashboard', '--address', '0.0.0.0']);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, 'error: kubesim dashboard will not listen on every interface (0.0.0.0): name one address with --address\n');
  const p = c.run(['dashboard', '--port', 'x']);
  assert.equal(p.code, 1);
  assert.equal(p.stderr, 'error: invalid port "x"\n');
});

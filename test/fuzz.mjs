// Issue 12's fuzz corpus: valid manifests of every kind, mutated by a seeded generator into wrong
// types, hostile keys and values, damaged text and odd flags, each run as a user would run it.
// test/fuzz.test.mjs runs a few hundred cases in CI; KUBESIM_FUZZ_CASES=2000 runs a larger corpus.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { MANIFESTS } from './helpers.mjs';

/** mulberry32 over a string seed: the same seed gives the same corpus. */
export function rng(seed) {
  let h = 1779033703 ^ seed.length;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 3432918353);
  let a = h >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const r = {
    float: next,
    int: (n) => Math.floor(next() * n),
    pick: (xs) => xs[Math.floor(next() * xs.length)],
    chance: (p) => next() < p,
  };
  return r;
}

const template = (labels) => ({
  metadata: { labels },
  spec: {
    containers: [
      {
        name: 'web',
        image: 'nginx:1.27',
        ports: [{ containerPort: 80, name: 'http', protocol: 'TCP' }],
        env: [{ name: 'A', value: 'b' }],
        resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } },
        readinessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 5 },
        volumeMounts: [{ name: 'data', mountPath: '/data' }],
      },
    ],
    volumes: [{ name: 'data', emptyDir: {} }],
    tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }],
    terminationGracePeriodSeconds: 30,
  },
});

/** One valid manifest of every kind kubesim serves, plus the repository's example manifests. */
export function bases() {
  const out = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fz', labels: { team: 'a' } } },
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'fz-node', labels: { 'kubernetes.io/hostname': 'fz-node' } },
      spec: { podCIDR: '10.244.9.0/24', podCIDRs: ['10.244.9.0/24'], taints: [{ key: 'a', value: 'b', effect: 'NoSchedule' }] },
      status: {
        addresses: [{ type: 'InternalIP', address: '192.168.49.9' }, { type: 'Hostname', address: 'fz-node' }],
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: '2025-03-01T11:00:00Z' }],
        capacity: { cpu: '2', memory: '4Gi', pods: '110' },
        nodeInfo: { kubeletVersion: 'v1.32.0', osImage: 'Linux' },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'fz-a', labels: { app: 'web' }, annotations: { note: 'x' } },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'dns', port: 53, protocol: 'UDP', targetPort: 5353 }] },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'fz-b' },
      spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 8080, targetPort: 80, nodePort: 30099 }], externalTrafficPolicy: 'Local', sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'fz-lb' },
      spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 443, targetPort: 8443 }], loadBalancerSourceRanges: ['10.0.0.0/8'], ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'] },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'fz-ext' }, spec: { type: 'ExternalName', externalName: 'db.example.com' } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'fz-headless' }, spec: { clusterIP: 'None', selector: { app: 'web' }, ports: [{ port: 80 }] } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'fz-pod', labels: { app: 'web' } }, spec: { ...template({}).spec, nodeSelector: { 'kubernetes.io/os': 'linux' }, restartPolicy: 'Always' } },
    {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'fz-manual' },
      subsets: [{ addresses: [{ ip: '10.244.0.50', hostname: 'h' }], notReadyAddresses: [{ ip: '10.244.0.51' }], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }],
    },
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'fz-slice', labels: { 'kubernetes.io/service-name': 'fz-a' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.244.0.60'], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'minikube', zone: 'z1' }],
      ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
    },
    {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'fz-event' },
      involvedObject: { kind: 'Pod', name: 'fz-pod', namespace: 'default', apiVersion: 'v1' },
      reason: 'Testing',
      message: 'a hand-made event',
      type: 'Normal',
      count: 3,
      source: { component: 'fuzz' },
      firstTimestamp: '2025-03-01T11:00:00Z',
      lastTimestamp: '2025-03-01T11:59:00Z',
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'fz-deploy', labels: { app: 'web' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'fz' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
        revisionHistoryLimit: 3,
        minReadySeconds: 0,
        progressDeadlineSeconds: 600,
        template: template({ app: 'fz', tier: 'a' }),
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'fz-rs' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'fzrs' } }, template: template({ app: 'fzrs' }) },
    },
  ];
  for (const f of readdirSync(MANIFESTS).sort()) {
    if (!/\.ya?ml$/.test(f)) continue;
    for (const doc of YAML.parseAllDocuments(readFileSync(join(MANIFESTS, f), 'utf8'))) {
      const o = doc.toJS();
      if (o && typeof o === 'object') out.push(o);
    }
  }
  return out;
}

const own = (key, value) => JSON.parse(`{${JSON.stringify(key)}:${JSON.stringify(value)}}`);
const nest = (n) => {
  let v = 1;
  for (let i = 0; i < n; i++) v = { a: v };
  return v;
};

/** Values of the wrong type, at the edges of the right type, or built to hurt a parser or a merge. */
function hostileValue(r) {
  return r.pick([
    () => null,
    () => true,
    () => false,
    () => 0,
    () => -1,
    () => 1.5,
    () => 65536,
    () => 2147483647,
    () => 2147483648,
    () => -2147483649,
    () => 9007199254740993,
    () => 1e21,
    () => 1e308,
    () => '',
    () => ' ',
    () => 'abc',
    () => '-1',
    () => '80',
    () => '0x1F',
    () => '1e3',
    () => 'None',
    () => 'null',
    () => '$(id)',
    () => '`touch /tmp/kubesim-fuzz-pwned`',
    () => '; rm -rf /',
    () => '../../etc/passwd',
    () => 'a'.repeat(r.pick([64, 254, 64000])),
    () => '\u0000nul',
    () => '\ud800',
    () => '日本語',
    () => '%s%d%n{{.}}',
    () => '__proto__',
    () => 'constructor',
    () => [],
    () => [null],
    () => [[[]]],
    () => [1, 'a', null, {}],
    () => Array.from({ length: 2000 }, (_, i) => `x${i}`),
    () => ({}),
    () => own('__proto__', { namespace: 'kube-system', polluted: true }),
    () => own('constructor', { prototype: { polluted: true } }),
    () => nest(r.pick([50, 200])),
    () => ({ port: 80, targetPort: 'http', name: 'x' }),
    () => ({ matchLabels: { a: 'b' } }),
  ])();
}

const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '', ' ', 'kind', 'metadata', 'spec', 'status', 'a.b', '日本'];
const NAMES = ['fz-a', 'fz-b', 'web', 'fz', 'UPPER', 'a_b', '-x', 'x'.repeat(300), '', 'kube-system', 'default', 'a/b', '..'];
const KINDS = ['Namespace', 'Node', 'Service', 'Pod', 'Endpoints', 'Event', 'EndpointSlice', 'Deployment', 'ReplicaSet', 'Secret', 'Foo', ''];
const VERSIONS = ['v1', 'apps/v1', 'discovery.k8s.io/v1', 'v2', 'apps/v1beta1', '', 'v1/v1'];

/** Every [path, parent] in a JSON value, the root first. */
function nodes(v, path = []) {
  const out = [path];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...nodes(x, [...path, i])));
  else if (v && typeof v === 'object') for (const k of Object.keys(v)) out.push(...nodes(v[k], [...path, k]));
  return out;
}
const at = (root, path) => path.reduce((o, k) => o?.[k], root);

function setAt(root, path, value) {
  const parent = at(root, path.slice(0, -1));
  if (parent && typeof parent === 'object') Object.defineProperty(parent, path[path.length - 1], { value, enumerable: true, writable: true, configurable: true });
}

/** A value of the same JSON type as v: decoding passes, and validation, the controllers and printers see it. */
function sameType(r, v) {
  if (typeof v === 'string') return r.pick(['', 'a', 'UPPER', 'x-y.z', '10.96.0.10', '::1', '0.0.0.0/0', 'None', '*', '日本', 'a'.repeat(r.pick([63, 64, 253, 254, 5000])), 'TCP', 'UDP', 'SCTP', 'http', 'Always', 'IfNotPresent', 'NoSchedule', 'In', 'NotIn', 'Exists', 'true', '1', '100m', '1Gi', '-5', '2025-03-01T12:00:00Z', 'not-a-time']);
  if (typeof v === 'number') return r.pick([0, 1, -1, 53, 80, 65535, 65536, 30000, 32767, 32768, 2147483647, -2147483648, 1.5]);
  if (typeof v === 'boolean') return !v;
  return v;
}

function mutate(r, obj) {
  const paths = nodes(obj).filter((p) => p.length > 0);
  const p = r.pick(paths);
  if (r.chance(0.4)) {
    const leaves = paths.filter((q) => {
      const v = at(obj, q);
      return (v === null || typeof v !== 'object') && !(q.length === 1 && (q[0] === 'kind' || q[0] === 'apiVersion'));
    });
    const q = r.pick(leaves.length ? leaves : paths);
    return setAt(obj, q, sameType(r, at(obj, q)));
  }
  switch (r.int(9)) {
    case 0:
    case 1:
    case 2:
      return setAt(obj, p, hostileValue(r));
    case 3: {
      const parent = at(obj, p.slice(0, -1));
      if (Array.isArray(parent)) parent.splice(p[p.length - 1], 1);
      else if (parent) delete parent[p[p.length - 1]];
      return;
    }
    case 4: {
      const objs = nodes(obj).filter((q) => { const v = at(obj, q); return v && typeof v === 'object' && !Array.isArray(v); });
      const target = at(obj, r.pick(objs));
      Object.defineProperty(target, r.pick(HOSTILE_KEYS), { value: hostileValue(r), enumerable: true, writable: true, configurable: true });
      return;
    }
    case 5:
      if (r.chance(0.5)) obj.kind = r.pick(KINDS);
      else obj.apiVersion = r.pick(VERSIONS);
      return;
    case 6: {
      const arrays = nodes(obj).filter((q) => Array.isArray(at(obj, q)) && at(obj, q).length);
      if (arrays.length) {
        const a = at(obj, r.pick(arrays));
        a.push(JSON.parse(JSON.stringify(a[0] ?? null)));
      }
      return;
    }
    case 7:
      obj.metadata = obj.metadata && typeof obj.metadata === 'object' ? obj.metadata : {};
      if (r.chance(0.6)) obj.metadata.name = r.pick(NAMES);
      else obj.metadata.namespace = r.pick(['default', 'kube-system', 'nope', '', 'fz', 'UPPER']);
      return;
    default:
      return setAt(obj, p, hostileValue(r));
  }
}

/** Text-level damage to a serialized manifest. */
function damage(r, text) {
  const i = r.int(Math.max(1, text.length));
  switch (r.int(5)) {
    case 0:
      return text.slice(0, i);
    case 1:
      return text.slice(0, i) + r.pick([':', '{', '[', '&a', '*a', '!!binary', '%', '\t', '"', "'", '\n- ', '\u0000', '\r']) + text.slice(i);
    case 2: {
      const lines = text.split('\n');
      const j = r.int(lines.length);
      lines.splice(j, 0, lines[j]);
      return lines.join('\n');
    }
    case 3:
      return text.replace(/^ {2}/gm, '\t');
    default:
      return `${text}\n---\n${text.slice(0, i)}`;
  }
}

function serialize(r, obj) {
  if (r.chance(0.3)) return JSON.stringify(obj, null, r.pick([0, 2]));
  return new YAML.Document(obj, { aliasDuplicateObjects: false }).toString({ lineWidth: 0 });
}

/** Flags with hostile values, for the verbs that take no file. None of these may block. */
function flagCase(r) {
  // argv cannot carry a NUL byte
  const text = (x) => (x !== null && typeof x === 'object' ? JSON.stringify(x) : String(x));
  const v = () => text(hostileValue(r)).slice(0, 3000).replaceAll('\0', '\\0');
  return r.pick([
    () => ['scale', 'deployment', 'web', `--replicas=${v()}`],
    () => ['get', r.pick(['svc', 'pods', 'deploy', v()]), '-o', r.pick(['wide', 'json', 'name', 'yaml', `jsonpath=${v()}`, `go-template=${v()}`, `custom-columns=${v()}`, v()])],
    () => ['get', 'pods', '-l', v()],
    () => ['get', 'svc', '--field-selector', v()],
    () => ['label', 'svc', 'web', `${v()}=${v()}`],
    () => ['label', 'svc', 'web', `a=${v()}`, '--overwrite'],
    () => ['create', 'deployment', v(), `--image=${v()}`],
    () => ['create', 'deployment', 'fz-d', '--image=nginx', `--replicas=${v()}`, `--port=${v()}`],
    () => ['create', 'service', r.pick(['clusterip', 'nodeport', 'loadbalancer']), 'fz-s', `--tcp=${v()}`],
    () => ['create', 'service', 'nodeport', 'fz-s', '--tcp=80:80', `--node-port=${v()}`],
    () => ['expose', 'deployment', 'web', `--port=${v()}`, `--type=${v()}`],
    () => ['run', v(), `--image=${v()}`],
    () => ['describe', r.pick(['svc', 'pod', 'node', 'deploy', v()]), v()],
    () => ['delete', 'svc', v()],
    () => ['logs', v(), `--tail=${v()}`],
    () => ['rollout', 'status', 'deployment/web', '--timeout=1s'],
    () => ['get', 'svc', '-n', v()],
    () => ['explain', v()],
    () => ['exec', 'web', '--', 'curl', v()],
  ])();
}

/**
 * The corpus: {id, args(file), text?} for n cases. Most are manifests for create/apply (and a few
 * other -f verbs); about one in eight is a verb with hostile flag values.
 */
export function corpus(seed, n) {
  const r = rng(seed);
  const all = bases();
  const out = [];
  for (let id = 0; id < n; id++) {
    if (r.chance(0.125)) {
      const args = flagCase(r);
      out.push({ id, args: () => args });
      continue;
    }
    const obj = JSON.parse(JSON.stringify(r.pick(all)));
    // one or two mutations: enough to be wrong, few enough that many cases get past decoding and
    // into defaults, allocation, the controllers and the printers
    const rounds = 1 + r.int(2);
    for (let i = 0; i < rounds; i++) mutate(r, obj);
    let text = serialize(r, obj);
    if (r.chance(0.1)) text = damage(r, text);
    const verb = r.pick([
      ['create', '-f'],
      ['create', '-f'],
      ['create', '-f'],
      ['apply', '-f'],
      ['apply', '-f'],
      ['apply', '-f'],
      ['delete', '-f'],
      ['create', '-o', 'json', '-f'],
      ['apply', '-o', 'yaml', '-f'],
      ['label', 'x=y', '--overwrite', '-f'],
      ['scale', '--replicas=3', '-f'],
    ]);
    // what a learner does next with an object that was accepted: list it and describe it
    const kind = typeof obj.kind === 'string' && obj.kind ? obj.kind : 'pods';
    const name = typeof obj.metadata?.name === 'string' ? obj.metadata.name : '';
    const ns = typeof obj.metadata?.namespace === 'string' && obj.metadata.namespace ? obj.metadata.namespace : 'default';
    const then = [
      ['get', kind, '-A', '-o', r.pick(['wide', 'json', 'yaml', 'name', 'custom-columns=N:.metadata.name,S:.spec'])],
      ['describe', kind, ...(name ? [name] : []), '-n', ns],
      ['get', 'all,ep,endpointslices,events,nodes,ns', '-A', '-o', 'wide'],
    ];
    out.push({ id, text, args: (file) => [...verb, file], then });
  }
  return out;
}

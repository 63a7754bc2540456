// "Follow a request" for the dashboard: a real curl --trace from a vantage point (outside the
// cluster, a node, a pod), as `kubesim curl --trace`, `kubesim ssh NODE -- curl --trace` and
// `kubesim exec POD -- curl --trace` run it, so the page draws the same hops in the same order.
// Repeated, it shows kube-proxy's load balancing (hits per pod) and ClientIP affinity, because
// each run moves what the nodes remember (the random generator, affinity) as curl does.
import { CliError } from '../api/errors';
import type { KObject } from '../api/types';
import { locked } from '../apiserver/transaction';
import { Network } from '../network/route';
import { runProgram, shellFor } from '../network/shell';
import { Topology, type Vantage } from '../network/topology';
import type { Store } from '../store/store';

export interface FollowRequest {
  /** "outside", "node/NAME" or "pod/NAMESPACE/NAME" */
  source: string;
  /** what curl is given: host[:port][/path], a URL, a DNS name */
  destination: string;
  /** how many requests (1–100) */
  count?: number;
}

/** One line of curl --trace, with what the page draws from it. */
export interface Hop {
  text: string;
  kind: 'enter' | 'rule' | 'dnat' | 'route' | 'deliver' | 'drop' | 'note';
  /** the node whose rules these are (rule), entered (enter), routed to (route), or the pod's (deliver) */
  node?: string;
  /** iptables: the chain and the rule's iptables-save text */
  chain?: string;
  rule?: string;
  /** deliver: "namespace/name" */
  pod?: string;
}

export interface FollowRun {
  hops: Hop[];
  /** curl's exit code: 0 when a reply came back */
  exit: number;
  /** the reply's status line, or curl's error */
  reply: string;
  /** the pod that answered, "namespace/name" */
  pod?: string;
}

export interface FollowResult {
  runs: FollowRun[];
  /** replies per pod over the runs */
  hits: Record<string, number>;
}

const TRACE = 'kubesim trace: ';

/** One trace line as the page draws it (the words are route.ts's and iptables.ts's). */
export function hopOf(line: string, last: boolean, failed: boolean): Hop {
  const text = line.trim();
  let m = /^(\S+) iptables: (-A (\S+) .*)$/.exec(text);
  if (m) return { text, kind: 'rule', node: m[1], chain: m[3], rule: m[2] };
  m = /reaches node (\S+)/.exec(text) ?? /from (?:node \S+|pod \S+) on (\S+)$/.exec(text);
  if (m) return { text, kind: 'enter', node: m[1] };
  if (/^DNAT /.test(text)) return { text, kind: 'dnat' };
  m = /^routed \S+ → (\S+)/.exec(text);
  if (m) return { text, kind: 'route', node: m[1] };
  m = /^delivered to pod (\S+) \(\S+\) on (\S+)/.exec(text);
  if (m) return { text, kind: 'deliver', pod: m[1], node: m[2] };
  return { text, kind: last && failed ? 'drop' : 'note' };
}

function vantageOf(topo: Topology, source: string): Vantage {
  if (source === 'outside' || source === '') return { kind: 'outside', ip: topo.outsideIP() };
  const [kind, a, b] = source.split('/');
  if (kind === 'node') {
    const node = topo.node(a);
    if (!node) throw new CliError(`no node "${a}"`, true);
    if (!node.ready) throw new CliError(`node ${a} is down: nothing runs there`, true);
    return { kind: 'node', node, ip: node.ip };
  }
  if (kind === 'pod') {
    const pod: KObject | undefined = topo.state.get('Pod', a, b);
    const node = topo.node(pod?.spec?.nodeName);
    if (!pod || !node || !pod.status?.podIP) throw new CliError(`pod ${a}/${b} is not running on a node`, true);
    return { kind: 'pod', pod, node, ip: pod.status.podIP, container: pod.spec.containers[0].name };
  }
  throw new CliError(`unknown source "${source}": outside, node/NAME or pod/NAMESPACE/NAME`, true);
}

/** Runs the requests under the lock (as curl does: only what the nodes remember changes). */
export function follow(store: Store, req: FollowRequest): FollowResult {
  const count = Math.max(1, Math.min(100, Math.floor(Number(req.count ?? 1)) || 1));
  const dest = String(req.destination ?? '').trim();
  if (!dest) throw new CliError('a destination is required', true);
  const url = /^[a-z]+:\/\//i.test(dest) ? dest : `http://${dest}`;
  return locked(
    store,
    (state) => {
      const topo = new Topology(state);
      const sh = shellFor(new Network(topo), vantageOf(topo, req.source));
      const runs: FollowRun[] = [];
      const hits: Record<string, number> = {};
      for (let i = 0; i < count; i++) {
        const r = runProgram(sh, ['curl', '--trace', '-sS', '-i', '-m', '5', url]);
        // a container runs what its image holds: redis or busybox have no curl (kubectl exec would say so)
        if (!r) throw new CliError(`${req.source.replace('/', ' ')} has no curl in its image: choose another source`, true);
        const lines = r.stderr.split('\n').filter((l) => l.startsWith(TRACE)).map((l) => l.slice(TRACE.length));
        const hops = lines.map((l, j) => hopOf(l, j === lines.length - 1, r.code !== 0));
        const pod = hops.find((h) => h.kind === 'deliver')?.pod;
        const reply = r.code === 0 ? r.stdout.split('\r\n')[0] : r.stderr.split('\n').filter((l) => l && !l.startsWith(TRACE)).join(' ');
        if (pod && r.code === 0) hits[pod] = (hits[pod] ?? 0) + 1;
        runs.push({ hops, exit: r.code, reply, ...(pod ? { pod } : {}) });
      }
      return { runs, hits };
    },
    false,
    false,
  );
}

// A node as `ps`, `crictl` and kube-proxy's own HTTP endpoints show it: systemd, containerd, the
// kubelet with the flags kubeadm gives it (10-kubeadm.conf and /var/lib/kubelet/kubeadm-flags.env),
// a containerd shim and a pause process per pod sandbox, each running container's process (the
// control plane's static pods with kubeadm's flags), kube-proxy's healthz (10256), metrics
// (127.0.0.1:10249: /proxyMode) and the health-check node ports of externalTrafficPolicy: Local
// services (pkg/proxy/healthcheck). Pure computation from the stored objects.
import type { KObject } from '../api/types';
import type { State } from '../store/state';
import type { ClusterConfig } from '../cluster/config';
import { httpDate, type HttpResponse } from './apps';
import { mainCommand, type Container } from './container';
import { localEndpoints, type ServicePort } from './model';
import type { NodeInfo } from './topology';

interface NodeProc {
  user: string;
  pid: number;
  ppid: number;
  vsz: number;
  rss: number;
  tty: string;
  stat: string;
  startMs: number;
  /** CPU seconds used per second of life */
  rate: number;
  cmd: string;
}

/** kubeadm's flags for the control plane's static pods (kubeadm 1.32 manifests, flags sorted as kubeadm writes them). */
function componentCommand(name: string, cfg: ClusterConfig, node: NodeInfo): string[] | undefined {
  const ip = node.ip;
  switch (name) {
    case 'kube-apiserver':
      return [
        'kube-apiserver', `--advertise-address=${ip}`, '--allow-privileged=true', '--authorization-mode=Node,RBAC', '--client-ca-file=/etc/kubernetes/pki/ca.crt', '--enable-admission-plugins=NodeRestriction',
        '--enable-bootstrap-token-auth=true', '--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt', '--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt', '--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key',
        '--etcd-servers=https://127.0.0.1:2379', '--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt', '--kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key',
        '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname', '--proxy-client-cert-file=/etc/kubernetes/pki/front-proxy-client.crt', '--proxy-client-key-file=/etc/kubernetes/pki/front-proxy-client.key',
        '--requestheader-allowed-names=front-proxy-client', '--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt', '--requestheader-extra-headers-prefix=X-Remote-Extra-',
        '--requestheader-group-headers=X-Remote-Group', '--requestheader-username-headers=X-Remote-User', '--secure-port=6443', '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        '--service-account-key-file=/etc/kubernetes/pki/sa.pub', '--service-account-signing-key-file=/etc/kubernetes/pki/sa.key', `--service-cluster-ip-range=${cfg.serviceCIDR}`,
        ...(cfg.nodePortRange !== '30000-32767' ? [`--service-node-port-range=${cfg.nodePortRange}`] : []),
        '--tls-cert-file=/etc/kubernetes/pki/apiserver.crt', '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key',
      ];
    case 'etcd':
      return [
        'etcd', `--advertise-client-urls=https://${ip}:2379`, '--cert-file=/etc/kubernetes/pki/etcd/server.crt', '--client-cert-auth=true', '--data-dir=/var/lib/etcd', '--experimental-initial-corrupt-check=true',
        '--experimental-watch-progress-notify-interval=5s', `--initial-advertise-peer-urls=https://${ip}:2380`, `--initial-cluster=${node.name}=https://${ip}:2380`, '--key-file=/etc/kubernetes/pki/etcd/server.key',
        `--listen-client-urls=https://127.0.0.1:2379,https://${ip}:2379`, '--listen-metrics-urls=http://127.0.0.1:2381', `--listen-peer-urls=https://${ip}:2380`, `--name=${node.name}`,
        '--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt', '--peer-client-cert-auth=true', '--peer-key-file=/etc/kubernetes/pki/etcd/peer.key', '--peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt',
        '--snapshot-count=10000', '--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt',
      ];
    case 'kube-controller-manager':
      return [
        'kube-controller-manager', '--allocate-node-cidrs=true', '--authentication-kubeconfig=/etc/kubernetes/controller-manager.conf', '--authorization-kubeconfig=/etc/kubernetes/controller-manager.conf',
        '--bind-address=127.0.0.1', '--client-ca-file=/etc/kubernetes/pki/ca.crt', `--cluster-cidr=${cfg.podCIDR}`, '--cluster-name=kubernetes', '--cluster-signing-cert-file=/etc/kubernetes/pki/ca.crt',
        '--cluster-signing-key-file=/etc/kubernetes/pki/ca.key', '--controllers=*,bootstrapsigner,tokencleaner', '--kubeconfig=/etc/kubernetes/controller-manager.conf', '--leader-elect=true',
        '--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt', '--root-ca-file=/etc/kubernetes/pki/ca.crt', '--service-account-private-key-file=/etc/kubernetes/pki/sa.key',
        `--service-cluster-ip-range=${cfg.serviceCIDR}`, '--use-service-account-credentials=true',
      ];
    case 'kube-scheduler':
      return ['kube-scheduler', '--authentication-kubeconfig=/etc/kubernetes/scheduler.conf', '--authorization-kubeconfig=/etc/kubernetes/scheduler.conf', '--bind-address=127.0.0.1', '--kubeconfig=/etc/kubernetes/scheduler.conf', '--leader-elect=true'];
    case 'kube-proxy':
      return ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', `--hostname-override=${node.name}`];
    case 'coredns':
      return ['/coredns', '-conf', '/etc/coredns/Corefile'];
  }
  return undefined;
}

/** The kubelet as systemd starts it on a kubeadm node: 10-kubeadm.conf's flags, then kubeadm-flags.env's. */
export function kubeletCommand(node: NodeInfo): string {
  return `/usr/bin/kubelet --bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf --config=/var/lib/kubelet/config.yaml --container-runtime-endpoint=unix:///run/containerd/containerd.sock --node-ip=${node.ip} --pod-infra-container-image=registry.k8s.io/pause:3.10`;
}

const RESOURCES: Record<string, [number, number, number]> = {
  'kube-apiserver': [1543772, 312204, 0.03],
  etcd: [11741256, 58220, 0.02],
  'kube-controller-manager': [1322424, 105668, 0.012],
  'kube-scheduler': [1290252, 57224, 0.004],
  'kube-proxy': [1291980, 53232, 0.001],
  coredns: [1283264, 52992, 0.002],
};

function hex64(seed: string): string {
  return sha('sha256').update(seed).digest('hex');
}

/** The pod sandbox's id: stable per pod. */
export function sandboxID(pod: KObject): string {
  return hex64(`sandbox/${pod.metadata.uid}`);
}

/** The pods on a node whose sandboxes run, oldest first. */
function podsOn(state: State, node: NodeInfo): KObject[] {
  return state
    .list('Pod')
    .filter((p) => p.spec?.nodeName === node.name && (p.status?.phase === 'Running' || p.status?.phase === 'Pending') && (p.status?.containerStatuses ?? []).some((c: KObject) => c.state?.running))
    .sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || a.metadata.name.localeCompare(b.metadata.name));
}

/** Every process on the node, in PID order, plus the session's: sshd, bash and the ps itself. */
export function nodeProcesses(state: State, node: NodeInfo, nowMs: number, session: { interactive: boolean; user: string; cmd: string }): NodeProc[] {
  const boot = Date.parse(node.obj.metadata.creationTimestamp ?? '') || nowMs;
  const procs: NodeProc[] = [];
  const add = (p: Omit<NodeProc, 'pid'> & { pid?: number }) => {
    const pid = p.pid ?? (procs.length ? procs[procs.length - 1].pid + 1 + (procs.length % 7) * 3 : 1);
    procs.push({ ...p, pid });
    return pid;
  };
  add({ pid: 1, ppid: 0, user: 'root', vsz: 22184, rss: 12792, tty: '?', stat: 'Ss', startMs: boot, rate: 0.0005, cmd: '/sbin/init' });
  add({ pid: 96, ppid: 1, user: 'root', vsz: 32104, rss: 14580, tty: '?', stat: 'S<s', startMs: boot, rate: 0.0002, cmd: '/lib/systemd/systemd-journald' });
  const containerd = add({ pid: 112, ppid: 1, user: 'root', vsz: 2246780, rss: 48932, tty: '?', stat: 'Ssl', startMs: boot, rate: 0.006, cmd: '/usr/bin/containerd' });
  const sshd = add({ pid: 118, ppid: 1, user: 'root', vsz: 12020, rss: 7436, tty: '?', stat: 'Ss', startMs: boot, rate: 0, cmd: 'sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups' });
  add({ pid: 204, ppid: 1, user: 'root', vsz: 2318680, rss: 78412, tty: '?', stat: 'Ssl', startMs: boot, rate: 0.015, cmd: kubeletCommand(node) });
  let next = 400;
  for (const pod of podsOn(state, node)) {
    const started = Date.parse(pod.status?.startTime ?? pod.metadata.creationTimestamp ?? '') || boot;
    const shim = next;
    procs.push({ pid: shim, ppid: 1, user: 'root', vsz: 1238576, rss: 13544, tty: '?', stat: 'Sl', startMs: started, rate: 0.0003, cmd: `/usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id ${sandboxID(pod)} -address /run/containerd/containerd.sock` });
    procs.push({ pid: shim + 21, ppid: shim, user: '65535', vsz: 1020, rss: 512, tty: '?', stat: 'Ss', startMs: started, rate: 0, cmd: '/pause' });
    let pid = shim + 80;
    for (const c of (pod.spec?.containers ?? []) as Container[]) {
      const cs = (pod.status?.containerStatuses ?? []).find((s: KObject) => s.name === c.name);
      if (!cs?.state?.running) continue;
      const startMs = Date.parse(cs.state.running.startedAt ?? '') || started;
      const own = componentCommand(c.name, state.config, node);
      const res = RESOURCES[c.name] ?? [4372, 2800, 0.0001];
      const cmd = (own ?? mainCommand(c)).join(' ');
      if (!own && /(^|\/)nginx(-unprivileged)?(:|$)/.test(c.image) && cmd.startsWith('nginx')) {
        // nginx's master as root, a worker per CPU as the image's nginx user (uid 101)
        procs.push({ pid, ppid: shim, user: 'root', vsz: 11416, rss: 7384, tty: '?', stat: 'Ss', startMs, rate: 0, cmd: `nginx: master process ${cmd}` });
        const cpus = Number(node.obj.status?.capacity?.cpu ?? 2) || 2;
        for (let w = 1; w <= cpus; w++) procs.push({ pid: pid + 20 + w, ppid: pid, user: '101', vsz: 11880, rss: 2864, tty: '?', stat: 'S', startMs, rate: 0, cmd: 'nginx: worker process' });
      } else procs.push({ pid, ppid: shim, user: 'root', vsz: res[0], rss: res[1], tty: '?', stat: 'Ssl', startMs, rate: res[2], cmd });
      pid += 27;
    }
    next += 200;
  }
  const priv = Math.max(next, 2000) + 100;
  if (session.interactive) {
    procs.push({ pid: priv, ppid: sshd, user: 'root', vsz: 14676, rss: 9088, tty: '?', stat: 'Ss', startMs: nowMs, rate: 0, cmd: `sshd: ${session.user} [priv]` });
    procs.push({ pid: priv + 12, ppid: priv, user: session.user, vsz: 14936, rss: 6824, tty: '?', stat: 'S', startMs: nowMs, rate: 0, cmd: `sshd: ${session.user}@pts/0` });
    procs.push({ pid: priv + 13, ppid: priv + 12, user: session.user, vsz: 5044, rss: 4224, tty: 'pts/0', stat: 'Ss', startMs: nowMs, rate: 0, cmd: '-bash' });
    procs.push({ pid: priv + 40, ppid: priv + 13, user: session.user, vsz: 8200, rss: 4096, tty: 'pts/0', stat: 'R+', startMs: nowMs, rate: 0, cmd: session.cmd });
  } else {
    procs.push({ pid: priv, ppid: sshd, user: session.user, vsz: 8200, rss: 4096, tty: '?', stat: 'Rs', startMs: nowMs, rate: 0, cmd: session.cmd });
  }
  void containerd;
  return procs;
}

/** procps's START column: the time today, else month and day. */
function startColumn(ms: number, now: number): string {
  const d = new Date(ms);
  const n = new Date(now);
  if (d.toISOString().slice(0, 10) === n.toISOString().slice(0, 10)) return d.toISOString().slice(11, 16);
  return d.toUTCString().slice(8, 11) + String(d.getUTCDate()).padStart(2, '0');
}

function cpuSeconds(p: NodeProc, now: number): number {
  return Math.floor(Math.max(0, now - p.startMs) / 1000 * p.rate);
}

/** procps-ng `ps aux`: USER PID %CPU %MEM VSZ RSS TTY STAT START TIME COMMAND. */
export function psAux(procs: NodeProc[], now: number, memKiB: number): string {
  const rows = procs.map((p) => {
    const life = Math.max(1, (now - p.startMs) / 1000);
    const cpu = ((cpuSeconds(p, now) / life) * 100).toFixed(1);
    const mem = ((p.rss / memKiB) * 100).toFixed(1);
    const t = cpuSeconds(p, now);
    const time = `${Math.floor(t / 60)}:${String(t % 60).padStart(2, '0')}`;
    return `${p.user.length > 8 ? p.user.slice(0, 7) + '+' : p.user.padEnd(8)} ${String(p.pid).padStart(7)} ${cpu.padStart(4)} ${mem.padStart(4)} ${String(p.vsz).padStart(6)} ${String(p.rss).padStart(5)} ${p.tty.padEnd(8)} ${p.stat.padEnd(4)} ${startColumn(p.startMs, now).padStart(5)} ${time.padStart(6)} ${p.cmd}\n`;
  });
  return 'USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n' + rows.join('');
}

/** procps-ng `ps -ef`: UID PID PPID C STIME TTY TIME CMD. */
export function psEf(procs: NodeProc[], now: number): string {
  const rows = procs.map((p) => {
    const t = cpuSeconds(p, now);
    const time = `${String(Math.floor(t / 3600)).padStart(2, '0')}:${String(Math.floor(t / 60) % 60).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}`;
    return `${p.user.length > 8 ? p.user.slice(0, 7) + '+' : p.user.padEnd(8)} ${String(p.pid).padStart(7)} ${String(p.ppid).padStart(7)}  0 ${startColumn(p.startMs, now)} ${p.tty.padEnd(8)} ${time} ${p.cmd}\n`;
  });
  return 'UID          PID    PPID  C STIME TTY          TIME CMD\n' + rows.join('');
}

/** procps-ng `ps` / `ps -e`: PID TTY TIME CMD, the command's name only. */
export function psSimple(procs: NodeProc[], now: number): string {
  return (
    '    PID TTY          TIME CMD\n' +
    procs
      .map((p) => {
        const t = cpuSeconds(p, now);
        const time = `${String(Math.floor(t / 3600)).padStart(2, '0')}:${String(Math.floor(t / 60) % 60).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}`;
        const comm = p.cmd.startsWith('sshd:') ? 'sshd' : p.cmd.startsWith('-') ? p.cmd.slice(1) : (p.cmd.split(' ')[0].split('/').pop() as string).slice(0, 15);
        return `${String(p.pid).padStart(7)} ${p.tty.padEnd(8)} ${time} ${comm}\n`;
      })
      .join('')
  );
}

/** docker/go-units HumanDuration, as crictl prints CREATED ("About an hour ago"). */
export function humanDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 1) return 'Less than a second';
  if (s === 1) return '1 second';
  if (s < 60) return `${s} seconds`;
  const m = Math.floor(s / 60);
  if (m === 1) return 'About a minute';
  if (m < 60) return `${m} minutes`;
  const h = Math.round(ms / 3600000);
  if (h === 1) return 'About an hour';
  if (h < 48) return `${h} hours`;
  if (h < 24 * 7 * 2) return `${Math.floor(h / 24)} days`;
  if (h < 24 * 30 * 2) return `${Math.floor(h / 24 / 7)} weeks`;
  if (h < 24 * 365 * 2) return `${Math.floor(h / 24 / 30)} months`;
  return `${Math.floor(ms / 3600000 / 24 / 365)} years`;
}

/** crictl's table: text/tabwriter with minwidth 20, padding 3; the last column unpadded. */
function crictlTable(rows: string[][]): string {
  const widths = rows[0].map((_c, i) => Math.max(20, ...rows.map((r) => r[i].length + 3)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('') + '\n').join('');
}

/** `crictl ps [-a] [-q]` and `crictl pods` (cri-tools cmd/crictl/container.go, sandbox.go), newest first. */
export function crictl(state: State, node: NodeInfo, args: string[], now: number): { stdout: string; stderr: string; code: number } {
  const sub = args.find((a) => !a.startsWith('-'));
  const all = args.includes('-a') || args.includes('--all');
  const quiet = args.includes('-q') || args.includes('--quiet');
  // --name REGEX filters containers by name, as crictl's matchesRegex does
  const ni = args.findIndex((a) => a === '--name' || a.startsWith('--name='));
  const nameArg = ni < 0 ? undefined : args[ni].startsWith('--name=') ? args[ni].slice(7) : args[ni + 1];
  let nameRe: RegExp | undefined;
  try {
    nameRe = nameArg === undefined ? undefined : new RegExp(nameArg);
  } catch {
    return { stdout: '', stderr: `FATA[0000] listing containers: error parsing regexp: ${nameArg}\n`, code: 1 };
  }
  const pods = state.list('Pod').filter((p) => p.spec?.nodeName === node.name && p.status?.phase !== 'Pending');
  if (sub === 'ps') {
    const rows: { created: number; row: string[]; id: string }[] = [];
    for (const pod of pods) {
      for (const cs of (pod.status?.containerStatuses ?? []) as KObject[]) {
        const running = !!cs.state?.running;
        const ended = cs.state?.terminated;
        if (!running && !(all && ended)) continue;
        if (nameRe && !nameRe.test(cs.name)) continue;
        const id = String(cs.containerID ?? '').replace(/^[a-z]+:\/\//, '') || hex64(`${pod.metadata.uid}/${cs.name}`);
        const created = Date.parse(cs.state?.running?.startedAt ?? ended?.startedAt ?? pod.metadata.creationTimestamp ?? '') || now;
        const image = (/@sha256:([0-9a-f]+)/.exec(cs.imageID ?? '')?.[1] ?? hex64(cs.image ?? '')).slice(0, 13);
        rows.push({ created, id, row: [id.slice(0, 13), image, `${humanDuration(now - created)} ago`, running ? 'Running' : 'Exited', cs.name, String(cs.restartCount ?? 0), sandboxID(pod).slice(0, 13), pod.metadata.name as string, pod.metadata.namespace as string] });
      }
    }
    rows.sort((a, b) => b.created - a.created || a.row[4].localeCompare(b.row[4]));
    if (quiet) return { stdout: rows.map((r) => r.id + '\n').join(''), stderr: '', code: 0 };
    return { stdout: crictlTable([['CONTAINER', 'IMAGE', 'CREATED', 'STATE', 'NAME', 'ATTEMPT', 'POD ID', 'POD', 'NAMESPACE'], ...rows.map((r) => r.row)]), stderr: '', code: 0 };
  }
  if (sub === 'pods') {
    const rows = pods
      .map((pod) => ({ created: Date.parse(pod.metadata.creationTimestamp ?? '') || now, pod }))
      .sort((a, b) => b.created - a.created || a.pod.metadata.name.localeCompare(b.pod.metadata.name));
    if (quiet) return { stdout: rows.map((r) => sandboxID(r.pod) + '\n').join(''), stderr: '', code: 0 };
    const table = [['POD ID', 'CREATED', 'STATE', 'NAME', 'NAMESPACE', 'ATTEMPT', 'RUNTIME'], ...rows.map(({ created, pod }) => [sandboxID(pod).slice(0, 13), `${humanDuration(now - created)} ago`, pod.status?.phase === 'Running' ? 'Ready' : 'NotReady', pod.metadata.name as string, pod.metadata.namespace as string, '0', '(default)'])];
    return { stdout: crictlTable(table), stderr: '', code: 0 };
  }
  if (!sub) return { stdout: 'NAME:\n   crictl - client for CRI\n\nUSAGE:\n   crictl [global options] command [command options]\n\n', stderr: '', code: 0 };
  return { stdout: '', stderr: `kubesim: crictl ${sub} is not simulated (crictl ps, crictl pods are)\n`, code: 1 };
}

// ---------------------------------------------------------------- node processes' HTTP answers

/** Go's time.Time String() with the monotonic reading kube-proxy's clock carries. */
function goTime(ms: number, sinceStartMs: number): string {
  const d = new Date(ms);
  const frac = ms % 1000 ? '.' + String(ms % 1000).padStart(3, '0').replace(/0+$/, '') : '';
  const mono = Math.max(0, sinceStartMs) / 1000;
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 19)}${frac} +0000 UTC m=+${mono.toFixed(9)}`;
}

function goResponse(status: number, reason: string, contentType: string, body: string, nosniff = true): HttpResponse {
  const headers: [string, string][] = [['Content-Type', contentType]];
  if (nosniff) headers.push(['X-Content-Type-Options', 'nosniff']);
  headers.push(['Date', httpDate()], ['Content-Length', String(Buffer.byteLength(body))]);
  return { status, reason, headers, body };
}

const NOT_FOUND = (): HttpResponse => goResponse(404, 'Not Found', 'text/plain; charset=utf-8', '404 page not found\n');

/** What kube-proxy answers on a node: healthz and livez (10256), the metrics server (10249), a service's health check node port. */
export function kubeProxyHttp(state: State, node: NodeInfo, what: string, path: string, now: number, sp?: ServicePort): HttpResponse {
  const started = Date.parse(node.obj.metadata.creationTimestamp ?? '') || now;
  const p = path.split('?')[0];
  if (what === 'kube-proxy healthz') {
    if (p !== '/healthz' && p !== '/livez') return NOT_FOUND();
    const t = goTime(now, now - started);
    const body = p === '/healthz' ? `{"lastUpdated": "${t}","currentTime": "${t}", "nodeEligible": true}` : `{"lastUpdated": "${t}","currentTime": "${t}"}`;
    return goResponse(200, 'OK', 'application/json', body);
  }
  if (what === 'kube-proxy metrics') {
    if (p === '/proxyMode') return goResponse(200, 'OK', 'text/plain; charset=utf-8', state.config.proxyMode);
    if (p === '/healthz') return goResponse(200, 'OK', 'text/plain; charset=utf-8', 'ok');
    return NOT_FOUND();
  }
  if (what === 'kubelet healthz') return p === '/healthz' ? goResponse(200, 'OK', 'text/plain; charset=utf-8', 'ok') : NOT_FOUND();
  if (what === 'kube-proxy healthcheck' && sp) {
    const count = localEndpoints(sp, node.name).length;
    const body = `{\n\t"service": {\n\t\t"namespace": "${sp.namespace}",\n\t\t"name": "${sp.name}"\n\t},\n\t"localEndpoints": ${count},\n\t"serviceProxyHealthy": true\n}`;
    return goResponse(count ? 200 : 503, count ? 'OK' : 'Service Unavailable', 'application/json', body);
  }
  return NOT_FOUND();
}

/** crypto is loaded on first use: loading it costs every command several milliseconds (see model.ts). */
function sha(alg: string) {
  return (require('crypto') as typeof import('crypto')).createHash(alg);
}

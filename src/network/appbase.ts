// What every simulated application shares: the request and response shapes, the image's name and
// tag, the container's command line and own environment, the pod's hostname, and the clocks the
// servers print (HTTP dates, Go's log prefix). apps.ts dispatches; the applications live beside it.
import type { Hop } from './hops';
import type { KObject } from '../api/types';
import { normalizeImage } from '../controllers/kubelet-image';
import { nowMs } from '../util/clock';

export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
  ports?: { containerPort: number; protocol?: string; name?: string }[];
}

export interface HttpRequest {
  method: string;
  path: string;
  httpVersion: string;
  headers: [string, string][];
  clientIP: string;
  /** the client's source port as the server sees it; when absent one is made up from the request */
  clientPort?: number;
  /** the scheme, host and port the client asked for, for the echo page */
  url: string;
  /** the request body, when the client sent one and the transport kept it */
  body?: string;
}

export interface HttpResponse {
  status: number;
  reason: string;
  headers: [string, string][];
  body: string;
  /** the server dropped the connection without an answer (a Go handler that panicked) */
  abort?: boolean;
  /** what a proxy in between did (ingress-nginx's choice and its second connection), for curl --trace */
  trace?: Hop[];
}

/** The repository part of an image, without registry, tag or digest: "nginx", "bitnami/redis". */
export function imageRepo(image: string): string {
  const full = normalizeImage(image).replace(/@.*$/, '').replace(/:[^/:]+$/, '');
  return full.replace(/^docker\.io\/(library\/)?/, '').replace(/^[^/]+\.[^/]+\//, '');
}

/** The last path element of the repository: "hello-app" for us-docker.pkg.dev/google-samples/containers/gke/hello-app. */
export function imageName(image: string): string {
  return imageRepo(image).split('/').pop() as string;
}

export function imageTag(image: string): string {
  const m = /:([^/:@]+)(@|$)/.exec(image);
  return m ? m[1] : 'latest';
}

/** The tag's leading "major.minor" numbers, when it has them: "1.10" → [1, 10], "2.53" → [2, 53]. */
export function tagVersion(image: string): [number, number] | undefined {
  const m = /^v?(\d+)(?:\.(\d+))?/.exec(imageTag(image));
  return m ? [Number(m[1]), Number(m[2] ?? 0)] : undefined;
}

/** The header's value (names compare case-insensitively), the first when it repeats. */
export function header(req: HttpRequest, name: string): string | undefined {
  const n = name.toLowerCase();
  return req.headers.find(([k]) => k.toLowerCase() === n)?.[1];
}

/**
 * The hostname the container's processes see (os.Hostname()): spec.hostname, else the pod's name,
 * cut to 63 characters without a trailing '-' or '.' (kubelet's truncatePodHostnameIfNeeded,
 * kubernetes pkg/kubelet/kubelet_pods.go).
 */
export function podHostname(pod: KObject): string {
  const name = String(pod.spec?.hostname ?? pod.metadata.name);
  return name.length <= 63 ? name : name.slice(0, 63).replace(/[-.]+$/, '');
}

/**
 * The variables the container's own spec gives it (env: value, $(VAR) references to earlier ones,
 * the downward API's common fields), over HOSTNAME. What a server reads at start: PORT, POD_NAME…
 * Service variables are left out: no application here reads them.
 */
export function ownEnv(pod: KObject, c: Container): Map<string, string> {
  const out = new Map<string, string>([['HOSTNAME', podHostname(pod)]]);
  for (const e of c.env ?? []) {
    if (!e || typeof e.name !== 'string') continue;
    const fp = e.valueFrom?.fieldRef?.fieldPath;
    let v: string;
    if (fp) {
      const fields: Record<string, unknown> = {
        'metadata.name': pod.metadata.name,
        'metadata.namespace': pod.metadata.namespace,
        'metadata.uid': pod.metadata.uid,
        'spec.nodeName': pod.spec?.nodeName,
        'spec.serviceAccountName': pod.spec?.serviceAccountName,
        'status.podIP': pod.status?.podIP,
        'status.hostIP': pod.status?.hostIP,
      };
      v = String(fields[fp] ?? '');
    } else v = String(e.value ?? '').replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, n) => out.get(n) ?? m);
    out.set(e.name, v);
  }
  return out;
}

/** The container's command line: its command (else the image's entrypoint) and args (else, without a command, the image's CMD). */
export function commandLine(c: Container, entrypoint: string[], cmd: string[]): string[] {
  const strs = (a: unknown) => (Array.isArray(a) ? a.map((x) => String(x)) : undefined);
  const command = strs(c.command);
  const args = strs(c.args);
  return [...(command ?? entrypoint), ...(args ?? (command ? [] : cmd))];
}

/** pflag's reading of `--name=value` / `--name value` / `--flag` (booleans named in `bools`). */
export function parseFlags(argv: string[], bools: string[] = []): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const m = /^--?([^=]+)(?:=(.*))?$/s.exec(argv[i]);
    if (!m) continue;
    const [, name, inline] = m;
    if (inline !== undefined) flags.set(name, inline);
    else if (bools.includes(name)) flags.set(name, 'true');
    else if (i + 1 < argv.length) flags.set(name, argv[++i]);
  }
  return flags;
}

/** A port number flag's value, or the default when it is absent or not a number. */
export function portFlag(flags: Map<string, string>, name: string, def: number): number {
  const v = flags.get(name);
  return v !== undefined && /^-?\d+$/.test(v) ? Number(v) : def;
}

export function httpDate(ms = nowMs()): string {
  return new Date(ms).toUTCString();
}

const p2 = (n: number) => String(n).padStart(2, '0');

/** Go's log package prefix (log.LstdFlags, the container's UTC clock): "2025/03/01 12:00:00". */
export function goLogTime(ms = nowMs()): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}/${p2(d.getUTCMonth() + 1)}/${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
}

/** When the container started (its status's running.startedAt), if it runs. */
export function containerStartedMs(pod: KObject, container: string): number | undefined {
  const cs = ((pod.status?.containerStatuses ?? []) as { name: string; state?: { running?: { startedAt?: string } } }[]).find((s) => s.name === container);
  const t = Date.parse(cs?.state?.running?.startedAt ?? '');
  return Number.isNaN(t) ? undefined : t;
}

/** FNV-1a over a string: a stable number from a request's particulars. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A source port from Linux's default ephemeral range (net.ipv4.ip_local_port_range 32768–60999). */
export function ephemeralPort(key: string): number {
  return 32768 + (fnv1a(key) % (60999 - 32768 + 1));
}

/** Go's url.ParseQuery reading of a query string: the first value of each key, '+' as a space. */
export function queryValues(path: string): Map<string, string> {
  const out = new Map<string, string>();
  const q = path.includes('?') ? path.slice(path.indexOf('?') + 1) : '';
  for (const part of q.split('&')) {
    if (!part || part.includes(';')) continue; // Go 1.17+ rejects a ';' separator and drops that pair
    const i = part.indexOf('=');
    const dec = (s: string) => {
      try {
        return decodeURIComponent(s.replace(/\+/g, ' '));
      } catch {
        return undefined;
      }
    };
    const k = dec(i < 0 ? part : part.slice(0, i));
    const v = dec(i < 0 ? '' : part.slice(i + 1));
    if (k === undefined || v === undefined) continue;
    if (!out.has(k)) out.set(k, v);
  }
  return out;
}

// Who a container's processes are and what they may do, from the pod's and the container's
// securityContext (the container's fields win: pkg/securitycontext DetermineEffectiveSecurityContext)
// and the image's USER. The user and group IDs are containerd's: runAsUser, else the image's user;
// runAsGroup, else the primary group /etc/passwd gives that user, else 0; the groups are the primary
// one, the user's memberships in /etc/group, fsGroup and supplementalGroups (CRI SupplementalGroups),
// which the kernel keeps sorted (getgroups). The kubelet's own check is verifyRunAsNonRoot
// (pkg/kubelet/kuberuntime/security_context_others.go).
import type { KObject } from '../api/types';
import { imageRepo, imageTag } from './appbase';

export interface Capabilities {
  add?: string[];
  drop?: string[];
}

/** The fields of PodSecurityContext and SecurityContext that have an effect in kubesim. */
export interface SecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  privileged?: boolean;
  capabilities?: Capabilities;
  seccompProfile?: { type?: string };
}

interface ContainerLike {
  name: string;
  image: string;
  securityContext?: SecurityContext;
}

/** DetermineEffectiveSecurityContext: the pod's runAs* fields, each overridden by the container's. */
export function effectiveSecurityContext(pod: KObject, c: ContainerLike): SecurityContext {
  const p = (pod.spec?.securityContext ?? {}) as SecurityContext;
  const s = c.securityContext ?? {};
  return {
    runAsUser: s.runAsUser ?? p.runAsUser,
    runAsGroup: s.runAsGroup ?? p.runAsGroup,
    runAsNonRoot: s.runAsNonRoot ?? p.runAsNonRoot,
    readOnlyRootFilesystem: s.readOnlyRootFilesystem,
    allowPrivilegeEscalation: s.allowPrivilegeEscalation,
    privileged: s.privileged,
    capabilities: s.capabilities,
    seccompProfile: s.seccompProfile ?? p.seccompProfile,
  };
}

/**
 * The USER of an image's config (CRI ImageStatus uid or username) for the images kubesim knows that
 * do not run as root: nginxinc/nginx-unprivileged (USER $UID, 101), curlimages/curl (USER
 * curl_user: a name, which the kubelet cannot check), distroless :nonroot (65532), bitnami (1001).
 */
export function imageUser(image: string): { uid?: number; username?: string } {
  const repo = imageRepo(image);
  const last = repo.split('/').pop() as string;
  if (last === 'nginx-unprivileged') return { uid: 101 };
  if (repo === 'curlimages/curl') return { username: 'curl_user' };
  if (repo.includes('distroless') && /nonroot/.test(imageTag(image))) return { uid: 65532 };
  if (repo.startsWith('bitnami/')) return { uid: 1001 };
  return { uid: 0 };
}

/** The users kubesim's images add to their base's /etc/passwd (curlimages/curl's adduser). */
export function imagePasswdExtra(image: string): string {
  return imageRepo(image) === 'curlimages/curl' ? 'curl_user:x:100:101:Linux User,,,:/home/curl_user:/sbin/nologin\n' : '';
}

export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

export function parsePasswd(text: string | undefined): PasswdEntry[] {
  return (text ?? '')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(':'))
    .map((f) => ({ name: f[0], uid: Number(f[2]), gid: Number(f[3]), home: f[5] ?? '/' }));
}

export function parseGroup(text: string | undefined): { name: string; gid: number; members: string[] }[] {
  return (text ?? '')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(':'))
    .map((f) => ({ name: f[0], gid: Number(f[2]), members: (f[3] ?? '').split(',').filter(Boolean) }));
}

export interface Identity {
  uid: number;
  gid: number;
  /** the supplementary groups, sorted (the primary group among them) */
  groups: number[];
  /** the user's name in the image's /etc/passwd, when it has one */
  user?: string;
  /** its home directory there ("/" without an entry: runc's HOME) */
  home: string;
}

/** The container's user, group and groups (its /etc/passwd and /etc/group texts given). */
export function identity(pod: KObject, c: ContainerLike, passwd: string | undefined, group: string | undefined): Identity {
  const sc = effectiveSecurityContext(pod, c);
  const users = parsePasswd(passwd);
  const img = imageUser(c.image);
  const entry = sc.runAsUser !== undefined ? users.find((u) => u.uid === sc.runAsUser) : img.username ? users.find((u) => u.name === img.username) : users.find((u) => u.uid === (img.uid ?? 0));
  const uid = sc.runAsUser ?? img.uid ?? entry?.uid ?? 0;
  const gid = sc.runAsGroup ?? entry?.gid ?? 0;
  const podSc = pod.spec?.securityContext ?? {};
  const member = entry ? parseGroup(group).filter((g) => g.name !== entry.name && g.members.includes(entry.name)).map((g) => g.gid) : [];
  const extra = [...(podSc.fsGroup !== undefined ? [Number(podSc.fsGroup)] : []), ...((podSc.supplementalGroups ?? []) as number[]).map(Number)];
  const groups = [...new Set([gid, ...member, ...extra])].sort((a, b) => a - b);
  return { uid, gid, groups, user: entry?.name, home: entry?.home ?? '/' };
}

/** The pod's fsGroup: the group the kubelet gives the volumes that support ownership management. */
export function fsGroupOf(pod: KObject): number | undefined {
  const g = pod.spec?.securityContext?.fsGroup;
  return g === undefined || g === null ? undefined : Number(g);
}

/** format.Pod: name_namespace(uid). */
function podRef(pod: KObject): string {
  return `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
}

/** verifyRunAsNonRoot: the kubelet's refusal to start a container that would run as root (CreateContainerConfigError). */
export function verifyRunAsNonRoot(pod: KObject, c: ContainerLike): string | undefined {
  const sc = effectiveSecurityContext(pod, c);
  if (!sc.runAsNonRoot) return undefined;
  const ref = JSON.stringify(podRef(pod));
  if (sc.runAsUser !== undefined) return sc.runAsUser === 0 ? `container's runAsUser breaks non-root policy (pod: ${ref}, container: ${c.name})` : undefined;
  const img = imageUser(c.image);
  if (img.uid === undefined && img.username) return `container has runAsNonRoot and image has non-numeric user (${img.username}), cannot verify user is non-root (pod: ${ref}, container: ${c.name})`;
  if (img.uid === 0) return `container has runAsNonRoot and image will run as root (pod: ${ref}, container: ${c.name})`;
  return undefined;
}

// containerd's default capability set (oci.DefaultCaps / the CRI's defaults): CHOWN DAC_OVERRIDE
// FSETID FOWNER MKNOD NET_RAW SETGID SETUID SETFCAP SETPCAP NET_BIND_SERVICE SYS_CHROOT KILL AUDIT_WRITE
const CAP_BITS: Record<string, number> = {
  CHOWN: 0, DAC_OVERRIDE: 1, DAC_READ_SEARCH: 2, FOWNER: 3, FSETID: 4, KILL: 5, SETGID: 6, SETUID: 7, SETPCAP: 8, LINUX_IMMUTABLE: 9, NET_BIND_SERVICE: 10,
  NET_BROADCAST: 11, NET_ADMIN: 12, NET_RAW: 13, IPC_LOCK: 14, IPC_OWNER: 15, SYS_MODULE: 16, SYS_RAWIO: 17, SYS_CHROOT: 18, SYS_PTRACE: 19, SYS_PACCT: 20,
  SYS_ADMIN: 21, SYS_BOOT: 22, SYS_NICE: 23, SYS_RESOURCE: 24, SYS_TIME: 25, SYS_TTY_CONFIG: 26, MKNOD: 27, LEASE: 28, AUDIT_WRITE: 29, AUDIT_CONTROL: 30,
  SETFCAP: 31, MAC_OVERRIDE: 32, MAC_ADMIN: 33, SYSLOG: 34, WAKE_ALARM: 35, BLOCK_SUSPEND: 36, AUDIT_READ: 37, PERFMON: 38, BPF: 39, CHECKPOINT_RESTORE: 40,
};
const DEFAULT_CAPS = ['CHOWN', 'DAC_OVERRIDE', 'FSETID', 'FOWNER', 'MKNOD', 'NET_RAW', 'SETGID', 'SETUID', 'SETFCAP', 'SETPCAP', 'NET_BIND_SERVICE', 'SYS_CHROOT', 'KILL', 'AUDIT_WRITE'];

function capMask(names: Iterable<string>): bigint {
  let m = 0n;
  for (const n of names) if (CAP_BITS[n] !== undefined) m |= 1n << BigInt(CAP_BITS[n]);
  return m;
}

/**
 * The capability sets of process 1 as /proc/self/status shows them: the bounding set is the
 * defaults with `add` added and `drop` dropped (ALL drops all), privileged has every one; a non-root
 * user keeps none effective (no ambient capabilities); NoNewPrivs is allowPrivilegeEscalation false.
 */
export function procStatusSecurity(pod: KObject, c: ContainerLike, uid: number): string {
  const sc = effectiveSecurityContext(pod, c);
  let bnd: bigint;
  if (sc.privileged) bnd = (1n << 41n) - 1n;
  else {
    const add = (sc.capabilities?.add ?? []).map((x) => x.toUpperCase().replace(/^CAP_/, ''));
    const drop = (sc.capabilities?.drop ?? []).map((x) => x.toUpperCase().replace(/^CAP_/, ''));
    // containerd's WithCapabilities: ALL in add, then ALL in drop, then the single adds, then the single drops
    let set = new Set(add.includes('ALL') ? Object.keys(CAP_BITS) : DEFAULT_CAPS);
    if (drop.includes('ALL')) set = new Set();
    for (const a of add) if (a !== 'ALL') set.add(a);
    for (const d of drop) set.delete(d);
    bnd = capMask(set);
  }
  const eff = uid === 0 ? bnd : 0n;
  const hex = (m: bigint) => m.toString(16).padStart(16, '0');
  const nnp = sc.allowPrivilegeEscalation === false && !sc.privileged ? 1 : 0;
  // seccompProfile RuntimeDefault (or Localhost) is a filter (mode 2); Unconfined, the kubelet's default, none; privileged ignores it
  const filtered = !sc.privileged && ['RuntimeDefault', 'Localhost'].includes(sc.seccompProfile?.type ?? '');
  return `CapInh:\t0000000000000000\nCapPrm:\t${hex(eff)}\nCapEff:\t${hex(eff)}\nCapBnd:\t${hex(bnd)}\nCapAmb:\t0000000000000000\nNoNewPrivs:\t${nnp}\nSeccomp:\t${filtered ? 2 : 0}\nSeccomp_filters:\t${filtered ? 1 : 0}\n`;
}

interface NginxLike extends ContainerLike {
  command?: string[];
  args?: string[];
  volumeMounts?: { mountPath: string }[];
}

/**
 * Why the official nginx image's server cannot start under its securityContext: with a read-only
 * root file system or as a non-root user, nginx cannot make its temporary directories
 * (/var/cache/nginx/client_temp) or its pid file (/var/run/nginx.pid) unless volumes are mounted
 * there; and the entrypoint's 10-listen-on-ipv6-by-default.sh cannot touch default.conf. The lines
 * are nginx's (ngx_create_paths, ngx_create_pidfile: the error log line and the stderr line) and the
 * entrypoint's; undefined when it starts. nginx-unprivileged's paths are its user's (/tmp).
 */
export function nginxStartFailure(pod: KObject, c: NginxLike, ngTime: string): { ipv6: boolean; lines: string[]; notices: boolean } | undefined {
  const repo = imageRepo(c.image);
  if (repo.split('/').pop() !== 'nginx' || c.command?.length || c.args?.length) return undefined;
  const sc = effectiveSecurityContext(pod, c);
  const ro = !!sc.readOnlyRootFilesystem;
  const nonRoot = (sc.runAsUser ?? 0) !== 0;
  if (!ro && !nonRoot) return undefined;
  const mounted = (p: string) => (c.volumeMounts ?? []).some((m) => m.mountPath.replace(/\/+$/, '') === p);
  const errno = ro ? '30: Read-only file system' : '13: Permission denied';
  const both = (level: string, msg: string) => [`${ngTime} [${level}] 1#1: ${msg}`, `nginx: [${level}] ${msg}`];
  const warn = nonRoot ? both('warn', 'the "user" directive makes sense only if the master process runs with super-user privileges, ignored in /etc/nginx/nginx.conf:2') : [];
  const ipv6 = mounted('/etc/nginx/conf.d') || mounted('/etc/nginx');
  if (!mounted('/var/cache/nginx')) return { ipv6, lines: [...warn, ...both('emerg', `mkdir() "/var/cache/nginx/client_temp" failed (${errno})`)], notices: false };
  if (!mounted('/var/run') && !mounted('/run')) return { ipv6, lines: [...warn, ...both('emerg', `open() "/var/run/nginx.pid" failed (${errno})`)], notices: true };
  return { ipv6, lines: warn, notices: true };
}

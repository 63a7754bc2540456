// core/v1 Pod: defaulting, validation, the pod-count admission limit, the ServiceAccount admission
// plugin's token volume, the immutable spec on update, and the columns of printPod.
import { defaultPod } from '../../api/defaults';
import { forbiddenError, type FieldError } from '../../api/errors';
import type { KObject } from '../../api/types';
import { validatePod } from '../../api/validation';
import type { State } from '../../store/state';
import { clone } from '../../util/compare';
import { nowMs, rfc3339 } from '../../util/clock';
import { age } from '../../util/duration';
import { deepEqual } from '../../store/state';
import { AGE, NAME, orNone } from '../columns';
import { defineKind, resource, type Column } from '../strategy';
import { admitServiceAccount } from './serviceaccount';
import { admitPodPriority, notePriorityAsked } from '../priorityadmission';

const res = resource('Pod', 'pods', ['po'], '', 'v1', true, undefined, ['all']);

/**
 * kubesim's one admission limit, which a real cluster does not need: a Deployment may ask for
 * 2147483647 replicas, and each simulated pod costs memory and time. Past it, pod creation is
 * refused as ResourceQuota refuses it (Forbidden), and the ReplicaSet controller reports FailedCreate.
 */
export const MAX_PODS = 3000;

/**
 * The ServiceAccount admission plugin: every pod that does not opt out gets the projected
 * kube-api-access volume (token, CA bundle, namespace) mounted read-only in each container.
 */
function mountServiceAccountToken(state: State, pod: KObject): void {
  const spec = pod.spec;
  if (spec.automountServiceAccountToken === false) return;
  // the account's own opt-out, when the pod does not say
  if (spec.automountServiceAccountToken === undefined && state.get('ServiceAccount', pod.metadata.namespace, spec.serviceAccountName)?.automountServiceAccountToken === false) return;
  if ((spec.volumes ?? []).some((v: { name: string }) => v.name.startsWith('kube-api-access-'))) return;
  const name = `kube-api-access-${state.rand.suffix(5)}`;
  const mount = { mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', name, readOnly: true };
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) c.volumeMounts = [...(c.volumeMounts ?? []), mount];
  spec.volumes = [
    ...(spec.volumes ?? []),
    {
      name,
      projected: {
        defaultMode: 420,
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { items: [{ key: 'ca.crt', path: 'ca.crt' }], name: 'kube-root-ca.crt' } },
          { downwardAPI: { items: [{ fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' }, path: 'namespace' }] } },
        ],
      },
    },
  ];
}

/** A pod's spec may not change after creation, except images, activeDeadlineSeconds and tolerations additions. */
function podUpdateErrors(old: KObject, obj: KObject): FieldError[] {
  const strip = (p: KObject) => {
    const s = clone(p.spec);
    for (const c of s.containers ?? []) delete c.image;
    delete s.activeDeadlineSeconds;
    delete s.tolerations;
    return s;
  };
  if (deepEqual(strip(old), strip(obj))) return [];
  return [{ type: 'Forbidden', field: 'spec', detail: 'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)' }];
}


interface ContainerStatus {
  name: string;
  ready?: boolean;
  restartCount?: number;
  state?: { waiting?: { reason?: string }; running?: object; terminated?: { reason?: string; exitCode?: number; signal?: number } };
  lastState?: { terminated?: { finishedAt?: string } };
}

export function podStatusCells(pod: KObject): { ready: string; status: string; restarts: string } {
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  let total = (spec.containers ?? []).length;
  let ready = 0;
  let restarts = 0;
  let lastRestart = 0;
  let reason: string = status.reason || status.phase || '';
  for (const c of status.conditions ?? []) if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  const initSpecs: { name: string; restartPolicy?: string }[] = spec.initContainers ?? [];
  for (const ic of initSpecs) if (ic.restartPolicy === 'Always') total++;
  let initializing = false;
  const initStatuses: ContainerStatus[] = status.initContainerStatuses ?? [];
  initStatuses.forEach((c, i) => {
    restarts += c.restartCount ?? 0;
    const fin = c.lastState?.terminated?.finishedAt;
    if (fin && Date.parse(fin) > lastRestart) lastRestart = Date.parse(fin);
    const t = c.state?.terminated;
    if (t && t.exitCode === 0) return;
    if (initializing) return;
    if (t) reason = t.reason ? `Init:${t.reason}` : t.signal ? `Init:Signal:${t.signal}` : `Init:ExitCode:${t.exitCode}`;
    else if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing') reason = `Init:${c.state.waiting.reason}`;
    else reason = `Init:${i}/${initSpecs.length}`;
    initializing = true;
  });
  if (!initializing) {
    restarts = 0;
    lastRestart = 0;
    let hasRunning = false;
    const cs: ContainerStatus[] = status.containerStatuses ?? [];
    for (let i = cs.length - 1; i >= 0; i--) {
      const c = cs[i];
      restarts += c.restartCount ?? 0;
      const fin = c.lastState?.terminated?.finishedAt;
      if (fin && Date.parse(fin) > lastRestart) lastRestart = Date.parse(fin);
      const st = c.state ?? {};
      if (st.waiting?.reason) reason = st.waiting.reason;
      else if (st.terminated?.reason) reason = st.terminated.reason;
      else if (st.terminated) reason = st.terminated.signal ? `Signal:${st.terminated.signal}` : `ExitCode:${st.terminated.exitCode ?? 0}`;
      else if (c.ready && st.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = (status.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
    }
  }
  const terminal = status.phase === 'Succeeded' || status.phase === 'Failed';
  if (pod.metadata.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && !terminal) reason = 'Terminating';
  let restartsStr = String(restarts);
  if (restarts !== 0 && lastRestart) restartsStr = `${restarts} (${age(new Date(lastRestart).toISOString())} ago)`;
  return { ready: `${ready}/${total}`, status: reason, restarts: restartsStr };
}

/**
 * READY, STATUS and RESTARTS of one row come from one podStatusCells (30,000 rows: ~20 ms less): the
 * same pod, status and moment (RESTARTS has an age; kubesim serve prints cached pods again later).
 */
let lastRow: { pod: KObject; status: unknown; at: number; cells: ReturnType<typeof podStatusCells> } | undefined;
function rowCells(pod: KObject): ReturnType<typeof podStatusCells> {
  const at = nowMs();
  if (lastRow?.pod !== pod || lastRow.status !== pod.status || lastRow.at !== at) lastRow = { pod, status: pod.status, at, cells: podStatusCells(pod) };
  return lastRow.cells;
}

const columns: Column[] = [
  NAME,
  { header: 'READY', cell: (o) => rowCells(o).ready },
  { header: 'STATUS', cell: (o) => rowCells(o).status },
  { header: 'RESTARTS', cell: (o) => rowCells(o).restarts },
  AGE,
  { header: 'IP', wide: true, cell: (o) => orNone(o.status?.podIPs?.[0]?.ip) },
  { header: 'NODE', wide: true, cell: (o) => orNone(o.spec?.nodeName) },
  { header: 'NOMINATED NODE', wide: true, cell: (o) => orNone(o.status?.nominatedNodeName) },
  {
    header: 'READINESS GATES',
    wide: true,
    cell: (o) => {
      const gates: { conditionType: string }[] = o.spec?.readinessGates ?? [];
      if (!gates.length) return '<none>';
      const conds: { type: string; status: string }[] = o.status?.conditions ?? [];
      const ok = gates.filter((g) => conds.some((c) => c.type === g.conditionType && c.status === 'True')).length;
      return `${ok}/${gates.length}`;
    },
  },
];

/**
 * pkg/registry/core/pod/strategy.go CheckGracefulDelete: the grace period asked for, else the pod's
 * terminationGracePeriodSeconds; none for a pod no node runs or one already done (it goes at once);
 * a negative one is 1. A pod already terminating only has its deadline brought forward.
 */
const LAST_TIMESTAMP_MS = Date.UTC(9999, 11, 31, 23, 59, 59);

function checkGracefulDelete(_state: State, pod: KObject, asked: number | undefined): KObject | undefined {
  let grace = asked ?? Number(pod.spec?.terminationGracePeriodSeconds ?? 30);
  if (!pod.spec?.nodeName) grace = 0;
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') grace = 0;
  if (grace < 0) grace = 1;
  if (grace === 0) return undefined;
  // a grace period of centuries ends within what a timestamp can say (year 9999)
  const deadline = Math.min(nowMs() + grace * 1000, LAST_TIMESTAMP_MS);
  const md = pod.metadata;
  if (md.deletionTimestamp && Date.parse(md.deletionTimestamp) <= deadline) return pod;
  const upd = clone(pod);
  upd.metadata.deletionTimestamp = rfc3339(deadline);
  upd.metadata.deletionGracePeriodSeconds = grace;
  return upd;
}

export default defineKind({
  resource: res,
  systemStatus: true,
  defaults: (obj) => {
    notePriorityAsked(obj);
    defaultPod(obj);
  },
  // the Priority plugin is mutating admission, which runs before validation
  beginCreate(state, pod) {
    admitPodPriority(state, pod);
    return () => {};
  },
  validate: (obj) => validatePod(obj),
  validateUpdate: podUpdateErrors,
  admit(state, pod) {
    if (state.count('Pod') >= MAX_PODS) throw forbiddenError(res, pod.metadata.name ?? '', `kubesim simulates at most ${MAX_PODS} pods in a cluster`);
    admitServiceAccount(state, pod);
  },
  beforeStore(state, pod) {
    mountServiceAccountToken(state, pod);
    pod.status = { phase: 'Pending' };
  },
  gracefulDelete: checkGracefulDelete,
  fields: {
    'spec.nodeName': (o) => o.spec?.nodeName ?? '',
    'spec.restartPolicy': (o) => o.spec?.restartPolicy ?? '',
    'spec.schedulerName': (o) => o.spec?.schedulerName ?? '',
    'spec.serviceAccountName': (o) => o.spec?.serviceAccountName ?? '',
    'spec.hostNetwork': (o) => String(!!o.spec?.hostNetwork),
    'status.phase': (o) => o.status?.phase ?? '',
    'status.podIP': (o) => o.status?.podIP ?? '',
    'status.nominatedNodeName': (o) => o.status?.nominatedNodeName ?? '',
  },
  columns,
});

// The kubelet's side of `kubectl logs` (pkg/kubelet/kuberuntime/logs ReadLogs; the container checks
// of pkg/kubelet/kubelet_pods.go validateContainerLogStatus): which run's lines, the tail and since
// windows, the CRI timestamps. Read by `kubesim logs` (src/cli/logs.ts) and by `kubesim serve`'s
// pods/log (src/server/streams.ts), so both doors print the same log.
import type { KObject } from '../../api/types';
import type { State } from '../../store/state';
import { startupLog } from '../../network/apps';
import { appLog, currentTimedLog, type LogLine } from './logs';

/** Why a container has no log to read yet (the message's tail after "is waiting to start: "), if so. */
export function waitingReason(pod: KObject, container: string): string | undefined {
  const cs = (pod.status?.containerStatuses ?? []).find((c: { name: string }) => c.name === container);
  if (cs?.state?.running || cs?.state?.terminated) return undefined;
  // a container waiting to restart: its last run's log
  if (cs?.lastState?.terminated) return undefined;
  const reason = cs?.state?.waiting?.reason ?? 'ContainerCreating';
  if (reason === 'ErrImagePull' || reason === 'ImagePullBackOff') return 'trying and failing to pull image';
  if (reason === 'InvalidImageName') return "image can't be pulled";
  return reason;
}

export function startedAt(pod: KObject, container: string): number {
  const cs = (pod.status?.containerStatuses ?? []).find((x: { name: string }) => x.name === container);
  return Date.parse(cs?.state?.running?.startedAt ?? cs?.state?.terminated?.startedAt ?? pod.status?.startTime ?? '');
}

/** The container's log; one that ran before kubesim kept logs (the cluster's own pods) has its start-up lines. */
export function containerLog(state: State, pod: KObject, container: string): LogLine[] {
  const run = currentTimedLog(state, pod, container);
  if (run) return run;
  const started = startedAt(pod, container);
  const kept = state.runtime().logs[pod.metadata.uid as string];
  if (kept?.[container]) return appLog(state, pod, container, Number.isNaN(started) ? 0 : started);
  const c = (pod.spec?.containers ?? []).find((x: { name: string }) => x.name === container);
  return c && !Number.isNaN(started) ? startupLog(c, pod, started, state.config.proxyMode).map((text) => ({ text, at: started })) : [];
}

/**
 * The CRI log's timestamp (the kubelet writes types.RFC3339NanoFixed): the simulated clock has
 * milliseconds; the nanoseconds below them come from the line and go up with the lines written in
 * the same millisecond (the `nth`), so they look like a real log's and stay in order.
 */
export function stamp(l: LogLine, nth: number): string {
  let h = 2166136261;
  for (let i = 0; i < l.text.length; i++) h = Math.imul(h ^ l.text.charCodeAt(i), 16777619) >>> 0;
  const ns = Math.min(999_999, 100_000 + nth * 20_000 + (h % 10_000));
  return new Date(l.at).toISOString().replace(/Z$/, `${String(ns).padStart(6, '0')}Z`);
}

/** Lines as the log prints them: each with its prefix and, with timestamps, its CRI time. */
export function formatLog(lines: LogLine[], prefix: string, timestamps: boolean): string {
  let nth = 0;
  return lines
    .map((l, i) => {
      nth = i > 0 && lines[i - 1].at === l.at ? nth + 1 : 0;
      return `${prefix}${timestamps ? stamp(l, nth) + ' ' : ''}${l.text}\n`;
    })
    .join('');
}

/** The kubelet's ReadLogs: the last `tail` lines (all when negative), then those written before `since` skipped. */
export function logWindow(lines: LogLine[], tail: number, since: number | undefined): LogLine[] {
  const tailed = tail >= 0 ? lines.slice(Math.max(0, lines.length - tail)) : lines;
  return since === undefined ? tailed : tailed.filter((l) => l.at >= since);
}

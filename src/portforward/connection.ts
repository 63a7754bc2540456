// One forwarded connection answered by the simulated application on the pod's port (HTTP servers,
// redis, mongo, serve-hostname's TCP mode), whichever door it came through: `kubesim port-forward`'s
// local listeners (src/portforward/forward.ts) or a data stream of `kubesim serve`'s
// pods/portforward (src/server/portforward.ts). Each request reads and writes the cluster state
// through the door's transactions (what the nodes remember: logs, the redis data).
import type * as Net from 'net';
import type { KObject } from '../api/types';
import { isNodeReady } from '../api/nodeutil';
import type { State } from '../store/state';
import { appendLog, listenerFor, protocolOf, serveHttp, serverVersion, type Listener } from '../network/apps';
import { goLogTime, podHostname } from '../network/appbase';
import { serveHttpConnection } from './http';
import type { ForwardedPort } from './ports';
import { encode, parseCommand, runCommand } from './resp';
import { mongoSession } from './mongo';

const sha256 = (s: string): string => (require('crypto') as typeof import('crypto')).createHash('sha256').update(s).digest('hex');

/** The state through the door's transactions: a read, and a locked change of what the nodes remember. */
export interface PodTx {
  openRead(): State;
  touchRuntime<T>(fn: (state: State) => T): T;
}

export interface PodRef {
  namespace: string;
  name: string;
  uid: string;
}

export interface ConnectionReports {
  /** nothing listens on the port: the kubelet's error (the error stream's text) */
  refused(message: string): void;
  /** an error while answering one connection; forwarding goes on */
  error(e: unknown): void;
}

/** The kubelet's error when nothing listens on the pod's port (kubelet's portforward in the pod's network namespace). */
export function refusedError(pod: KObject, remote: number): string {
  const sandbox = sha256(String(pod.metadata.uid));
  const netns = `cni-${sandbox.slice(0, 8)}-${sandbox.slice(8, 12)}-${sandbox.slice(12, 16)}-${sandbox.slice(16, 20)}-${sandbox.slice(20, 32)}`;
  return `error forwarding port ${remote} to pod ${sandbox}, uid : failed to execute portforward in network namespace "/var/run/netns/${netns}": failed to connect to localhost:${remote} inside namespace "${sandbox}", IPv4: dial tcp4 127.0.0.1:${remote}: connect: connection refused IPv6 dial tcp6 [::1]:${remote}: connect: connection refused `;
}

/** The pod as it is now, or undefined when it is gone, replaced, or its node stopped. */
export function currentPod(tx: PodTx, ref: PodRef): KObject | undefined {
  const state = tx.openRead();
  const pod = state.get('Pod', ref.namespace, ref.name);
  if (!pod || pod.metadata.uid !== ref.uid || pod.metadata.deletionTimestamp) return undefined;
  const node = state.get('Node', undefined, pod.spec?.nodeName);
  if (!node || !isNodeReady(node)) return undefined;
  return pod;
}

export function handleConnection(tx: PodTx, ref: PodRef, fp: ForwardedPort, sock: Net.Socket, lost: () => void, report: ConnectionReports): void {
  const pod = currentPod(tx, ref);
  if (!pod) {
    sock.destroy();
    lost();
    return;
  }
  const l = listenerFor(pod, fp.remote);
  if (!l) {
    report.refused(refusedError(pod, fp.remote));
    sock.end(); // kubectl closes the client's connection: curl reports an empty reply
    return;
  }
  switch (protocolOf(l, fp.remote)) {
    case 'resp':
      return redisSession(tx, ref, l, sock, lost, report.error);
    case 'mongo':
      return mongoSession(sock, {
        container: l.container,
        log: (lines) =>
          tx.touchRuntime((state) => {
            const p = state.get('Pod', ref.namespace, ref.name);
            if (!p || p.metadata.uid !== ref.uid) return false;
            appendLog(state, p, l.container.name, lines);
            return true;
          }),
        read: () => tx.openRead().runtime().logs[ref.uid]?.[l.container.name] ?? [],
        lost,
        onError: report.error,
      });
    case 'raw': {
      // serve-hostname --tcp: the hostname, then the server closes (agnhost serve_hostname.go)
      const remote = `127.0.0.1:${sock.remotePort ?? 0}`;
      const ok = tx.touchRuntime((state) => {
        const p = state.get('Pod', ref.namespace, ref.name);
        if (!p || p.metadata.uid !== ref.uid) return false;
        appendLog(state, p, l.container.name, [`${goLogTime()} TCP request from ${remote}`]);
        return true;
      });
      if (!ok) {
        sock.destroy();
        lost();
        return;
      }
      sock.end(podHostname(pod));
      return;
    }
    case 'http':
      return serveHttpConnection(sock, `localhost:${fp.local}`, (req) =>
        tx.touchRuntime((state) => {
          const p = state.get('Pod', ref.namespace, ref.name);
          if (!p || p.metadata.uid !== ref.uid) {
            lost();
            return undefined;
          }
          return serveHttp(state, p, l, req);
        }),
        report.error,
      );
    default:
      // a server that waits for its own protocol (or TLS, not simulated here): open and silent
      sock.on('data', () => undefined);
  }
}

function redisSession(tx: PodTx, ref: PodRef, l: Listener, sock: Net.Socket, lost: () => void, reportError: (e: unknown) => void): void {
  let buf = Buffer.alloc(0);
  const version = serverVersion(l.container.image, 'redis');
  sock.on('data', (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    try {
      answerCommands();
    } catch (e) {
      sock.destroy();
      reportError(e);
    }
  });
  const answerCommands = () => {
    for (;;) {
      const cmd = parseCommand(buf);
      if (!cmd) return;
      buf = buf.subarray(cmd.used);
      if (!cmd.args.length) continue;
      const out = tx.touchRuntime((state) => {
        const p = state.get('Pod', ref.namespace, ref.name);
        if (!p || p.metadata.uid !== ref.uid) return undefined;
        const rt = state.runtime(true);
        const data = (rt.data[ref.uid] ??= {});
        return runCommand(data, cmd.args, version);
      });
      if (!out) {
        sock.destroy();
        lost();
        return;
      }
      sock.write(encode(out.reply));
      if (out.quit) {
        sock.end();
        return;
      }
    }
  };
}


// kubectl port-forward with real listeners: each local port accepts real TCP connections (on
// 127.0.0.1 and ::1 by default) and answers them with the simulated application on the chosen
// pod's port — HTTP servers, redis — reading and writing the cluster state as requests arrive.
// Runs until SIGINT/SIGTERM (exit 0) or until the pod goes away (`lost connection to pod`, exit 1).
import { writeOut, writeErr } from '../util/stdio';
import { clientOf } from '../apiserver/client';
import type * as Net from 'net';
import { CliError, formatErrors } from '../api/errors';
import { namespaceOf, openRead, touchRuntime, type GlobalOptions } from '../cli/context';
import { resolveTarget } from '../cli/pod-target';
import { nowMs } from '../util/clock';
import { currentPod, handleConnection, type PodRef, type PodTx } from './connection';
import { checkUDP, parsePorts, podPorts, servicePorts, type ForwardedPort } from './ports';
import { checkAccess } from '../apiserver/requester';

// net is loaded when port-forward runs, not by every command that loads this bundle
const net = (): typeof Net => require('net') as typeof Net;

export interface ForwardOptions {
  address?: string;
}

interface Address {
  family: 4 | 6;
  host: string;
  /** "all": only an error when every address fails; "any": any failure is an error */
  failureMode: 'all' | 'any';
}

function parseAddresses(spec: string): Address[] {
  const out: Address[] = [];
  for (const a of spec.split(',').map((s) => s.trim())) {
    if (a === 'localhost') out.push({ family: 4, host: '127.0.0.1', failureMode: 'all' }, { family: 6, host: '::1', failureMode: 'all' });
    else if (net().isIP(a)) out.push({ family: net().isIP(a) as 4 | 6, host: a, failureMode: 'any' });
    else throw new CliError(`error: ${a} is not a valid IP`, true);
  }
  return out;
}

/** Go's net error text for a failed listen. */
function listenError(addr: Address, port: number, e: NodeJS.ErrnoException): string {
  const why: Record<string, string> = { EADDRINUSE: 'address already in use', EACCES: 'permission denied', EADDRNOTAVAIL: 'cannot assign requested address' };
  const hp = addr.family === 6 ? `[${addr.host}]:${port}` : `${addr.host}:${port}`;
  return `unable to create listener: Error listen tcp${addr.family} ${hp}: bind: ${why[e.code ?? ''] ?? e.message}`;
}

function listen(addr: Address, port: number): Promise<Net.Server> {
  return new Promise((resolve, reject) => {
    const srv = net().createServer({ pauseOnConnect: false });
    srv.once('error', reject);
    srv.listen({ host: addr.host, port, ipv6Only: addr.family === 6, exclusive: true }, () => {
      srv.removeListener('error', reject);
      resolve(srv);
    });
  });
}

/** klog's header: E1201 05:08:25.123456   12345 file:line] */
function klog(file: string, msg: string): string {
  const d = new Date(nowMs());
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `E${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds() * 1000, 6)} ${String(process.pid).padStart(7)} ${file}] ${msg}\n`;
}

function refusedMessage(fp: ForwardedPort, inner: string): string {
  const err = `an error occurred forwarding ${fp.local} -> ${fp.remote}: ${inner}`.replace(/"/g, '\\"');
  return klog('portforward.go:424', `"Unhandled Error" err="${err}"`);
}

/** Resolves the target and the ports, then listens; resolves with the exit code when forwarding ends. */
export async function portForward(g: GlobalOptions, args: string[], o: ForwardOptions): Promise<number> {
  if (args.length < 2) throw new CliError("error: TYPE/NAME and list of ports are required for port-forward\nSee 'kubesim port-forward -h' for help and examples", true);
  const [target, ...portArgs] = args;
  // REFERENCE §7: more than one ':' is a format error (client-go's parsePorts), reported before the lookup
  for (const p of portArgs) if (p.split(':').length > 2) throw new CliError(`error: invalid port format '${p}'`, true);
  const ns = namespaceOf(g);
  const state = openRead(g);
  const t = resolveTarget(clientOf(state), ns, target);
  checkAccess(state, { verb: 'create', apiGroup: '', resource: 'pods', subresource: 'portforward', namespace: ns, name: t.pod.metadata.name });
  checkUDP(portArgs, t.owner ?? t.pod, t.pod);
  const translated = t.owner?.kind === 'Service' ? servicePorts(portArgs, t.owner, t.pod) : podPorts(portArgs, t.pod);
  const ports = parsePorts(translated);
  const addresses = parseAddresses(o.address ?? 'localhost');
  if (t.pod.status?.phase !== 'Running') throw new CliError(`error: unable to forward port because pod is not running. Current status=${t.pod.status?.phase ?? 'Pending'}`, true);
  const tx: PodTx = { openRead: () => openRead(g), touchRuntime: (fn) => touchRuntime(g, fn) };
  const ref: PodRef = { namespace: t.pod.metadata.namespace as string, name: t.pod.metadata.name, uid: t.pod.metadata.uid as string };

  const servers: Net.Server[] = [];
  const sockets = new Set<Net.Socket>();
  // set once forwarding runs; a connection that finds the pod gone ends the command through it
  let lost: () => void = () => undefined;
  let listening = false;
  for (const fp of ports) {
    const errors: string[] = [];
    const fails = { all: 0, any: 0 };
    const ok = { all: 0, any: 0 };
    for (const addr of addresses) {
      try {
        const srv = await listen(addr, fp.local);
        if (fp.local === 0) fp.local = (srv.address() as Net.AddressInfo).port;
        servers.push(srv);
        ok[addr.failureMode]++;
        writeOut(`Forwarding from ${addr.family === 6 ? `[${addr.host}]` : addr.host}:${fp.local} -> ${fp.remote}\n`);
        srv.on('connection', (sock) => {
          sockets.add(sock);
          sock.on('close', () => sockets.delete(sock));
          sock.on('error', () => sock.destroy());
          writeOut(`Handling connection for ${fp.local}\n`);
          handleConnection(tx, ref, fp, sock, () => lost(), { refused: (inner) => writeErr(refusedMessage(fp, inner)), error: reportError });
        });
      } catch (e) {
        errors.push(listenError(addr, fp.local, e as NodeJS.ErrnoException));
        fails[addr.failureMode]++;
      }
    }
    if ((ok.all === 0 && fails.all > 0) || fails.any > 0) {
      writeErr(`Unable to listen on port ${fp.local}: Listeners failed to create with the following errors: [${errors.join(' ')}]\n`);
    } else listening = true;
  }
  if (!listening) {
    closeAll(servers, sockets);
    throw new CliError(`error: unable to listen on any of the requested ports: [${ports.map((p) => `{${p.local} ${p.remote}}`).join(' ')}]`, true);
  }

  return new Promise<number>((resolve) => {
    let done = false;
    const finish = (code: number) => {
      if (done) return;
      done = true;
      clearInterval(watch);
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      closeAll(servers, sockets);
      resolve(code);
    };
    const onSignal = () => finish(0);
    lost = () => {
      writeErr('error: lost connection to pod\n');
      finish(1);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    // the pod is watched: deleted, replaced or on a stopped node ends the forwarding
    const watch = setInterval(() => {
      try {
        if (!currentPod(tx, ref)) lost();
      } catch {
        /* the state is being rewritten: look again next time */
      }
    }, 300);
  });
}

function closeAll(servers: Net.Server[], sockets: Set<Net.Socket>): void {
  for (const s of servers) s.close();
  for (const s of sockets) s.destroy();
}

/** An error while answering one connection: said on stderr as kubectl's errors are; forwarding goes on. */
function reportError(e: unknown): void {
  writeErr(formatErrors([e]) + '\n');
}

// mongod as the official `mongo` image runs it: its version by tag, its log (JSON lines from 4.4
// on, the older text lines before), and its answers to the commands a client's handshake and the
// port-forward tutorial send (hello/isMaster, ping, buildInfo, getParameter, getLog…). Pure
// computation on BSON documents; src/portforward/mongo.ts carries them over the wire protocol.
//
// Sources: mongodb/mongo src/mongo/db/repl/replication_info.cpp (hello's fields),
// src/mongo/db/commands/generic*.cpp (ping, buildInfo, getLog, getCmdLineOpts…),
// src/mongo/db/service_entry_point_common.cpp ("no such command", CommandNotFound 59),
// src/mongo/logv2/json_formatter.cpp (the padded "s", "c" and "id" fields); docker-library/mongo
// docker-entrypoint.sh (mongod --bind_ip_all when no bind address is given); kubernetes/website
// content/en/docs/tasks/access-application-cluster/port-forward-access-application-cluster.md.
import type { KObject } from '../api/types';
import { nowMs } from '../util/clock';
import { Double, type BsonDocument, type BsonValue } from './bson';
import { commandLine, imageTag, podHostname, type Container } from './appbase';

export interface MongoVersion {
  version: string;
  /** maxWireVersion */
  wire: number;
  /** 4.4 and later log JSON lines */
  json: boolean;
}

/** A recent patch release of each line the image has tags for, with its wire version. */
const LINES: Record<string, [string, number]> = {
  '3.6': ['3.6.23', 6],
  '4.0': ['4.0.28', 7],
  '4.2': ['4.2.24', 8],
  '4.4': ['4.4.29', 9],
  '5.0': ['5.0.30', 13],
  '6.0': ['6.0.19', 17],
  '7.0': ['7.0.16', 21],
  '8.0': ['8.0.4', 25],
};
/** A tag that names no version (latest, jammy…) runs 7.0 here. */
const DEFAULT_LINE = '7.0';

export function mongoVersion(image: string): MongoVersion {
  const m = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(imageTag(image));
  let line = DEFAULT_LINE;
  let version: string | undefined;
  if (m && LINES[`${m[1]}.${m[2] ?? '0'}`]) {
    line = `${m[1]}.${m[2] ?? '0'}`;
    if (m[3] !== undefined) version = `${m[1]}.${m[2]}.${m[3]}`;
  }
  const [latest, wire] = LINES[line];
  const [maj, min] = line.split('.').map(Number);
  return { version: version ?? latest, wire, json: maj > 4 || (maj === 4 && min >= 4) };
}

/** mongod's command line: the entrypoint prepends mongod to flags and adds --bind_ip_all when no address is bound. */
export function mongodArgv(c: Container): string[] {
  let argv = commandLine(c, ['docker-entrypoint.sh'], ['mongod']);
  if (/docker-entrypoint\.sh$/.test(argv[0] ?? '')) argv = argv.slice(1);
  if (argv[0]?.startsWith('-')) argv = ['mongod', ...argv];
  if (argv[0] === 'mongod' && !argv.some((a) => /^--bind_ip(_all)?(=|$)/.test(a))) argv = [...argv, '--bind_ip_all'];
  return argv;
}

export function mongoPort(c: Container): number {
  const argv = mongodArgv(c);
  const i = argv.findIndex((a) => a === '--port' || a.startsWith('--port='));
  const v = i < 0 ? undefined : argv[i].includes('=') ? argv[i].split('=')[1] : argv[i + 1];
  return v && /^\d+$/.test(v) ? Number(v) : 27017;
}

/** getCmdLineOpts' "parsed": the options mongod read from its flags. */
function parsedOptions(argv: string[]): BsonDocument {
  const parsed: Record<string, Record<string, BsonValue>> = {};
  const set = (section: string, key: string, v: BsonValue) => ((parsed[section] ??= {})[key] = v);
  for (let i = 1; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s);
    const val = () => inline ?? argv[++i] ?? '';
    if (flag === '--bind_ip_all') set('net', 'bindIp', '*');
    else if (flag === '--bind_ip') set('net', 'bindIp', val());
    else if (flag === '--port') set('net', 'port', Number(val()));
    else if (flag === '--dbpath') set('storage', 'dbPath', val());
    else if (flag === '--replSet') set('replication', 'replSet', val());
    else if (flag === '--auth') set('security', 'authorization', 'enabled');
  }
  return parsed;
}

// ---------------------------------------------------------------- the log

const PAD = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - s.length));

function isoOffset(ms: number, colon: boolean): string {
  return new Date(ms).toISOString().replace('Z', colon ? '+00:00' : '+0000');
}

export interface LogEntry {
  s: 'I' | 'W' | 'E';
  c: string;
  id: number;
  ctx: string;
  msg: string;
  attr?: Record<string, unknown>;
  tags?: string[];
  /** the pre-4.4 text line's message, when it says it differently */
  text?: string;
}

/** One log line in the version's format: logv2's JSON, or the text format before 4.4. */
export function mongoLogLine(v: MongoVersion, ms: number, e: LogEntry): string {
  if (!v.json) return `${isoOffset(ms, false)} ${e.text?.startsWith('**') ? 'I' : e.s}  ${PAD(e.c, 8)} [${e.ctx}] ${e.text ?? e.msg}`;
  const head = `{"t":{"$date":"${isoOffset(ms, true)}"},"s":${PAD(`"${e.s}",`, 6)}"c":${PAD(`"${e.c}",`, 12)}"id":${PAD(`${e.id},`, 9)}"ctx":${JSON.stringify(e.ctx)},"msg":${JSON.stringify(e.msg)}`;
  return head + (e.attr ? `,"attr":${JSON.stringify(e.attr)}` : '') + (e.tags ? `,"tags":${JSON.stringify(e.tags)}` : '') + '}';
}

const ACCESS_CONTROL_WARNING: LogEntry = {
  s: 'W',
  c: 'CONTROL',
  id: 22120,
  ctx: 'initandlisten',
  msg: 'Access control is not enabled for the database. Read and write access to data and configuration is unrestricted',
  tags: ['startupWarnings'],
  text: '** WARNING: Access control is not enabled for the database.',
};

/** What mongod prints from start to "Waiting for connections" (the lines that matter of the many). */
export function mongoStartupLog(pod: KObject, c: Container, ms: number): string[] {
  const v = mongoVersion(c.image);
  const argv = mongodArgv(c);
  const port = mongoPort(c);
  const host = podHostname(pod);
  const bind = ((parsedOptions(argv).net as BsonDocument | undefined)?.bindIp as string | undefined) ?? 'localhost';
  const wire = { minWireVersion: 0, maxWireVersion: v.wire };
  const entries: LogEntry[] = [
    { s: 'I', c: 'CONTROL', id: 23285, ctx: 'main', msg: "Automatically disabling TLS 1.0, to force-enable TLS 1.0 specify --sslDisabledProtocols 'none'" },
    { s: 'I', c: 'NETWORK', id: 4915701, ctx: 'main', msg: 'Initialized wire specification', attr: { spec: { incomingExternalClient: wire, incomingInternalClient: wire, outgoing: { minWireVersion: 6, maxWireVersion: v.wire }, isInternalClient: true } } },
    { s: 'I', c: 'CONTROL', id: 4615611, ctx: 'initandlisten', msg: 'MongoDB starting', attr: { pid: 1, port, dbPath: '/data/db', architecture: '64-bit', host }, text: `MongoDB starting : pid=1 port=${port} dbpath=/data/db 64-bit host=${host}` },
    { s: 'I', c: 'CONTROL', id: 23403, ctx: 'initandlisten', msg: 'Build Info', attr: { buildInfo: { version: v.version, openSSLVersion: 'OpenSSL 3.0.2 15 Mar 2022', modules: [], allocator: 'tcmalloc', environment: { distmod: 'ubuntu2204', distarch: 'x86_64', target_arch: 'x86_64' } } }, text: `db version v${v.version}` },
    { s: 'I', c: 'CONTROL', id: 21951, ctx: 'initandlisten', msg: 'Options set by command line', attr: { options: parsedOptions(argv) }, text: `options: ${JSON.stringify(parsedOptions(argv))}` },
    ACCESS_CONTROL_WARNING,
    { s: 'I', c: 'NETWORK', id: 23015, ctx: 'listener', msg: 'Listening on', attr: { address: `/tmp/mongodb-${port}.sock` }, text: `Listening on /tmp/mongodb-${port}.sock` },
    { s: 'I', c: 'NETWORK', id: 23015, ctx: 'listener', msg: 'Listening on', attr: { address: bind === '*' ? '0.0.0.0' : bind }, text: `Listening on ${bind === '*' ? '0.0.0.0' : bind}` },
    { s: 'I', c: 'NETWORK', id: 23016, ctx: 'listener', msg: 'Waiting for connections', attr: { port, ssl: 'off' }, text: `waiting for connections on port ${port}` },
  ];
  return entries.map((e) => mongoLogLine(v, ms, e));
}

/** A BSON value as logv2 prints it in an attribute (relaxed extended JSON, enough for client metadata). */
export function jsonOf(v: BsonValue): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Double) return v.value;
  if (v instanceof Date) return { $date: v.toISOString() };
  if (Array.isArray(v)) return v.map(jsonOf);
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonOf(x)]));
  if (v && typeof v === 'object') return String(v.constructor.name);
  return v;
}

/** The lines a client's connection leaves in the log: accepted, its metadata, ended. */
export function connectionLog(v: MongoVersion, ms: number, kind: 'accepted' | 'metadata' | 'ended', conn: { id: number; remote: string; uuid: string; open: number; metadata?: BsonDocument }): string {
  const uuid = { uuid: { $uuid: conn.uuid } };
  const s = conn.open === 1 ? '' : 's';
  switch (kind) {
    case 'accepted':
      return mongoLogLine(v, ms, { s: 'I', c: 'NETWORK', id: 22943, ctx: 'listener', msg: 'Connection accepted', attr: { remote: conn.remote, uuid, connectionId: conn.id, connectionCount: conn.open }, text: `connection accepted from ${conn.remote} #${conn.id} (${conn.open} connection${s} now open)` });
    case 'metadata':
      return mongoLogLine(v, ms, { s: 'I', c: 'NETWORK', id: 51800, ctx: `conn${conn.id}`, msg: 'client metadata', attr: { remote: conn.remote, client: `conn${conn.id}`, negotiatedCompressors: [], doc: jsonOf(conn.metadata ?? {}) }, text: `received client metadata from ${conn.remote} conn${conn.id}: ${JSON.stringify(jsonOf(conn.metadata ?? {}))}` });
    default:
      return mongoLogLine(v, ms, { s: 'I', c: 'NETWORK', id: 22944, ctx: `conn${conn.id}`, msg: 'Connection ended', attr: { remote: conn.remote, uuid, connectionId: conn.id, connectionCount: conn.open }, text: `end connection ${conn.remote} (${conn.open} connection${s} now open)` });
  }
}

// ---------------------------------------------------------------- commands

export interface CommandContext {
  version: MongoVersion;
  container: Container;
  connectionId: number;
  remote: string;
  /** the container's log so far (getLog global) */
  log: () => string[];
}

const ok = (doc: BsonDocument = {}): BsonDocument => ({ ...doc, ok: new Double(1) });

/** A command's failure: ok 0 with the server's message, code and code name. */
export function commandError(errmsg: string, code: number, codeName: string): BsonDocument {
  return { ok: new Double(0), errmsg, code, codeName };
}

const MAX_BSON = 16 * 1024 * 1024;
export const MAX_MESSAGE = 48000000;

/** hello / isMaster's reply for a standalone server. */
function hello(ctx: CommandContext, cmd: BsonDocument, name: string): BsonDocument {
  const primary: BsonDocument = name === 'hello' ? { isWritablePrimary: true } : { ismaster: true };
  // no topologyVersion: without one a driver polls (heartbeatFrequencyMS) instead of waiting on
  // an awaitable hello, and a standalone server's topology never changes here anyway
  return ok({
    ...(cmd.helloOk === true ? { helloOk: true } : {}),
    ...primary,
    maxBsonObjectSize: MAX_BSON,
    maxMessageSizeBytes: MAX_MESSAGE,
    maxWriteBatchSize: 100000,
    localTime: new Date(nowMs()),
    logicalSessionTimeoutMinutes: 30,
    connectionId: ctx.connectionId,
    minWireVersion: 0,
    maxWireVersion: ctx.version.wire,
    readOnly: false,
  });
}

function buildInfo(v: MongoVersion): BsonDocument {
  const parts = v.version.split('.').map(Number);
  return ok({
    version: v.version,
    modules: [],
    allocator: 'tcmalloc',
    javascriptEngine: 'mozjs',
    sysInfo: 'deprecated',
    versionArray: [parts[0], parts[1], parts[2], 0],
    openssl: { running: 'OpenSSL 3.0.2 15 Mar 2022', compiled: 'OpenSSL 3.0.2 15 Mar 2022' },
    buildEnvironment: { distmod: 'ubuntu2204', distarch: 'x86_64', target_arch: 'x86_64', target_os: 'linux' },
    bits: 64,
    debug: false,
    maxBsonObjectSize: MAX_BSON,
    storageEngines: ['devnull', 'wiredTiger'],
  });
}

function getParameter(ctx: CommandContext, cmd: BsonDocument): BsonDocument {
  const [maj, min] = ctx.version.version.split('.');
  const known: BsonDocument = {
    authenticationMechanisms: ['SCRAM-SHA-1', 'SCRAM-SHA-256'],
    featureCompatibilityVersion: { version: `${maj}.${min}` },
    logLevel: 0,
    maxBSONObjectSize: MAX_BSON,
  };
  const all = cmd.getParameter === '*';
  const out: BsonDocument = {};
  for (const [k, v] of Object.entries(known)) if (all || (k in cmd && k !== 'getParameter')) out[k] = v;
  if (!Object.keys(out).length) return commandError('no option found to get', 72, 'InvalidOptions');
  return ok(out);
}

function getLog(ctx: CommandContext, cmd: BsonDocument): BsonDocument {
  const which = cmd.getLog;
  if (which === '*') return ok({ names: ['global', 'startupWarnings'] });
  if (which === 'startupWarnings') {
    const lines = [mongoLogLine(ctx.version, nowMs(), ACCESS_CONTROL_WARNING)];
    return ok({ totalLinesWritten: lines.length, log: lines });
  }
  if (which === 'global') {
    const lines = ctx.log();
    return ok({ totalLinesWritten: lines.length, log: lines.slice(-1024) });
  }
  return commandError(`No log named '${String(which)}'`, 2, 'BadValue');
}

/** The first field names the command, as mongod reads it (case matters; a few have lower-case aliases). */
export function runMongoCommand(ctx: CommandContext, cmd: BsonDocument): BsonDocument {
  const name = Object.keys(cmd)[0] ?? '';
  switch (name) {
    case 'hello':
    case 'isMaster':
    case 'ismaster':
      return hello(ctx, cmd, name);
    case 'ping':
    case 'endSessions':
    case 'logout':
      return ok();
    case 'buildInfo':
    case 'buildinfo':
      return buildInfo(ctx.version);
    case 'getParameter':
      return getParameter(ctx, cmd);
    case 'getLog':
      return getLog(ctx, cmd);
    case 'getCmdLineOpts': {
      const argv = mongodArgv(ctx.container);
      return ok({ argv, parsed: parsedOptions(argv) });
    }
    case 'connectionStatus':
      return ok({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] } });
    case 'whatsmyuri':
      return ok({ you: ctx.remote });
    case 'listDatabases': {
      const dbs = [
        { name: 'admin', sizeOnDisk: 40960, empty: false },
        { name: 'config', sizeOnDisk: 12288, empty: false },
        { name: 'local', sizeOnDisk: 40960, empty: false },
      ];
      if (cmd.nameOnly === true) return ok({ databases: dbs.map((d) => ({ name: d.name })) });
      return ok({ databases: dbs, totalSize: 94208, totalSizeMb: 0 });
    }
    default:
      return commandError(`no such command: '${name}'`, 59, 'CommandNotFound');
  }
}

// Redis's protocol (RESP2) and the commands a lab uses, over each pod's keys kept in the state so
// they outlive one forwarding session: PING, ECHO, SET, GET, DEL, EXISTS, INCR/DECR, KEYS, and the
// handshake commands redis-cli sends (COMMAND DOCS, INFO, SELECT, CLIENT).
import { setKey } from '../util/compare';
export type Reply = { simple: string } | { error: string } | { int: number } | { bulk: string | null } | { array: Reply[] };

export function encode(r: Reply): string {
  if ('simple' in r) return `+${r.simple}\r\n`;
  if ('error' in r) return `-${r.error}\r\n`;
  if ('int' in r) return `:${r.int}\r\n`;
  if ('bulk' in r) return r.bulk === null ? '$-1\r\n' : `$${Buffer.byteLength(r.bulk)}\r\n${r.bulk}\r\n`;
  return `*${r.array.length}\r\n${r.array.map(encode).join('')}`;
}

/** One command from the front of the buffer: a RESP array of bulk strings, or an inline command line. */
export function parseCommand(buf: Buffer): { args: string[]; used: number } | undefined {
  if (!buf.length) return undefined;
  if (buf[0] !== 0x2a /* * */) {
    const nl = buf.indexOf('\n');
    if (nl < 0) return undefined;
    const line = buf.subarray(0, nl).toString('utf8').replace(/\r$/, '');
    return { args: line.split(/\s+/).filter(Boolean), used: nl + 1 };
  }
  let pos = 0;
  const readLine = (): string | undefined => {
    const nl = buf.indexOf('\r\n', pos);
    if (nl < 0) return undefined;
    const s = buf.subarray(pos, nl).toString('utf8');
    pos = nl + 2;
    return s;
  };
  const head = readLine();
  if (head === undefined) return undefined;
  const n = Number(head.slice(1));
  const args: string[] = [];
  for (let i = 0; i < n; i++) {
    const len = readLine();
    if (len === undefined || !len.startsWith('$')) return undefined;
    const size = Number(len.slice(1));
    if (buf.length < pos + size + 2) return undefined;
    args.push(buf.subarray(pos, pos + size).toString('utf8'));
    pos += size + 2;
  }
  return { args, used: pos };
}

function glob(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += `[${pattern.slice(i + 1, end).replace(/^\^/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (c === '\\' && i + 1 < pattern.length) re += '\\' + pattern[++i];
    else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

const ARITY: Record<string, number> = { get: 2, set: -3, del: -2, exists: -2, incr: 2, decr: 2, incrby: 3, decrby: 3, keys: 2, echo: 2, append: 3, strlen: 2, type: 2, ttl: 2, expire: -3, mget: -2, mset: -3, select: 2, dbsize: 1 };

/** Runs one command against a pod's keys (mutated in place); `quit` asks the caller to close. */
export function runCommand(data: Record<string, string>, args: string[], version: string): { reply: Reply; quit?: boolean } {
  if (!args.length) return { reply: { error: 'ERR unknown command' } };
  const name = args[0].toLowerCase();
  const a = args.slice(1);
  const arity = ARITY[name];
  if (arity !== undefined && (arity > 0 ? args.length !== arity : args.length < -arity)) {
    return { reply: { error: `ERR wrong number of arguments for '${name}' command` } };
  }
  const notInt = { error: 'ERR value is not an integer or out of range' };
  const add = (k: string, by: number): Reply => {
    const cur = data[k] ?? '0';
    if (!/^-?\d+$/.test(cur)) return notInt;
    const v = Number(cur) + by;
    setKey(data, k, String(v));
    return { int: v };
  };
  switch (name) {
    case 'ping':
      return { reply: a.length ? { bulk: a[0] } : { simple: 'PONG' } };
    case 'echo':
      return { reply: { bulk: a[0] } };
    case 'set': {
      const opts = a.slice(2).map((x) => x.toUpperCase());
      if (opts.includes('NX') && a[0] in data) return { reply: { bulk: null } };
      if (opts.includes('XX') && !(a[0] in data)) return { reply: { bulk: null } };
      data[a[0]] = a[1];
      return { reply: { simple: 'OK' } };
    }
    case 'get':
      return { reply: { bulk: data[a[0]] ?? null } };
    case 'mget':
      return { reply: { array: a.map((k) => ({ bulk: data[k] ?? null })) } };
    case 'mset':
      for (let i = 0; i + 1 < a.length; i += 2) data[a[i]] = a[i + 1];
      return { reply: { simple: 'OK' } };
    case 'del': {
      let n = 0;
      for (const k of a) if (k in data) (delete data[k], n++);
      return { reply: { int: n } };
    }
    case 'exists':
      return { reply: { int: a.filter((k) => k in data).length } };
    case 'incr':
      return { reply: add(a[0], 1) };
    case 'decr':
      return { reply: add(a[0], -1) };
    case 'incrby':
    case 'decrby':
      if (!/^-?\d+$/.test(a[1])) return { reply: notInt };
      return { reply: add(a[0], (name === 'incrby' ? 1 : -1) * Number(a[1])) };
    case 'append':
      data[a[0]] = (data[a[0]] ?? '') + a[1];
      return { reply: { int: Buffer.byteLength(data[a[0]]) } };
    case 'strlen':
      return { reply: { int: Buffer.byteLength(data[a[0]] ?? '') } };
    case 'type':
      return { reply: { simple: a[0] in data ? 'string' : 'none' } };
    case 'ttl':
      return { reply: { int: a[0] in data ? -1 : -2 } };
    case 'expire':
      return { reply: { int: a[0] in data ? 1 : 0 } };
    case 'keys': {
      const re = glob(a[0]);
      return { reply: { array: Object.keys(data).filter((k) => re.test(k)).sort().map((k) => ({ bulk: k })) } };
    }
    case 'dbsize':
      return { reply: { int: Object.keys(data).length } };
    case 'flushdb':
    case 'flushall':
      for (const k of Object.keys(data)) delete data[k];
      return { reply: { simple: 'OK' } };
    case 'select':
      return { reply: a[0] === '0' ? { simple: 'OK' } : { error: 'ERR DB index is out of range' } };
    case 'command':
      return { reply: { array: [] } };
    case 'client':
      return { reply: { simple: 'OK' } };
    case 'info':
      return { reply: { bulk: `# Server\r\nredis_version:${version}\r\nredis_mode:standalone\r\nos:Linux\r\ntcp_port:6379\r\n\r\n# Keyspace\r\n${Object.keys(data).length ? `db0:keys=${Object.keys(data).length},expires=0,avg_ttl=0\r\n` : ''}` } };
    case 'quit':
      return { reply: { simple: 'OK' }, quit: true };
    default: {
      const rest = a.map((x) => `'${x}' `).join('');
      return { reply: { error: `ERR unknown command '${args[0]}', with args beginning with: ${rest}` } };
    }
  }
}

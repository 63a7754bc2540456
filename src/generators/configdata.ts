// kubectl's ConfigMap and Secret generators (pkg/cmd/create/create_configmap.go, create_secret.go,
// create_secret_tls.go, create_secret_docker.go; pkg/util ParseFileSource / ParseLiteralSource;
// pkg/cmd/util/env_file.go; pkg/util/hash for --append-hash). Objects are built with keys in Go
// struct order; maps are key-sorted, as encoding/json writes them. The sources are read here.
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import { CliError } from '../api/errors';
import type { KObject } from '../api/types';
import { isConfigMapKey } from '../apiserver/kinds/configmap';
import { goQuote } from '../printers/describe/common';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

const fail = (msg: string): never => {
  throw new CliError(`error: ${msg}`, true);
};

const sorted = <T>(m: Record<string, T>): Record<string, T> => Object.fromEntries(Object.keys(m).sort().map((k) => [k, m[k]]));

/** pflag's StringSlice: each value is a CSV record (encoding/csv). */
export function csvValues(values: string[] = []): string[] {
  const out: string[] = [];
  for (const v of values) {
    if (v === '') continue;
    let field = '';
    let quoted = false;
    let i = 0;
    let start = true;
    while (i < v.length) {
      const ch = v[i];
      if (start && ch === '"') {
        quoted = true;
        start = false;
        i++;
        continue;
      }
      start = false;
      if (quoted) {
        if (ch === '"' && v[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (ch === '"') {
          quoted = false;
          i++;
        } else field += v[i++];
      } else if (ch === ',') {
        out.push(field);
        field = '';
        start = true;
        i++;
      } else field += v[i++];
    }
    out.push(field);
  }
  return out;
}

/** util.ParseFileSource: "[key=]path". */
function parseFileSource(source: string): [string, string] {
  const n = source.split('=').length - 1;
  if (n === 0) {
    const trimmed = source.replace(/\/+$/, '');
    return [source === '' ? '.' : trimmed === '' ? '/' : posix.basename(trimmed), source];
  }
  if (n === 1 && source.startsWith('=')) fail(`key name for file path ${source.slice(1)} missing`);
  if (n === 1 && source.endsWith('=')) fail(`file path for key name ${source.slice(0, -1)} missing`);
  if (n > 1) fail("key names or file paths cannot contain '='");
  const [k, p] = source.split('=');
  return [k, p];
}

/** util.ParseLiteralSource: "key=value", the value may hold "=". */
function parseLiteralSource(source: string): [string, string] {
  const i = source.indexOf('=');
  if (i <= 0) fail(`invalid literal source ${source}, expected key=value`);
  return [source.slice(0, i), source.slice(i + 1)];
}

/** os.Stat's error as kubectl reports it: "error reading PATH: no such file or directory". */
function statOrFail(path: string): import("node:fs").Stats {
  try {
    return statSync(path);
  } catch (e) {
    return fail(`error reading ${path}: ${errnoText(e)}`);
  }
}

function errnoText(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'ENOTDIR') return 'not a directory';
  if (code === 'EISDIR') return 'is a directory';
  return String((e as Error).message ?? e);
}

function readOrFail(path: string, prefix = ''): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    return fail(prefix + (code === 'EISDIR' ? `read ${path}: is a directory` : `open ${path}: ${errnoText(e)}`));
  }
}

/** A directory's regular files, by name (os.ReadDir order). */
function dirFiles(dir: string): [string, string][] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => d.name)
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
    .map((n) => [n, posix.join(dir, n)]);
}

/** The key-value sources of a file source: one file, or each regular file of a directory. */
function fileSources(fileSourcesArg: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (const src of fileSourcesArg) {
    const [key, path] = parseFileSource(src);
    const info = statOrFail(path);
    if (info.isDirectory()) {
      if (src.includes('=')) fail('cannot give a key name for a directory path');
      out.push(...dirFiles(path));
    } else out.push([key, path]);
  }
  return out;
}

const ENV_NAME_ERROR =
  "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')";

/** validation.IsEnvVarName */
function isEnvVarName(key: string): string[] {
  const errs: string[] = [];
  if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(key)) errs.push(ENV_NAME_ERROR);
  if (key === '.') errs.push("must not be '.'");
  else if (key === '..') errs.push("must not be '..'");
  else if (key.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
function validUTF8(b: Buffer): boolean {
  try {
    utf8.decode(b);
    return true;
  } catch {
    return false;
  }
}

/** cmdutil.AddFromEnvFile: KEY=value lines, comments and blank lines skipped, KEY alone from the environment. */
function envFile(path: string, dirError: string, add: (k: string, v: string) => void): void {
  const info = statOrFail(path);
  if (info.isDirectory()) fail(dirError);
  const buf = readOrFail(path);
  // bufio.ScanLines: "\n" ends a line, a trailing "\r" is dropped, a last line without "\n" counts
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < buf.length; i++) {
    if (buf[i] === 0x0a) {
      lines.push(buf.subarray(start, i));
      start = i + 1;
    }
  }
  if (start < buf.length) lines.push(buf.subarray(start));
  lines.forEach((raw, n) => {
    let line = raw.length && raw[raw.length - 1] === 0x0d ? raw.subarray(0, raw.length - 1) : raw;
    if (!validUTF8(line)) fail(`env file ${path} contains invalid utf8 bytes at line ${n + 1}: [${[...line].join(' ')}]`);
    let text = line.toString('utf8');
    if (n === 0 && text.startsWith('\ufeff')) text = text.slice(1);
    text = text.replace(/^[\s\u0085\u00a0]+/, '');
    if (text === '' || text[0] === '#') return;
    const i = text.indexOf('=');
    const key = i < 0 ? text : text.slice(0, i);
    const errs = isEnvVarName(key);
    if (errs.length) fail(`${goQuote(key)} is not a valid key name: ${errs.join(';')}`);
    add(key, i < 0 ? (process.env[key] ?? '') : text.slice(i + 1));
  });
}

/** pkg/util/hash encodeHash: the first ten hex digits of the SHA-256, some made letters. */
function encodeHash(hex: string): string {
  const swap: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
  return [...hex.slice(0, 10)].map((c) => swap[c] ?? c).join('');
}

/** encoding/json's string escaping (HTML-safe, as json.Marshal writes it). */
function goJSON(v: unknown): string {
  return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/** hash.ConfigMapHash: json.Marshal of {binaryData?, data, kind, name} (keys sorted). */
function configMapHash(name: string, data: Obj, binaryData: Obj): string {
  const m: Obj = {};
  if (Object.keys(binaryData).length) m.binaryData = sorted(binaryData);
  m.data = sorted(data);
  m.kind = 'ConfigMap';
  m.name = name;
  return encodeHash(sha(goJSON(m)));
}

/** hash.SecretHash: json.Marshal of {data, kind, name, type}. */
function secretHash(name: string, type: string, data: Obj): string {
  return encodeHash(sha(goJSON({ data: sorted(data), kind: 'Secret', name, type })));
}

function meta(name: string, namespace: string | undefined): Obj {
  return { name, ...(namespace ? { namespace } : {}), creationTimestamp: null };
}

export interface ConfigSources {
  fromFile?: string[];
  fromLiteral?: string[];
  fromEnvFile?: string[];
  appendHash?: boolean;
}

function checkEnvCombination(s: ConfigSources): void {
  if (csvValues(s.fromEnvFile).length && (csvValues(s.fromFile).length || (s.fromLiteral ?? []).length)) fail('from-env-file cannot be combined with from-file or from-literal');
}

/** create configmap NAME: files first, then literals, then env files. */
export function configMapFor(name: string, namespace: string | undefined, s: ConfigSources): KObject {
  checkEnvCombination(s);
  // null-prototype maps: a key may be "constructor" or "__proto__"
  const data: Record<string, string> = Object.create(null);
  const binaryData: Record<string, string> = Object.create(null);
  const check = (key: string) => {
    const errs = isConfigMapKey(key);
    if (errs.length) fail(`${goQuote(key)} is not a valid key name for a ConfigMap: ${errs.join(',')}`);
    if (Object.hasOwn(data, key)) fail(`cannot add key ${goQuote(key)}, another key by that name already exists in Data for ConfigMap ${goQuote(name)}`);
    if (Object.hasOwn(binaryData, key)) fail(`cannot add key ${goQuote(key)}, another key by that name already exists in BinaryData for ConfigMap ${goQuote(name)}`);
  };
  const literal = (k: string, v: string) => {
    check(k);
    data[k] = v;
  };
  const fs = csvValues(s.fromFile);
  if (fs.length) {
    for (const [key, path] of fileSources(fs)) {
      const buf = readOrFail(path);
      if (validUTF8(buf)) literal(key, buf.toString('utf8'));
      else {
        check(key);
        binaryData[key] = buf.toString('base64');
      }
    }
  }
  for (const l of s.fromLiteral ?? []) literal(...parseLiteralSource(l));
  for (const f of csvValues(s.fromEnvFile)) envFile(f, 'env config file cannot be a directory', literal);
  const finalName = s.appendHash ? `${name}-${configMapHash(name, data, binaryData)}` : name;
  const cm: Obj = { kind: 'ConfigMap', apiVersion: 'v1', metadata: meta(finalName, namespace) };
  if (Object.keys(data).length) cm.data = sorted(data);
  if (Object.keys(binaryData).length) cm.binaryData = sorted(binaryData);
  return cm as KObject;
}

class SecretData {
  data: Record<string, string> = Object.create(null);
  add(key: string, value: Buffer): void {
    const errs = isConfigMapKey(key);
    if (errs.length) fail(`${goQuote(key)} is not valid key name for a Secret ${errs.join(';')}`);
    if (Object.hasOwn(this.data, key)) fail(`cannot add key ${key}, another key by that name already exists`);
    this.data[key] = value.toString('base64');
  }
  files(sources: string[]): void {
    for (const [key, path] of fileSources(sources)) this.add(key, readOrFail(path));
  }
}

function secretObj(name: string, namespace: string | undefined, type: string, d: SecretData, appendHash?: boolean): KObject {
  const finalName = appendHash ? `${name}-${secretHash(name, type, d.data)}` : name;
  const secret: Obj = { kind: 'Secret', apiVersion: 'v1', metadata: meta(finalName, namespace) };
  if (Object.keys(d.data).length) secret.data = sorted(d.data);
  if (type) secret.type = type;
  return secret as KObject;
}

/** create secret generic NAME: literals first, then files, then env files. */
export function genericSecretFor(name: string, namespace: string | undefined, s: ConfigSources & { type?: string }): KObject {
  checkEnvCombination(s);
  const d = new SecretData();
  for (const l of s.fromLiteral ?? []) {
    const [k, v] = parseLiteralSource(l);
    d.add(k, Buffer.from(v, 'utf8'));
  }
  const fs = csvValues(s.fromFile);
  if (fs.length) d.files(fs);
  for (const f of csvValues(s.fromEnvFile)) envFile(f, 'env secret file cannot be a directory', (k, v) => d.add(k, Buffer.from(v, 'utf8')));
  return secretObj(name, namespace, s.type ?? '', d, s.appendHash);
}

/** tls.X509KeyPair's checks, with Go's messages for the common failures. */
function checkKeyPair(cert: Buffer, key: Buffer): void {
  const blocks = (b: Buffer) => [...b.toString('latin1').matchAll(/-----BEGIN ([^-\n]*)-----/g)].map((m) => m[1]);
  const certTypes = blocks(cert);
  if (!certTypes.length) fail('tls: failed to find any PEM data in certificate input');
  if (!certTypes.includes('CERTIFICATE') && certTypes.length === 1 && certTypes[0].endsWith('PRIVATE KEY')) fail('tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched');
  if (!certTypes.includes('CERTIFICATE')) fail(`tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: [${certTypes.join(' ')}]`);
  const keyTypes = blocks(key);
  if (!keyTypes.length) fail('tls: failed to find any PEM data in key input');
  const isKey = (t: string) => t === 'PRIVATE KEY' || t.endsWith(' PRIVATE KEY');
  if (!keyTypes.some(isKey) && keyTypes.length === 1 && keyTypes[0] === 'CERTIFICATE') fail('tls: found a certificate rather than a key in the PEM for the private key');
  if (!keyTypes.some(isKey)) fail(`tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after skipping PEM blocks of the following types: [${keyTypes.join(' ')}]`);
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch {
    return fail('x509: malformed certificate');
  }
  let pk;
  try {
    pk = createPrivateKey(key);
  } catch {
    return fail('tls: failed to parse private key');
  }
  if (!x509.checkPrivateKey(pk)) fail('tls: private key does not match public key');
}

/** create secret tls NAME --cert --key */
export function tlsSecretFor(name: string, namespace: string | undefined, o: { cert?: string; key?: string; appendHash?: boolean }): KObject {
  if (!o.key || !o.cert) fail('key and cert must be specified');
  // create_secret_tls.go readFile: "Cannot read file PATH, ERR"
  const cert = readOrFail(o.cert!, `Cannot read file ${o.cert}, `);
  const key = readOrFail(o.key!, `Cannot read file ${o.key}, `);
  checkKeyPair(cert, key);
  const d = new SecretData();
  d.data['tls.crt'] = cert.toString('base64');
  d.data['tls.key'] = key.toString('base64');
  return secretObj(name, namespace, 'kubernetes.io/tls', d, o.appendHash);
}

export interface DockerArgs {
  dockerServer?: string;
  dockerUsername?: string;
  dockerPassword?: string;
  dockerEmail?: string;
  fromFile?: string[];
  appendHash?: boolean;
}

/** create secret docker-registry NAME: a .dockerconfigjson from the flags, or the files given. */
export function dockerSecretFor(name: string, namespace: string | undefined, o: DockerArgs): KObject {
  const files = csvValues(o.fromFile);
  if (!files.length && (!o.dockerUsername || !o.dockerPassword || o.dockerServer === '')) fail('either --from-file or the combination of --docker-username, --docker-password and --docker-server is required');
  const d = new SecretData();
  if (files.length) d.files(files);
  else {
    const user = o.dockerUsername!;
    const pass = o.dockerPassword!;
    const entry: Obj = { username: user, password: pass };
    if (o.dockerEmail) entry.email = o.dockerEmail;
    entry.auth = Buffer.from(`${user}:${pass}`, 'utf8').toString('base64');
    const server = o.dockerServer ?? 'https://index.docker.io/v1/';
    d.data['.dockerconfigjson'] = Buffer.from(goJSON({ auths: { [server]: entry } }), 'utf8').toString('base64');
  }
  return secretObj(name, namespace, 'kubernetes.io/dockerconfigjson', d, o.appendHash);
}

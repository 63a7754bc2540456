// kubectl create serviceaccount (pkg/cmd/create/create_serviceaccount.go) and the service-account
// tokens the apiserver issues (pkg/serviceaccount/claims.go, jwt.go): a JWT whose claims go-jose
// writes as a map (keys sorted at every level), signed RS256. kubesim's signature is not a real one.
import { createHash } from 'node:crypto';
import type { KObject } from '../api/types';

/** The object `create serviceaccount` builds, keys in Go struct order (-o json keeps it). */
export function serviceAccountFor(name: string, namespace: string | undefined): KObject {
  return {
    kind: 'ServiceAccount',
    apiVersion: 'v1',
    metadata: { name, ...(namespace ? { namespace } : {}), creationTimestamp: null } as unknown as KObject['metadata'],
  };
}

/** kubeadm's --service-account-issuer and the apiserver's default --api-audiences. */
export const TOKEN_ISSUER = 'https://kubernetes.default.svc.cluster.local';
/** the lifetime the apiserver gives a TokenRequest that names none */
export const DEFAULT_TOKEN_SECONDS = 3600;

export interface TokenClaims {
  namespace: string;
  serviceAccount: { name: string; uid: string };
  audiences?: string[];
  /** issued at, in seconds since the epoch */
  iat: number;
  exp: number;
  /** what the token is bound to (a pod token: the pod and its node) */
  pod?: { name: string; uid: string };
  node?: { name: string; uid: string };
  secret?: { name: string; uid: string };
  /** a pod token whose lifetime was extended: when the kubelet should have renewed it */
  warnafter?: number;
  /** what makes this token's jti and signature its own */
  seed: string;
}

function b64url(s: string | Buffer): string {
  return Buffer.from(s).toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

const sha = (alg: string, s: string) => createHash(alg).update(s).digest();

/** A version-4 UUID made of hex digits. */
function uuid4(h: string): string {
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[parseInt(h[16], 16) & 3]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The key id: the cluster's one signing key, named after the cluster's creation. */
export function tokenKeyId(clusterCreatedAt: string): string {
  return b64url(sha('sha256', `kid/${clusterCreatedAt}`)).slice(0, 43);
}

/** A signed service-account JWT: header.payload.signature, each base64url without padding. */
export function serviceAccountJWT(clusterCreatedAt: string, c: TokenClaims): string {
  const header = { alg: 'RS256', kid: tokenKeyId(clusterCreatedAt) };
  const k8s: Record<string, unknown> = { namespace: c.namespace };
  if (c.node) k8s.node = c.node;
  if (c.pod) k8s.pod = c.pod;
  if (c.secret) k8s.secret = c.secret;
  k8s.serviceaccount = c.serviceAccount;
  if (c.warnafter !== undefined) k8s.warnafter = c.warnafter;
  const payload = {
    aud: c.audiences?.length ? c.audiences : [TOKEN_ISSUER],
    exp: c.exp,
    iat: c.iat,
    iss: TOKEN_ISSUER,
    jti: uuid4(sha('sha256', `jti/${c.seed}`).toString('hex')),
    'kubernetes.io': k8s,
    nbf: c.iat,
    sub: `system:serviceaccount:${c.namespace}:${c.serviceAccount.name}`,
  };
  const sig = sha('sha512', `sig/${c.seed}/${c.serviceAccount.uid}`);
  return `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}.${b64url(Buffer.concat([sig, sig, sig, sig]))}`;
}

/**
 * A Go duration (time.ParseDuration): "10m", "1h30m", "1.5h", "300ms"; milliseconds, or undefined
 * when it is not one.
 */
export function parseGoDuration(s: string): number | undefined {
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 };
  let rest = s;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest[0] === '-') sign = -1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  let total = 0;
  while (rest) {
    const m = /^(\d+\.?\d*|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/.exec(rest);
    if (!m) return undefined;
    total += Number(m[1]) * units[m[2]];
    rest = rest.slice(m[0].length);
  }
  return sign * total;
}

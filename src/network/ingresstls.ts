// The certificate ingress-nginx presents on 443 for a TLS client's SNI name: the tls.crt of the
// Secret an Ingress's spec.tls names for that host (internal/ingress/controller/controller.go
// createServers: the server's SSLCert), else the controller's own "Kubernetes Ingress Controller
// Fake Certificate" (internal/net/ssl/ssl.go GetFakeSSLCert: O=Acme Co, valid a year from start).
// What curl -v prints of it and why curl refuses it without -k (OpenSSL's verify result).
import type { State } from '../store/state';
import { tlsFor } from './ingressroute';
import { watchedIngresses } from './ingressnginx';
import { containerStartedMs } from './appbase';
import { nowMs } from '../util/clock';

export interface ServerCert {
  subject: string;
  issuer: string;
  start: string;
  expire: string;
  /** OpenSSL's verify failure as curl words it */
  problem: string;
  /** X509_V_ERR_… number curl prints with -k */
  code: number;
  /** where it came from, for --trace */
  source: string;
  /** the certificate itself, when it is one kubesim can read (a Secret's) */
  x509?: import('crypto').X509Certificate;
  verbose(insecure: boolean, h2?: boolean): string[];
}

/**
 * OpenSSL's verdict with curl's --cacert: the chain ends at a certificate of the file (the server's
 * own, for a self-signed one), then the name is checked. Returns curl's error, or undefined when
 * the connection is trusted.
 */
export function verifyWith(cert: ServerCert, caPem: string, host: string): { code: number; message: string } | undefined {
  const problem = { code: 60, message: `SSL certificate problem: ${cert.problem}` };
  if (!cert.x509) return problem;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { X509Certificate } = require('crypto') as typeof import('crypto');
  const cas: import('crypto').X509Certificate[] = [];
  for (const block of caPem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []) {
    try {
      cas.push(new X509Certificate(block));
    } catch {
      /* not a certificate: OpenSSL skips it */
    }
  }
  const x = cert.x509;
  const trusted = cas.some((ca) => ca.raw.equals(x.raw) || (x.checkIssued(ca) && x.verify(ca.publicKey)));
  if (!trusted) return cert.code === 18 ? problem : { code: 60, message: 'SSL certificate problem: unable to get local issuer certificate' };
  const isIP = /^\d+\.\d+\.\d+\.\d+$/.test(host);
  if (!(isIP ? x.checkIP(host) : x.checkHost(host))) return { code: 60, message: `SSL: no alternative certificate subject name matches target host name '${host}'` };
  return undefined;
}

export const FAKE_SUBJECT = 'O=Acme Co; CN=Kubernetes Ingress Controller Fake Certificate';

/** OpenSSL's ASN1_TIME_print: "Dec  2 16:19:39 2026 GMT". */
function asn1Time(ms: number): string {
  const d = new Date(ms);
  const mon = d.toUTCString().slice(8, 11);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${mon} ${String(d.getUTCDate()).padStart(2, ' ')} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${d.getUTCFullYear()} GMT`;
}

function make(c: Omit<ServerCert, 'verbose'>): ServerCert {
  return {
    ...c,
    verbose(insecure: boolean, h2 = true) {
      const hs = [
        h2 ? 'ALPN: offers h2,http/1.1' : 'ALPN: offers http/1.1',
        'TLSv1.3 (OUT), TLS handshake, Client hello (1):',
        'TLSv1.3 (IN), TLS handshake, Server hello (2):',
        'TLSv1.3 (IN), TLS handshake, Encrypted Extensions (8):',
        'TLSv1.3 (IN), TLS handshake, Certificate (11):',
      ];
      if (!insecure) return hs;
      return [
        ...hs,
        'TLSv1.3 (IN), TLS handshake, CERT verify (15):',
        'TLSv1.3 (IN), TLS handshake, Finished (20):',
        'TLSv1.3 (OUT), TLS change cipher, Change cipher spec (1):',
        'TLSv1.3 (OUT), TLS handshake, Finished (20):',
        'SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384',
        h2 ? 'ALPN: server accepted h2' : 'ALPN: server accepted http/1.1',
        'Server certificate:',
        ` subject: ${c.subject}`,
        ` start date: ${c.start}`,
        ` expire date: ${c.expire}`,
        ` issuer: ${c.issuer}`,
        ` SSL certificate verify result: ${c.problem} (${c.code}), continuing anyway.`,
        ...(h2 ? ['Using HTTP2, server supports multiplexing'] : []),
      ];
    },
  };
}

/** The controller pod's fake certificate, made when it started. */
function fake(state: State): ServerCert {
  const pod = state.list('Pod', 'ingress-nginx').find((p) => p.metadata.labels?.['app.kubernetes.io/component'] === 'controller');
  const started = (pod && containerStartedMs(pod, 'controller')) ?? nowMs();
  return make({ subject: FAKE_SUBJECT, issuer: FAKE_SUBJECT, start: asn1Time(started), expire: asn1Time(started + 365 * 86400_000), problem: 'self-signed certificate', code: 18, source: 'the controller\'s default "Kubernetes Ingress Controller Fake Certificate"' });
}

/** The certificate for an SNI name ('' when the client sent none: an IP address in the URL). */
export function serverCertificate(state: State, sni: string): ServerCert {
  if (!sni) return fake(state);
  const tls = tlsFor(watchedIngresses(state), sni);
  if (!tls?.secretName) return fake(state);
  const secret = state.get('Secret', tls.namespace, tls.secretName);
  const pem = secret?.data?.['tls.crt'] ? Buffer.from(String(secret.data['tls.crt']), 'base64').toString('latin1') : undefined;
  if (!pem) return fake(state);
  const source = `Secret ${tls.namespace}/${tls.secretName}`;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { X509Certificate } = require('crypto') as typeof import('crypto');
    const x = new X509Certificate(pem);
    const name = (s: string) => s.split('\n').filter(Boolean).join('; ');
    const self = x.subject === x.issuer;
    return make({ subject: name(x.subject), issuer: name(x.issuer), start: x.validFrom, expire: x.validTo, problem: self ? 'self-signed certificate' : 'unable to get local issuer certificate', code: self ? 18 : 20, source, x509: x });
  } catch {
    // not a certificate kubesim can read: the name it is for stands in
    const now = nowMs();
    return make({ subject: `CN=${sni}`, issuer: `CN=${sni}`, start: asn1Time(now), expire: asn1Time(now + 365 * 86400_000), problem: 'self-signed certificate', code: 18, source });
  }
}

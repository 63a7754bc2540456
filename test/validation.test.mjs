// Defaulting and validation (src/api/defaults.ts, src/api/validation.ts) against the apiserver's
// messages: pkg/apis/core/validation/validation.go, apimachinery pkg/util/validation, REFERENCE §3.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const lib = require('../dist/lib.cjs');
const {
  defaultService,
  defaultPod,
  defaultEndpoints,
  defaultEndpointSlice,
  validateService,
  validatePod,
  validateEndpoints,
  validateEndpointSlice,
  validateServiceClusterIPsRelatedFields,
  validateServiceIPFamiliesForCluster,
  validateObjectMeta,
  nameIsDNSSubdomain,
  checkTypes,
  checkServiceTypes,
  fieldErrorString,
  invalidError,
  formatErrors,
  resourceByKind,
} = lib;

const DNS1035 =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const DNS1123_LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1123_SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_KEY_NAME =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const IP_MSG = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

function service(spec, name = 'web', extraMeta = {}) {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default', ...extraMeta }, spec };
}

/** Default then validate, as the apiserver does; returns "<field>: <body>" lines. */
function svcErrors(spec, name, extraMeta) {
  const svc = service(spec, name, extraMeta);
  defaultService(svc);
  return validateService(svc).map(fieldErrorString);
}

const web = (extra = {}) => ({ selector: { app: 'web' }, ports: [{ port: 80 }], ...extra });

describe('Service validation', () => {
  test('seed manifest: a comma-joined type is unsupported, and nothing else is reported', () => {
    assert.deepEqual(svcErrors(web({ type: 'ClusterIP,NodePort,LoadBalancer' })), [
      'spec.type: Unsupported value: "ClusterIP,NodePort,LoadBalancer": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
    ]);
  });

  test('a valid ClusterIP service has no errors', () => {
    assert.deepEqual(svcErrors(web()), []);
  });

  test('name must be a DNS-1035 label', () => {
    assert.deepEqual(svcErrors(web(), 'My_Svc'), [`metadata.name: Invalid value: "My_Svc": ${DNS1035}`]);
    assert.deepEqual(svcErrors(web(), '1web'), [`metadata.name: Invalid value: "1web": ${DNS1035}`]);
  });

  test('name longer than 63 characters', () => {
    const name = 'a'.repeat(64);
    assert.deepEqual(svcErrors(web(), name), [`metadata.name: Invalid value: "${name}": must be no more than 63 characters`]);
  });

  test('missing name', () => {
    assert.deepEqual(svcErrors(web(), ''), ['metadata.name: Required value: name or generateName is required']);
  });

  test('ports are required unless headless or ExternalName', () => {
    assert.deepEqual(svcErrors({ selector: { app: 'web' } }), ['spec.ports: Required value']);
    assert.deepEqual(svcErrors({ clusterIP: 'None', selector: { app: 'web' } }), []);
  });

  test('several ports must all be named, uniquely', () => {
    assert.deepEqual(svcErrors({ selector: { a: 'b' }, ports: [{ port: 80 }, { name: 'b', port: 81 }] }), ['spec.ports[0].name: Required value']);
    assert.deepEqual(svcErrors({ selector: { a: 'b' }, ports: [{ name: 'http', port: 80 }, { name: 'http', port: 81 }] }), [
      'spec.ports[1].name: Duplicate value: "http"',
    ]);
  });

  test('port name must be a DNS-1123 label', () => {
    assert.deepEqual(svcErrors(web({ ports: [{ name: 'Web', port: 80 }] })), [`spec.ports[0].name: Invalid value: "Web": ${DNS1123_LABEL}`]);
    assert.deepEqual(svcErrors(web({ ports: [{ name: 'web.http', port: 80 }] })), ['spec.ports[0].name: Invalid value: "web.http": must not contain dots']);
  });

  test('port number out of range', () => {
    assert.deepEqual(svcErrors(web({ ports: [{ port: 70000, targetPort: 80 }] })), [
      'spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive',
    ]);
  });

  test('unsupported protocol', () => {
    assert.deepEqual(svcErrors(web({ ports: [{ port: 80, protocol: 'HTTP' }] })), [
      'spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
    ]);
  });

  test('targetPort 0 is defaulted to the port; out of range is invalid', () => {
    const svc = service(web({ ports: [{ port: 80, targetPort: 0 }] }));
    defaultService(svc);
    assert.equal(svc.spec.ports[0].targetPort, 80);
    assert.deepEqual(validateService(svc), []);
    assert.deepEqual(svcErrors(web({ ports: [{ port: 80, targetPort: 70000 }] })), [
      'spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
    ]);
    assert.deepEqual(svcErrors(web({ ports: [{ port: 80, targetPort: -1 }] })), [
      'spec.ports[0].targetPort: Invalid value: -1: must be between 1 and 65535, inclusive',
    ]);
  });

  test('named targetPort follows IANA_SVC_NAME', () => {
    const tp = (targetPort) => svcErrors(web({ ports: [{ port: 80, targetPort }] }));
    assert.deepEqual(tp('http-web-svc'), []);
    assert.deepEqual(tp('http-web-server-port'), ['spec.ports[0].targetPort: Invalid value: "http-web-server-port": must be no more than 15 characters']);
    assert.deepEqual(tp('8080'), ['spec.ports[0].targetPort: Invalid value: "8080": must contain at least one letter (a-z)']);
    assert.deepEqual(tp('http--x'), ['spec.ports[0].targetPort: Invalid value: "http--x": must not contain consecutive hyphens']);
    assert.deepEqual(tp('-http'), ['spec.ports[0].targetPort: Invalid value: "-http": must not begin or end with a hyphen']);
    assert.deepEqual(tp('Http_1'), ['spec.ports[0].targetPort: Invalid value: "Http_1": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)']);
  });

  test('the same nodePort twice', () => {
    const ports = [
      { name: 'a', port: 80, nodePort: 30009 },
      { name: 'b', port: 81, nodePort: 30009 },
    ];
    assert.deepEqual(svcErrors(web({ type: 'NodePort', ports })), ['spec.ports[1].nodePort: Duplicate value: 30009']);
  });

  test('the same port and protocol twice is reported with the Go struct', () => {
    const ports = [
      { name: 'a', port: 80 },
      { name: 'b', port: 80 },
    ];
    assert.deepEqual(svcErrors(web({ ports })), [
      'spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
    ]);
    // Same number, other protocol: fine (DNS on 53/TCP and 53/UDP).
    assert.deepEqual(svcErrors(web({ ports: [{ name: 'a', port: 53 }, { name: 'b', port: 53, protocol: 'UDP' }] })), []);
  });

  test('nodePort on a ClusterIP service', () => {
    assert.deepEqual(svcErrors(web({ ports: [{ port: 80, nodePort: 30080 }] })), ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]);
  });

  test('headless NodePort and LoadBalancer', () => {
    assert.deepEqual(svcErrors(web({ type: 'NodePort', clusterIP: 'None' })), [
      "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services",
    ]);
    assert.deepEqual(svcErrors(web({ type: 'LoadBalancer', clusterIP: 'None' })), [
      "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for LoadBalancer services",
    ]);
  });

  test('ExternalName needs a DNS name and no cluster IP', () => {
    assert.deepEqual(svcErrors({ type: 'ExternalName' }), ['spec.externalName: Required value']);
    assert.deepEqual(svcErrors({ type: 'ExternalName', externalName: 'db.example.com.' }), []);
    assert.deepEqual(svcErrors({ type: 'ExternalName', externalName: 'DB_host' }), [`spec.externalName: Invalid value: "DB_host": ${DNS1123_SUBDOMAIN}`]);
    assert.deepEqual(svcErrors({ type: 'ExternalName', externalName: 'db.example.com', clusterIP: '10.96.0.50' }), [
      'spec.clusterIPs: Forbidden: may not be set for ExternalName services',
    ]);
  });

  test('unsupported sessionAffinity', () => {
    assert.deepEqual(svcErrors(web({ sessionAffinity: 'x' })), ['spec.sessionAffinity: Unsupported value: "x": supported values: "ClientIP", "None"']);
  });

  test('ClientIP timeout out of range', () => {
    assert.deepEqual(svcErrors(web({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 100000 } } })), [
      'spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 100000: must be greater than 0 and less than 86400',
    ]);
  });

  test('bad clusterIP', () => {
    assert.deepEqual(svcErrors(web({ clusterIP: 'x' })), [`spec.clusterIPs[0]: Invalid value: "x": ${IP_MSG}`]);
    assert.deepEqual(svcErrors(web({ clusterIP: '10.96.0.300' })), [`spec.clusterIPs[0]: Invalid value: "10.96.0.300": ${IP_MSG}`]);
    assert.deepEqual(svcErrors(web({ clusterIP: '10.96.0.10' })), []);
  });

  test('clusterIPs must agree with clusterIP', () => {
    assert.deepEqual(svcErrors(web({ clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.11'] })), [
      'spec.clusterIPs: Invalid value: ["10.96.0.11"]: first value must match `clusterIP`',
    ]);
    assert.deepEqual(svcErrors(web({ clusterIPs: ['10.96.0.11'] })), ['spec.clusterIPs: Invalid value: ["10.96.0.11"]: must be empty when `clusterIP` is not specified']);
    assert.deepEqual(svcErrors(web({ clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10', '10.96.0.11'], ipFamilyPolicy: 'PreferDualStack' })), [
      'spec.clusterIPs: Invalid value: ["10.96.0.10","10.96.0.11"]: may specify no more than one IP for each IP family',
    ]);
  });

  test('ipFamilies values and ipFamilyPolicy values', () => {
    assert.deepEqual(svcErrors(web({ ipFamilies: ['IPv5'] })), ['spec.ipFamilies[0]: Unsupported value: "IPv5": supported values: "IPv4", "IPv6"']);
    assert.deepEqual(svcErrors(web({ ipFamilies: ['IPv4', 'IPv4'], ipFamilyPolicy: 'PreferDualStack' })), ['spec.ipFamilies[1]: Duplicate value: "IPv4"']);
    assert.deepEqual(svcErrors(web({ ipFamilyPolicy: 'Dual' })), [
      'spec.ipFamilyPolicy: Unsupported value: "Dual": supported values: "PreferDualStack", "RequireDualStack", "SingleStack"',
    ]);
    assert.deepEqual(svcErrors(web({ clusterIP: '10.96.0.10', ipFamilies: ['IPv6'] })), [
      'spec.clusterIPs[0]: Invalid value: "10.96.0.10": expected an IPv6 value as indicated by `ipFamilies[0]`',
    ]);
  });

  test('selector keys and values are label-validated', () => {
    assert.deepEqual(svcErrors({ selector: { 'bad key!': 'web' }, ports: [{ port: 80 }] }), [`spec.selector: Invalid value: "bad key!": ${LABEL_KEY_NAME}`]);
    assert.deepEqual(svcErrors({ selector: { app: 'web server' }, ports: [{ port: 80 }] }), [`spec.selector: Invalid value: "web server": ${LABEL_VALUE}`]);
    assert.deepEqual(svcErrors({ selector: { 'Example.com/app': 'web' }, ports: [{ port: 80 }] }), [
      `spec.selector: Invalid value: "Example.com/app": prefix part ${DNS1123_SUBDOMAIN}`,
    ]);
    assert.deepEqual(svcErrors({ selector: { '/app': 'x' }, ports: [{ port: 80 }] }), ['spec.selector: Invalid value: "/app": prefix part must be non-empty']);
  });

  test('metadata.labels are label-validated', () => {
    assert.deepEqual(svcErrors(web(), 'web', { labels: { tier: '-front' } }), [`metadata.labels: Invalid value: "-front": ${LABEL_VALUE}`]);
    const long = 'v'.repeat(64);
    assert.deepEqual(svcErrors(web(), 'web', { labels: { tier: long } }), [`metadata.labels: Invalid value: "${long}": must be no more than 63 characters`]);
  });

  test('externalTrafficPolicy only on externally reachable services', () => {
    assert.deepEqual(svcErrors(web({ externalTrafficPolicy: 'Local' })), [
      'spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services',
    ]);
    assert.deepEqual(svcErrors(web({ type: 'NodePort', externalTrafficPolicy: 'Nearest' })), [
      'spec.externalTrafficPolicy: Unsupported value: "Nearest": supported values: "Cluster", "Local"',
    ]);
    assert.deepEqual(svcErrors(web({ externalIPs: ['192.0.2.10'], externalTrafficPolicy: 'Local' })), []);
  });

  test('LoadBalancer with externalTrafficPolicy Local needs a health check node port', () => {
    assert.deepEqual(svcErrors(web({ type: 'LoadBalancer', externalTrafficPolicy: 'Local' })), ['spec.healthCheckNodePort: Required value']);
    assert.deepEqual(svcErrors(web({ type: 'NodePort', healthCheckNodePort: 30500 })), [
      "spec.healthCheckNodePort: Invalid value: 30500: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
    ]);
  });

  test('loadBalancerSourceRanges: LoadBalancer only, and CIDRs', () => {
    assert.deepEqual(svcErrors(web({ type: 'LoadBalancer', loadBalancerSourceRanges: ['10.0.0.0/33', ' 192.168.0.0/16 '] })), [
      'spec.LoadBalancerSourceRanges[0]: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    ]);
    assert.deepEqual(svcErrors(web({ loadBalancerSourceRanges: ['10.0.0.0/8'] })), [
      "spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'",
    ]);
  });

  test('externalIPs must be valid, non-special IPs', () => {
    assert.deepEqual(svcErrors(web({ externalIPs: ['1.2.3'] })), [`spec.externalIPs[0]: Invalid value: "1.2.3": ${IP_MSG}`]);
    assert.deepEqual(svcErrors(web({ externalIPs: ['127.0.0.1'] })), [
      'spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
    ]);
    assert.deepEqual(svcErrors(web({ externalIPs: ['0.0.0.0'] })), ['spec.externalIPs[0]: Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)']);
  });

  test('loadBalancerClass and allocateLoadBalancerNodePorts are LoadBalancer-only', () => {
    assert.deepEqual(svcErrors(web({ loadBalancerClass: 'example.com/lb' })), ["spec.loadBalancerClass: Forbidden: may only be used when `type` is 'LoadBalancer'"]);
    assert.deepEqual(svcErrors(web({ allocateLoadBalancerNodePorts: false })), [
      "spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is 'LoadBalancer'",
    ]);
  });

  test('internalTrafficPolicy value', () => {
    assert.deepEqual(svcErrors(web({ internalTrafficPolicy: 'Node' })), [
      'spec.internalTrafficPolicy: Unsupported value: "Node": supported values: "Cluster", "Local"',
    ]);
  });

  test('several errors are reported in the apiserver order and print as kubectl does', () => {
    const errs = (() => {
      const svc = service({ type: 'Cluster', ports: [{ port: 0, protocol: 'HTTP' }] }, 'Web');
      defaultService(svc);
      return validateService(svc);
    })();
    assert.deepEqual(errs.map(fieldErrorString), [
      `metadata.name: Invalid value: "Web": ${DNS1035}`,
      'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
      'spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.type: Unsupported value: "Cluster": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
    ]);
    const text = formatErrors([invalidError(resourceByKind('Service'), 'Web', errs)]);
    assert.ok(text.startsWith('The Service "Web" is invalid: \n* metadata.name: Invalid value: "Web"'));
  });
});

describe('Service update', () => {
  const stored = () => {
    const svc = service(web({ clusterIP: '10.96.0.5' }));
    defaultService(svc);
    return svc;
  };

  test('changing the cluster IP', () => {
    const old = stored();
    const svc = service(web({ clusterIP: '10.96.0.99' }));
    defaultService(svc, old);
    assert.deepEqual(validateService(svc, old).map(fieldErrorString), ['spec.clusterIPs[0]: Invalid value: ["10.96.0.99"]: may not change once set']);
  });

  test('making a service headless', () => {
    const old = stored();
    const svc = service(web({ clusterIP: 'None' }));
    defaultService(svc, old);
    assert.deepEqual(validateService(svc, old).map(fieldErrorString), ['spec.clusterIPs[0]: Invalid value: ["None"]: may not change once set']);
  });

  test('resubmitting the YAML without clusterIP keeps the allocated one', () => {
    const old = stored();
    const svc = service(web());
    defaultService(svc, old);
    assert.equal(svc.spec.clusterIP, '10.96.0.5');
    assert.deepEqual(svc.spec.clusterIPs, ['10.96.0.5']);
    assert.deepEqual(validateService(svc, old), []);
  });

  test('NodePort to ClusterIP drops the nodePorts and externalTrafficPolicy it had', () => {
    const old = service(web({ type: 'NodePort', clusterIP: '10.96.0.5', ports: [{ port: 80, nodePort: 30080 }] }));
    defaultService(old);
    const svc = structuredClone(old);
    svc.spec.type = 'ClusterIP';
    defaultService(svc, old);
    assert.equal(svc.spec.ports[0].nodePort, undefined);
    assert.equal(svc.spec.externalTrafficPolicy, undefined);
    assert.deepEqual(validateService(svc, old), []);
  });

  test('loadBalancerClass may not change', () => {
    const old = service(web({ type: 'LoadBalancer', clusterIP: '10.96.0.5', loadBalancerClass: 'a.io/x' }));
    defaultService(old);
    const svc = structuredClone(old);
    svc.spec.loadBalancerClass = 'a.io/y';
    assert.deepEqual(validateService(svc, old).map(fieldErrorString), ['spec.loadBalancerClass: Invalid value: "a.io/y": may not change once set']);
  });
});

describe('Service defaults', () => {
  test('ClusterIP: fields and Go struct order', () => {
    const svc = service({ type: undefined, ports: [{ port: 80, name: 'http' }], selector: { app: 'web' }, clusterIP: '10.96.0.7' });
    defaultService(svc);
    assert.deepEqual(svc.spec, {
      ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 80 }],
      selector: { app: 'web' },
      clusterIP: '10.96.0.7',
      clusterIPs: ['10.96.0.7'],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
    });
    assert.deepEqual(Object.keys(svc.spec), ['ports', 'selector', 'clusterIP', 'clusterIPs', 'type', 'sessionAffinity', 'ipFamilies', 'ipFamilyPolicy', 'internalTrafficPolicy']);
    assert.deepEqual(Object.keys(svc.spec.ports[0]), ['name', 'protocol', 'port', 'targetPort']);
    assert.deepEqual(svc.status, { loadBalancer: {} });
  });

  test('NodePort and LoadBalancer', () => {
    const np = service(web({ type: 'NodePort' }));
    defaultService(np);
    assert.equal(np.spec.externalTrafficPolicy, 'Cluster');
    assert.equal(np.spec.internalTrafficPolicy, 'Cluster');
    assert.equal(np.spec.allocateLoadBalancerNodePorts, undefined);
    const lb = service(web({ type: 'LoadBalancer' }));
    defaultService(lb);
    assert.equal(lb.spec.externalTrafficPolicy, 'Cluster');
    assert.equal(lb.spec.allocateLoadBalancerNodePorts, true);
  });

  test('ClusterIP with externalIPs is externally accessible', () => {
    const svc = service(web({ externalIPs: ['192.0.2.10'] }));
    defaultService(svc);
    assert.equal(svc.spec.externalTrafficPolicy, 'Cluster');
  });

  test('ClientIP affinity gets a three-hour timeout; None drops the config', () => {
    const a = service(web({ sessionAffinity: 'ClientIP' }));
    defaultService(a);
    assert.deepEqual(a.spec.sessionAffinityConfig, { clientIP: { timeoutSeconds: 10800 } });
    const b = service(web({ sessionAffinityConfig: { clientIP: { timeoutSeconds: 5 } } }));
    defaultService(b);
    assert.equal(b.spec.sessionAffinityConfig, undefined);
  });

  test('named targetPort is kept; protocol defaults to TCP', () => {
    const svc = service(web({ ports: [{ port: 80, targetPort: 'http' }] }));
    defaultService(svc);
    assert.deepEqual(svc.spec.ports[0], { protocol: 'TCP', port: 80, targetPort: 'http' });
  });

  test('headless with selector: single stack; without selector: RequireDualStack with both families', () => {
    const a = service(web({ clusterIP: 'None' }));
    defaultService(a);
    assert.deepEqual([a.spec.clusterIPs, a.spec.ipFamilies, a.spec.ipFamilyPolicy], [['None'], ['IPv4'], 'SingleStack']);
    const b = service({ clusterIP: 'None', ports: [{ port: 5432 }] });
    defaultService(b);
    assert.deepEqual([b.spec.ipFamilies, b.spec.ipFamilyPolicy], [['IPv4', 'IPv6'], 'RequireDualStack']);
    assert.deepEqual(validateService(b), []);
    assert.deepEqual(validateServiceIPFamiliesForCluster(b), []);
  });

  test('ExternalName gets no IP family fields and no traffic policies', () => {
    const svc = service({ type: 'ExternalName', externalName: 'db.example.com' });
    defaultService(svc);
    assert.deepEqual(svc.spec, { type: 'ExternalName', sessionAffinity: 'None', externalName: 'db.example.com' });
  });

  test('an IPv6 clusterIP on an IPv4-only cluster is left for the allocator to refuse', () => {
    const svc = service(web({ clusterIP: '2001:db8::1' }));
    defaultService(svc);
    assert.equal(svc.spec.ipFamilies, undefined);
    assert.deepEqual(validateServiceIPFamiliesForCluster(svc).map(fieldErrorString), [
      'spec.clusterIPs[0]: Invalid value: ["2001:db8::1"]: IPv6 is not configured on this cluster',
    ]);
  });

  test('RequireDualStack on a single-stack cluster', () => {
    const svc = service(web({ ipFamilyPolicy: 'RequireDualStack' }));
    defaultService(svc);
    assert.deepEqual(validateServiceIPFamiliesForCluster(svc).map(fieldErrorString), [
      'spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services',
    ]);
  });

  test('clusterIPs-related checks can run alone (before allocation)', () => {
    const svc = service(web({ clusterIP: 'x' }), 'Bad_Name');
    defaultService(svc);
    assert.deepEqual(validateServiceClusterIPsRelatedFields(svc).map(fieldErrorString), [`spec.clusterIPs[0]: Invalid value: "x": ${IP_MSG}`]);
  });
});

describe('decode type errors', () => {
  const prefix = 'Service in version "v1" cannot be handled as a Service: ';
  test('port as a string', () => {
    assert.equal(checkServiceTypes(service({ ports: [{ port: '80' }] })), `${prefix}json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32`);
  });
  test('ports not a list', () => {
    assert.equal(
      checkServiceTypes(service({ ports: { port: 80 } })),
      `${prefix}json: cannot unmarshal object into Go struct field ServiceSpec.spec.ports of type []v1.ServicePort`,
    );
  });
  test('metadata.name a number, label value a number', () => {
    assert.equal(
      checkServiceTypes({ apiVersion: 'v1', kind: 'Service', metadata: { name: 5 } }),
      `${prefix}json: cannot unmarshal number into Go struct field ObjectMeta.metadata.name of type string`,
    );
    assert.equal(
      checkServiceTypes({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'x', labels: { v: 3 } } }),
      `${prefix}json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string`,
    );
  });
  test('fractional and oversized numbers, spec not an object', () => {
    assert.equal(checkServiceTypes(service({ ports: [{ port: 80.5 }] })), `${prefix}json: cannot unmarshal number 80.5 into Go struct field ServicePort.spec.ports.port of type int32`);
    assert.equal(
      checkServiceTypes(service({ ports: [{ port: 4294967296 }] })),
      `${prefix}json: cannot unmarshal number 4294967296 into Go struct field ServicePort.spec.ports.port of type int32`,
    );
    assert.equal(checkServiceTypes(service('x')), `${prefix}json: cannot unmarshal string into Go struct field Service.spec of type v1.ServiceSpec`);
  });
  test('typed strings and booleans', () => {
    assert.equal(checkServiceTypes(service({ type: 1 })), `${prefix}json: cannot unmarshal number into Go struct field ServiceSpec.spec.type of type v1.ServiceType`);
    assert.equal(
      checkServiceTypes(service({ allocateLoadBalancerNodePorts: 'true' })),
      `${prefix}json: cannot unmarshal string into Go struct field ServiceSpec.spec.allocateLoadBalancerNodePorts of type bool`,
    );
  });
  test('targetPort accepts a string or an int; anything else aborts decoding', () => {
    assert.equal(checkServiceTypes(service({ ports: [{ port: 80, targetPort: 'http' }] })), undefined);
    assert.equal(
      checkServiceTypes(service({ ports: [{ port: '80', targetPort: true }] })),
      `${prefix}json: cannot unmarshal bool into Go struct field ServicePort.spec.ports.targetPort of type int32`,
    );
  });
  test('the first error wins; valid input has none', () => {
    assert.equal(
      checkServiceTypes(service({ clusterIP: 1, ports: [{ port: '80' }] })),
      `${prefix}json: cannot unmarshal number into Go struct field ServiceSpec.spec.clusterIP of type string`,
    );
    assert.equal(checkServiceTypes(service(web({ type: 'NodePort' }))), undefined);
  });
  test('other kinds', () => {
    assert.equal(
      checkTypes({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: '80' }] }] } }),
      'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32',
    );
    assert.equal(
      checkTypes({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 's' }, addressType: 'IPv4', endpoints: [{ addresses: '10.0.0.1' }] }),
      'EndpointSlice in version "v1" cannot be handled as a EndpointSlice: json: cannot unmarshal string into Go struct field Endpoint.endpoints.addresses of type []string',
    );
  });
  test('validation never throws on wrong types', () => {
    const odd = { apiVersion: 'v1', kind: 'Service', metadata: { name: 5, labels: 'x' }, spec: { ports: { a: 1 }, selector: [1], clusterIPs: 'x' } };
    defaultService(odd);
    assert.ok(Array.isArray(validateService(odd)));
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: { containers: 'x' } };
    defaultPod(pod);
    assert.ok(Array.isArray(validatePod(pod)));
  });
});

describe('Pod', () => {
  const pod = (containers, name = 'nginx', extra = {}) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers, ...extra } });
  const podErrors = (containers, name, extra) => {
    const p = pod(containers, name, extra);
    defaultPod(p);
    return validatePod(p).map(fieldErrorString);
  };
  const nginx = (extra = {}) => ({ name: 'nginx', image: 'nginx:1.27', ...extra });

  test('a valid pod', () => {
    assert.deepEqual(podErrors([nginx({ ports: [{ containerPort: 80, name: 'http' }] })]), []);
  });

  test('name must be a DNS-1123 subdomain', () => {
    assert.deepEqual(podErrors([nginx()], 'Nginx_Pod'), [`metadata.name: Invalid value: "Nginx_Pod": ${DNS1123_SUBDOMAIN}`]);
    assert.deepEqual(podErrors([nginx()], 'web.v1'), []);
  });

  test('containers are required', () => {
    assert.deepEqual(podErrors([]), ['spec.containers: Required value']);
  });

  test('container name must be a DNS-1123 label', () => {
    assert.deepEqual(podErrors([nginx({ name: 'Web' })]), [`spec.containers[0].name: Invalid value: "Web": ${DNS1123_LABEL}`]);
    assert.deepEqual(podErrors([nginx({ name: '' })]), ['spec.containers[0].name: Required value']);
  });

  test('image is required', () => {
    assert.deepEqual(podErrors([{ name: 'web' }]), ['spec.containers[0].image: Required value']);
  });

  test('duplicate container names', () => {
    assert.deepEqual(podErrors([nginx(), nginx()]), ['spec.containers[1].name: Duplicate value: "nginx"']);
  });

  test('container port numbers', () => {
    assert.deepEqual(podErrors([nginx({ ports: [{ containerPort: 70000 }] })]), [
      'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
    ]);
    assert.deepEqual(podErrors([nginx({ ports: [{ name: 'http' }] })]), ['spec.containers[0].ports[0].containerPort: Required value']);
    assert.deepEqual(podErrors([nginx({ ports: [{ containerPort: 80, hostPort: 70000 }] })]), [
      'spec.containers[0].ports[0].hostPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
    ]);
  });

  test('container port names follow IANA_SVC_NAME and are unique', () => {
    assert.deepEqual(podErrors([nginx({ ports: [{ containerPort: 80, name: 'HTTP' }] })]), [
      'spec.containers[0].ports[0].name: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      'spec.containers[0].ports[0].name: Invalid value: "HTTP": must contain at least one letter (a-z)',
    ]);
    assert.deepEqual(podErrors([nginx({ ports: [{ containerPort: 80, name: 'web' }, { containerPort: 81, name: 'web' }] })]), [
      'spec.containers[0].ports[1].name: Duplicate value: "web"',
    ]);
  });

  test('volume mounts refer to volumes', () => {
    assert.deepEqual(podErrors([nginx({ volumeMounts: [{ name: 'data', mountPath: '/data' }] })]), ['spec.containers[0].volumeMounts[0].name: Not found: "data"']);
  });

  test('restartPolicy', () => {
    assert.deepEqual(podErrors([nginx()], 'nginx', { restartPolicy: 'Sometimes' }), [
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ]);
  });

  test('defaults: fields, admission, order', () => {
    const p = pod([{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }]);
    defaultPod(p);
    assert.deepEqual(p.spec, {
      containers: [
        {
          name: 'web',
          image: 'nginx',
          ports: [{ containerPort: 80, protocol: 'TCP' }],
          resources: {},
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          imagePullPolicy: 'Always',
        },
      ],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      serviceAccountName: 'default',
      serviceAccount: 'default',
      securityContext: {},
      schedulerName: 'default-scheduler',
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
      priority: 0,
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
    });
    assert.deepEqual(Object.keys(p.spec.containers[0]), ['name', 'image', 'ports', 'resources', 'terminationMessagePath', 'terminationMessagePolicy', 'imagePullPolicy']);
  });

  test('imagePullPolicy follows the tag', () => {
    const policy = (image) => {
      const p = pod([{ name: 'c', image }]);
      defaultPod(p);
      return p.spec.containers[0].imagePullPolicy;
    };
    assert.equal(policy('nginx'), 'Always');
    assert.equal(policy('nginx:latest'), 'Always');
    assert.equal(policy('nginx:1.27'), 'IfNotPresent');
    assert.equal(policy('localhost:5000/nginx'), 'Always');
    assert.equal(policy('nginx@sha256:0123456789abcdef'), 'IfNotPresent');
  });

  test('existing tolerations for the same taints are not duplicated', () => {
    const p = pod([nginx()], 'nginx', { tolerations: [{ operator: 'Exists' }] });
    defaultPod(p);
    assert.deepEqual(p.spec.tolerations, [{ operator: 'Exists' }]);
  });
});

describe('Endpoints and EndpointSlice', () => {
  const endpoints = (subsets) => ({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'ext', namespace: 'default' }, subsets });
  const epErrors = (subsets) => {
    const ep = endpoints(subsets);
    defaultEndpoints(ep);
    return validateEndpoints(ep).map(fieldErrorString);
  };

  test('valid endpoints; protocol defaults to TCP', () => {
    const ep = endpoints([{ addresses: [{ ip: '192.0.2.42' }], ports: [{ port: 5432 }] }]);
    defaultEndpoints(ep);
    assert.equal(ep.subsets[0].ports[0].protocol, 'TCP');
    assert.deepEqual(validateEndpoints(ep), []);
  });

  test('addresses are required', () => {
    assert.deepEqual(epErrors([{ ports: [{ port: 80 }] }]), ['subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`']);
  });

  test('address IPs must be valid and not special', () => {
    assert.deepEqual(epErrors([{ addresses: [{ ip: 'db' }], ports: [{ port: 80 }] }]), [
      `subsets[0].addresses[0].ip: Invalid value: "db": ${IP_MSG}`,
      'subsets[0].addresses[0].ip: Invalid value: "db": must be a valid IP address',
    ]);
    assert.deepEqual(epErrors([{ addresses: [{ ip: '169.254.1.1' }], ports: [{ port: 80 }] }]), [
      'subsets[0].addresses[0].ip: Invalid value: "169.254.1.1": may not be in the link-local range (169.254.0.0/16, fe80::/10)',
    ]);
  });

  test('ports in range, named when several', () => {
    assert.deepEqual(epErrors([{ addresses: [{ ip: '192.0.2.1' }], ports: [{ port: 0 }] }]), [
      'subsets[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
    ]);
    assert.deepEqual(epErrors([{ addresses: [{ ip: '192.0.2.1' }], ports: [{ port: 80 }, { name: 'b', port: 81 }] }]), ['subsets[0].ports[0].name: Required value']);
  });

  const slice = (extra) => ({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'ext-1', namespace: 'default' }, ...extra });
  const sliceErrors = (extra) => {
    const s = slice(extra);
    defaultEndpointSlice(s);
    return validateEndpointSlice(s).map(fieldErrorString);
  };

  test('addressType', () => {
    assert.deepEqual(sliceErrors({ endpoints: [] }), ['addressType: Required value']);
    assert.deepEqual(sliceErrors({ addressType: 'IP' }), ['addressType: Unsupported value: "IP": supported values: "FQDN", "IPv4", "IPv6"']);
  });

  test('addresses must match the addressType', () => {
    assert.deepEqual(sliceErrors({ addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.300'] }] }), [
      'endpoints[0].addresses[0]: Invalid value: "10.0.0.300": must be a valid IPv4 address',
      'endpoints[0].addresses[0]: Invalid value: "10.0.0.300": must be a valid IP address',
    ]);
    assert.deepEqual(sliceErrors({ addressType: 'IPv6', endpoints: [{ addresses: ['10.0.0.3'] }] }), [
      'endpoints[0].addresses[0]: Invalid value: "10.0.0.3": must be a valid IPv6 address',
    ]);
    assert.deepEqual(sliceErrors({ addressType: 'FQDN', endpoints: [{ addresses: ['localhost'] }] }), [
      'endpoints[0].addresses[0]: Invalid value: "localhost": should be a domain with at least two segments separated by dots',
    ]);
    assert.deepEqual(sliceErrors({ addressType: 'IPv4', endpoints: [{ addresses: [] }] }), ['endpoints[0].addresses: Required value: must contain at least 1 address']);
  });

  test('ports: defaults, names, protocol', () => {
    const s = slice({ addressType: 'IPv4', ports: [{ port: 80 }] });
    defaultEndpointSlice(s);
    assert.deepEqual(s.ports, [{ name: '', protocol: 'TCP', port: 80 }]);
    assert.deepEqual(sliceErrors({ addressType: 'IPv4', ports: [{ port: 80 }, { port: 81 }] }), ['ports[1].name: Duplicate value: ""']);
    assert.deepEqual(sliceErrors({ addressType: 'IPv4', ports: [{ name: 'http', port: 80, protocol: 'HTTP' }] }), [
      'ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
    ]);
  });
});

describe('ObjectMeta', () => {
  test('generateName is validated as a prefix; namespace is required for namespaced kinds', () => {
    const o = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'web-', name: 'web-abcde' } };
    assert.deepEqual(validateObjectMeta(o, true, nameIsDNSSubdomain).map(fieldErrorString), ['metadata.namespace: Required value']);
    const bad = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', namespace: 'x' } };
    assert.deepEqual(validateObjectMeta(bad, false).map(fieldErrorString), ['metadata.namespace: Forbidden: not allowed on this type']);
  });

  test('annotation keys are qualified names', () => {
    const o = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default', annotations: { 'a/b/c': 'x' } } };
    assert.deepEqual(validateObjectMeta(o, true).map(fieldErrorString), [
      `metadata.annotations: Invalid value: "a/b/c": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ]);
  });
});

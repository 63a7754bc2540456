// The simulated data plane: curl from outside, from a node (ssh) and from a pod (exec); kube-proxy's
// rules and the path a request takes; DNS; service environment variables; node failure.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cluster, MANIFESTS, ROOT } from './helpers.mjs';

const NGINX_TITLE = '<title>Welcome to nginx!</title>';

// seed 003's pod and ClusterIP service, as the course text writes them
const SEED003_POD = `apiVersion: v1
kind: Pod
metadata:
  name: nginx-pod
  labels:
    app: nginx
spec:
  containers:
    - name: nginx-container
      image: nginx
      imagePullPolicy: IfNotPresent
      ports:
        - containerPort: 80
          protocol: TCP
`;
const SEED003_CLUSTERIP = `apiVersion: v1
kind: Service
metadata:
  name: nginx-clusterip-service

spec:
  type: ClusterIP
  ports:
    - targetPort: 80
      port: 80
  selector:
    app: nginx
`;

const deployment = (name, image, replicas, port) => ['create', 'deployment', name, `--image=${image}`, `--replicas=${replicas}`, ...(port ? [`--port=${port}`] : [])];
// a busybox pod to run commands in: its shell would exit at once, so it sleeps
const clientDeployment = (name) => [...deployment(name, 'busybox', 1), '--', 'sleep', '3600'];
// 15 s after the start: every image of these tests has been pulled (nginx ≈3.3 s, the largest)
const LATER = '2025-03-01T12:00:15Z';

function jsonpath(c, args, path) {
  return c.ok([...args, '-o', `jsonpath=${path}`]);
}

test('seed 001: curl to every node IP on the NodePort returns the nginx page', () => {
  const c = cluster({ seed: '001' });
  try {
    c.ok(['create', '-f', join(MANIFESTS, 'nginx-pod.yaml')]);
    c.ok(['create', '-f', join(MANIFESTS, 'service-nodeport.yaml')]);
    const nodePort = jsonpath(c, ['get', 'svc', 'webserver'], '{.spec.ports[0].nodePort}');
    // while nginx pulls, the service has no ready endpoint: the node refuses
    assert.equal(c.run(['curl', '-s', `192.168.49.2:${nodePort}`]).code, 7);
    c.at(LATER);
    const nodeIPs = jsonpath(c, ['get', 'nodes'], '{.items[*].status.addresses[?(@.type=="InternalIP")].address}').split(' ');
    assert.deepEqual(nodeIPs, ['192.168.49.2', '192.168.49.3', '192.168.49.4']);
    for (const ip of nodeIPs) {
      const r = c.run(['curl', '-s', `${ip}:${nodePort}`]);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(r.stdout.includes(NGINX_TITLE));
      assert.equal(Buffer.byteLength(r.stdout), 615); // nginx's welcome page, byte for byte
    }
    // every node's port answers from inside too: from a node to another node, from a pod to a node
    assert.ok(c.ok(['ssh', 'node01', '--', 'curl', '-s', `192.168.49.4:${nodePort}`]).includes(NGINX_TITLE));
    assert.ok(c.ok(['exec', 'mypod', '--', 'curl', '-s', `192.168.49.2:${nodePort}`]).includes(NGINX_TITLE));
    // nginx-style headers
    const head = c.ok(['curl', '-sI', `192.168.49.2:${nodePort}`]);
    assert.match(head, /^HTTP\/1\.1 200 OK\r\nServer: nginx\/1\.27\.3\r\nDate: Sat, 01 Mar 2025 12:00:15 GMT\r\nContent-Type: text\/html\r\nContent-Length: 615\r\n/);
    // an unknown path is nginx's 404 page
    const nf = c.run(['curl', '-s', `192.168.49.3:${nodePort}/nope`]);
    // byte for byte nginx's own page: CRLF line ends, 153 bytes (ngx_http_special_response.c)
    assert.equal(nf.stdout, '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.27.3</center>\r\n</body>\r\n</html>\r\n');
    assert.match(c.ok(['curl', '-sI', `192.168.49.3:${nodePort}/nope`]), /^HTTP\/1\.1 404 Not Found\r\nServer: nginx\/1\.27\.3\r\n.*\r\nContent-Length: 153\r\n/s);
    // a port nothing listens on: the node's kernel refuses
    const refused = c.run(['curl', '192.168.49.3:31999']);
    assert.equal(refused.code, 7);
    assert.equal(refused.stderr, "curl: (7) Failed to connect to 192.168.49.3 port 31999 after 0 ms: Couldn't connect to server\n");
    // every request is in the pod's log, in nginx's format
    const logs = c.ok(['logs', 'mypod']).trim().split('\n').filter((l) => l.includes('"GET') || l.includes('"HEAD'));
    assert.equal(logs.length, 8);
    assert.match(logs[0], /^192\.168\.49\.\d+ - - \[01\/Mar\/2025:12:00:15 \+0000\] "GET \/ HTTP\/1\.1" 200 615 "-" "curl\/7\.88\.1" "-"$/);
    assert.equal(c.ok(['logs', 'mypod', '--tail', '1']).split('\n').length, 2);
  } finally {
    c.cleanup();
  }
});

test('seeds 000, 003: a ClusterIP answers from a node and from a pod, never from outside', () => {
  const c = cluster({ seed: '003' });
  try {
    c.ok(['create', '-f', '-'], { input: SEED003_POD });
    c.ok(['create', '-f', '-'], { input: SEED003_CLUSTERIP });
    c.ok(deployment('client', 'curlimages/curl', 1));
    c.at(LATER);
    const ip = jsonpath(c, ['get', 'svc', 'nginx-clusterip-service'], '{.spec.clusterIP}');
    const outside = c.run(['curl', ip]);
    assert.equal(outside.code, 28);
    assert.match(outside.stderr, new RegExp(`^curl: \\(28\\) Failed to connect to ${ip.replace(/\./g, '\\.')} port 80 after \\d+ ms: Couldn't connect to server\\n$`));
    const withTimeout = c.run(['curl', '-m', '5', ip]);
    assert.equal(withTimeout.stderr, 'curl: (28) Connection timed out after 5001 milliseconds\n');
    // --trace says why
    assert.match(c.run(['curl', '--trace', '-m', '1', ip]).stderr, /the service network 10\.96\.0\.0\/12 exists only inside the cluster/);
    // minikube ssh; curl <cluster-ip>
    for (const node of ['controlplane', 'node01', 'node02']) {
      assert.ok(c.ok(['ssh', node, '--', 'curl', '-s', ip]).includes(NGINX_TITLE), node);
    }
    // from a pod, by IP and by name
    const pod = jsonpath(c, ['get', 'pods', '-l', 'app=client'], '{.items[0].metadata.name}');
    assert.ok(c.ok(['exec', pod, '--', 'curl', '-s', ip]).includes(NGINX_TITLE));
    assert.ok(c.ok(['exec', pod, '--', 'wget', '-qO-', 'nginx-clusterip-service']).includes(NGINX_TITLE));
    assert.ok(c.ok(['exec', pod, '--', 'curl', '-s', 'nginx-clusterip-service.default.svc.cluster.local']).includes(NGINX_TITLE));
    // the pod IP: from nodes and pods, not from outside
    const podIP = jsonpath(c, ['get', 'pod', 'nginx-pod'], '{.status.podIP}');
    assert.equal(c.run(['curl', '-s', '-m', '2', podIP]).code, 28);
    assert.ok(c.ok(['ssh', 'node02', '--', 'curl', '-s', podIP]).includes(NGINX_TITLE));
    assert.ok(c.ok(['exec', pod, '--', 'curl', '-s', podIP]).includes(NGINX_TITLE));
    // a node resolves no cluster names: its resolver is the nodes' network gateway
    const r = c.run(['ssh', 'node01', '--', 'curl', 'nginx-clusterip-service']);
    assert.equal(r.code, 6);
    assert.equal(r.stderr, 'curl: (6) Could not resolve host: nginx-clusterip-service\n');
  } finally {
    c.cleanup();
  }
});

test('load balancing: 30 requests over 3 replicas reach each pod; ClientIP affinity sticks to one', () => {
  const c = cluster({ seed: '002' });
  try {
    c.ok(deployment('echo', 'registry.k8s.io/echoserver:1.10', 3, 8080));
    c.ok(['expose', 'deployment', 'echo', '--port=80', '--target-port=8080']);
    c.ok(deployment('client', 'curlimages/curl', 1));
    c.at(LATER);
    const pods = jsonpath(c, ['get', 'pods', '-l', 'app=echo'], '{.items[*].metadata.name}').split(' ');
    const client = jsonpath(c, ['get', 'pods', '-l', 'app=client'], '{.items[0].metadata.name}');
    const thirty = Array.from({ length: 30 }, () => 'curl -s echo').join('; ');
    const hosts = (out) => out.split('\n').filter((l) => l.startsWith('Hostname: ')).map((l) => l.slice(10));
    const seen = hosts(c.ok(['exec', client, '--', 'sh', '-c', thirty]));
    assert.equal(seen.length, 30);
    for (const p of pods) assert.ok(seen.includes(p), `${p} never answered: ${seen}`);
    // the echo page tells who asked: the client pod, not masqueraded
    const clientIP = jsonpath(c, ['get', 'pod', client], '{.status.podIP}');
    assert.match(c.ok(['exec', client, '--', 'curl', '-s', 'echo']), new RegExp(`client_address=${clientIP.replace(/\./g, '\\.')}\\n`));
    // with ClientIP affinity every request goes to the same pod
    c.ok(['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: echo\nspec:\n  sessionAffinity: ClientIP\n  selector:\n    app: echo\n  ports:\n  - port: 80\n    targetPort: 8080\n' });
    const sticky = hosts(c.ok(['exec', client, '--', 'sh', '-c', thirty]));
    assert.equal(sticky.length, 30);
    assert.equal(new Set(sticky).size, 1);
    // and kube-proxy's rules say so
    const nat = c.ok(['ssh', 'node01', '--', 'iptables-save', '-t', 'nat']);
    assert.equal((nat.match(/-m recent --rcheck --seconds 10800 --reap --name KUBE-SEP-/g) ?? []).length, 3);
    assert.equal((nat.match(/-m recent --set --name KUBE-SEP-\w+ --mask 255\.255\.255\.255 --rsource -m tcp -j DNAT/g) ?? []).length, 3);
  } finally {
    c.cleanup();
  }
});

test('iptables-save: kube-proxy format and chain hashes (REFERENCE §6); curl --trace walks the same rules', () => {
  const c = cluster({ seed: '006' });
  try {
    c.ok(deployment('web', 'nginx', 3));
    c.ok(['expose', 'deployment', 'web', '--port=80', '--type=NodePort']);
    c.at(LATER); // the three pods are ready endpoints
    const nat = c.ok(['ssh', 'node01', '--', 'iptables-save', '-t', 'nat']);
    assert.match(nat, /^# Generated by iptables-save v1\.8\.9 \(nf_tables\) on Sat Mar  1 12:00:15 2025\n\*nat\n:PREROUTING ACCEPT \[0:0\]\n/);
    assert.ok(nat.includes('-A KUBE-SERVICES -d 10.96.0.1/32 -p tcp -m comment --comment "default/kubernetes:https cluster IP" -m tcp --dport 443 -j KUBE-SVC-NPX46M4PTMTKRN6Y\n'));
    assert.ok(nat.includes('-A KUBE-SERVICES -d 10.96.0.10/32 -p udp -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU\n'));
    assert.ok(nat.includes('-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS\n'));
    // three endpoints: probabilities 1/3 and 1/2 as iptables-save prints them, then an unconditional rule
    const svcChain = /-j (KUBE-SVC-\w+)\n/.exec(nat.split('\n').find((l) => l.includes('"default/web cluster IP"')) + '\n')[1];
    const lb = nat.split('\n').filter((l) => l.startsWith(`-A ${svcChain} -m comment --comment "default/web -> `));
    assert.equal(lb.length, 3);
    assert.match(lb[0], /-m statistic --mode random --probability 0\.33333333349 -j KUBE-SEP-\w{16}$/);
    assert.match(lb[1], /-m statistic --mode random --probability 0\.50000000000 -j KUBE-SEP-\w{16}$/);
    assert.match(lb[2], /"default\/web -> [\d.]+:80" -j KUBE-SEP-\w{16}$/);
    assert.match(nat, /-A KUBE-SEP-\w{16} -s 10\.244\.\d+\.\d+\/32 -m comment --comment "default\/web" -j KUBE-MARK-MASQ\n-A KUBE-SEP-\w{16} -p tcp -m comment --comment "default\/web" -m tcp -j DNAT --to-destination 10\.244\.\d+\.\d+:80\n/);
    assert.ok(nat.includes(`-A ${svcChain.replace('SVC', 'EXT')} -m comment --comment "masquerade traffic for default/web external destinations" -j KUBE-MARK-MASQ\n`));
    // the path curl takes is made of lines iptables-save prints on that node
    const nodePort = jsonpath(c, ['get', 'svc', 'web'], '{.spec.ports[0].nodePort}');
    const trace = c.run(['curl', '--trace', '-s', '-o', '/dev/null', `192.168.49.3:${nodePort}`]).stderr;
    const rules = trace.split('\n').filter((l) => l.includes(' iptables: ')).map((l) => l.split(' iptables: ')[1]);
    assert.ok(rules.length >= 5, trace);
    for (const r of rules) assert.ok(nat.includes(r + '\n'), `trace rule not in iptables-save: ${r}`);
    assert.match(trace, /-j KUBE-NODEPORTS/);
    assert.match(trace, /DNAT 192\.168\.49\.3:\d+ → 10\.244\.\d+\.\d+:80/);
    // a service with no endpoints: REJECT in the filter table, and curl is refused
    c.ok(['create', 'service', 'clusterip', 'empty', '--tcp=80:80']);
    const filter = c.ok(['ssh', 'node01', '--', 'iptables-save', '-t', 'filter']);
    assert.match(filter, /-A KUBE-SERVICES -d [\d.]+\/32 -p tcp -m comment --comment "default\/empty:80-80 has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable\n/);
    const refused = c.run(['ssh', 'node01', '--', 'curl', '-s', '-S', jsonpath(c, ['get', 'svc', 'empty'], '{.spec.clusterIP}')]);
    assert.equal(refused.code, 7);
    assert.match(refused.stderr, /^curl: \(7\) Failed to connect to [\d.]+ port 80 after 0 ms: Couldn't connect to server\n$/);
    // a port the service does not have is refused too
    const webIP = jsonpath(c, ['get', 'svc', 'web'], '{.spec.clusterIP}');
    assert.equal(c.run(['ssh', 'node01', '--', 'curl', `${webIP}:8080`]).code, 7);
  } finally {
    c.cleanup();
  }
});

test('externalTrafficPolicy Local: only nodes with a ready endpoint answer on the NodePort', () => {
  const c = cluster({ seed: '007' });
  try {
    c.ok(deployment('web', 'nginx', 1));
    c.ok(['create', '-f', '-'], { input: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: NodePort\n  externalTrafficPolicy: Local\n  selector:\n    app: web\n  ports:\n  - port: 80\n' });
    c.at(LATER);
    const node = jsonpath(c, ['get', 'pods', '-l', 'app=web'], '{.items[0].spec.nodeName}');
    const nodePort = jsonpath(c, ['get', 'svc', 'web'], '{.spec.ports[0].nodePort}');
    const ips = Object.fromEntries(c.ok(['get', 'nodes', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.addresses[0].address} {end}']).trim().split(' ').map((kv) => kv.split('=')));
    for (const [name, ip] of Object.entries(ips)) {
      const r = c.run(['curl', '-s', '-m', '2', `${ip}:${nodePort}`]);
      if (name === node) assert.ok(r.stdout.includes(NGINX_TITLE));
      else assert.equal(r.code, 28, `${name} should drop`);
    }
    const other = Object.keys(ips).find((n) => n !== node && n !== 'controlplane');
    const filter = c.ok(['ssh', other, '--', 'iptables-save', '-t', 'filter']);
    assert.match(filter, /--comment "default\/web has no local endpoints" -m addrtype --dst-type LOCAL -m tcp --dport \d+ -j DROP/);
  } finally {
    c.cleanup();
  }
});

test('LoadBalancer ingress IP answers from outside; IPVS mode prints ipvsadm -Ln', () => {
  const c = cluster({ seed: '008', init: ['--seed', '008', '--lb-pool', '192.168.49.200-192.168.49.210', '--proxy-mode', 'ipvs'] });
  try {
    c.ok(deployment('web', 'httpd', 2));
    c.ok(['expose', 'deployment', 'web', '--port=80', '--type=LoadBalancer']);
    assert.equal(jsonpath(c, ['get', 'svc', 'web'], '{.status.loadBalancer.ingress[0].ip}'), '192.168.49.200');
    c.at(LATER); // httpd has pulled (≈2.7 s)
    assert.equal(c.ok(['curl', '-s', '192.168.49.200']), '<html><body><h1>It works!</h1></body></html>\n');
    const ipvs = c.ok(['ssh', 'node01', '--', 'ipvsadm', '-Ln']);
    assert.match(ipvs, /^IP Virtual Server version 1\.2\.1 \(size=4096\)\nProt LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n/);
    assert.match(ipvs, /\nTCP  192\.168\.49\.200:80 rr\n  -> 10\.244\.\d+\.\d+:80 {16,}Masq    1      0          0         \n/);
    assert.match(ipvs, /\nTCP  10\.96\.0\.1:443 rr\n  -> 192\.168\.49\.2:6443            Masq    1      0          0         \n/);
    // rr: two requests through the same virtual server reach both pods
    c.ok(deployment('client', 'curlimages/curl', 1));
    c.at('2025-03-01T12:00:30Z');
    const client = jsonpath(c, ['get', 'pods', '-l', 'app=client'], '{.items[0].metadata.name}');
    c.ok(['exec', client, '--', 'sh', '-c', 'curl -s web; curl -s web']);
    const pods = jsonpath(c, ['get', 'pods', '-l', 'app=web'], '{.items[*].metadata.name}').split(' ');
    for (const p of pods) assert.ok(c.ok(['logs', p]).includes('"GET / HTTP/1.1" 200 45'), p);
    assert.match(c.ok(['ssh', 'node01', '--', 'ip', 'addr']), /kube-ipvs0[\s\S]*inet 192\.168\.49\.200\/32 scope global kube-ipvs0/);
  } finally {
    c.cleanup();
  }
});

test('DNS: A for ClusterIP, one A per ready pod for headless, CNAME for ExternalName, SRV, pod records, NXDOMAIN', () => {
  const c = cluster({ seed: '009' });
  try {
    c.ok(deployment('web', 'nginx', 2));
    c.ok(['create', 'service', 'clusterip', 'web', '--tcp=80:80']);
    c.ok(['create', '-f', '-'], { input: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web-headless\nspec:\n  clusterIP: None\n  selector:\n    app: web\n  ports:\n  - name: http\n    port: 80\n' });
    c.ok(['create', '-f', join(MANIFESTS, 'service-externalname.yaml')]);
    c.ok(deployment('client', 'curlimages/curl', 1));
    c.at(LATER);
    const client = jsonpath(c, ['get', 'pods', '-l', 'app=client'], '{.items[0].metadata.name}');
    const ip = jsonpath(c, ['get', 'svc', 'web'], '{.spec.clusterIP}');
    assert.equal(c.ok(['exec', client, '--', 'nslookup', 'web']), `Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tweb.default.svc.cluster.local\nAddress: ${ip}\n\n`);
    const podIPs = jsonpath(c, ['get', 'pods', '-l', 'app=web'], '{.items[*].status.podIP}').split(' ').sort();
    const headless = c.ok(['exec', client, '--', 'nslookup', 'web-headless.default']);
    assert.deepEqual([...headless.matchAll(/Address: ([\d.]+)/g)].map((m) => m[1]).sort(), podIPs);
    assert.equal(c.ok(['exec', client, '--', 'nslookup', 'my-database']), 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nmy-database.default.svc.cluster.local\tcanonical name = db.example.com\n\n');
    const srv = c.ok(['exec', client, '--', 'nslookup', '-type=srv', '_http._tcp.web-headless.default.svc.cluster.local']);
    assert.equal((srv.match(/service = 0 50 80 \d+-\d+-\d+-\d+\.web-headless\.default\.svc\.cluster\.local/g) ?? []).length, 2);
    const dashed = podIPs[0].replace(/\./g, '-');
    assert.match(c.ok(['exec', client, '--', 'nslookup', `${dashed}.default.pod.cluster.local`]), new RegExp(`Address: ${podIPs[0].replace(/\./g, '\\.')}\\n`));
    const nx = c.run(['exec', client, '--', 'nslookup', 'nope']);
    assert.equal(nx.code, 1);
    assert.equal(nx.stdout, "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n** server can't find nope: NXDOMAIN\n\n");
    assert.equal(nx.stderr, 'command terminated with exit code 1\n');
    assert.equal(c.ok(['exec', client, '--', 'cat', '/etc/resolv.conf']), 'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
    // busybox:1.28, as the Kubernetes docs' DNS debugging page uses it, prints the older format
    assert.equal(
      c.ok(['run', '-i', '--rm', '--restart=Never', 'old', '--image=busybox:1.28', '--', 'nslookup', 'kubernetes.default']),
      'Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      kubernetes.default\nAddress 1: 10.96.0.1 kubernetes.default.svc.cluster.local\npod "old" deleted\n',
    );
    // the ExternalName's target is outside the cluster: curl cannot resolve it
    assert.equal(c.run(['exec', client, '--', 'curl', 'my-database']).code, 6);
    // from another namespace the short name does not resolve, the qualified one does
    c.ok(['create', 'namespace', 'other']);
    c.ok(['-n', 'other', ...clientDeployment('probe')]);
    c.at('2025-03-01T12:00:30Z');
    const probe = c.ok(['-n', 'other', 'get', 'pods', '-o', 'jsonpath={.items[0].metadata.name}']);
    assert.equal(c.run(['-n', 'other', 'exec', probe, '--', 'nslookup', 'web']).code, 1);
    assert.equal(c.run(['-n', 'other', 'exec', probe, '--', 'nslookup', 'web.default']).code, 0);
    // with CoreDNS gone, lookups time out
    c.ok(['-n', 'kube-system', 'scale', 'deployment', 'coredns', '--replicas=0']);
    c.at('2025-03-01T12:01:30Z'); // past CoreDNS's grace period: its pods are gone
    assert.equal(c.run(['exec', client, '--', 'nslookup', 'web']).stdout, ';; connection timed out; no servers could be reached\n\n');
  } finally {
    c.cleanup();
  }
});

test('service environment variables: only for services that existed when the container started', () => {
  const c = cluster({ seed: '010' });
  try {
    c.ok(['create', '-f', '-'], { input: SEED003_POD.replace('nginx-pod', 'early') });
    c.at('2025-03-01T12:00:10Z'); // early's container has started
    c.ok(['create', '-f', '-'], { input: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: my-db\nspec:\n  selector:\n    app: db\n  ports:\n  - name: pg\n    port: 5432\n  - name: admin\n    port: 8080\n' });
    c.ok(['create', '-f', '-'], { input: SEED003_POD.replace('nginx-pod', 'late') });
    c.at('2025-03-01T12:00:20Z');
    const ip = jsonpath(c, ['get', 'svc', 'my-db'], '{.spec.clusterIP}');
    const early = c.ok(['exec', 'early', '--', 'printenv']);
    assert.ok(!early.includes('MY_DB_'));
    assert.ok(early.includes('KUBERNETES_SERVICE_HOST=10.96.0.1\n'));
    const late = c.ok(['exec', 'late', '--', 'printenv']);
    for (const line of [
      `MY_DB_SERVICE_HOST=${ip}`,
      'MY_DB_SERVICE_PORT=5432',
      'MY_DB_SERVICE_PORT_PG=5432',
      'MY_DB_SERVICE_PORT_ADMIN=8080',
      `MY_DB_PORT=tcp://${ip}:5432`,
      `MY_DB_PORT_5432_TCP=tcp://${ip}:5432`,
      'MY_DB_PORT_5432_TCP_PROTO=tcp',
      'MY_DB_PORT_5432_TCP_PORT=5432',
      `MY_DB_PORT_5432_TCP_ADDR=${ip}`,
      `MY_DB_PORT_8080_TCP_ADDR=${ip}`,
    ]) {
      assert.ok(late.includes(line + '\n'), line);
    }
    assert.equal(c.ok(['exec', 'late', '--', 'printenv', 'MY_DB_SERVICE_HOST']), ip + '\n');
    assert.match(late, /^PATH=\/usr\/local\/sbin:[^\n]*\nHOSTNAME=late\nNGINX_VERSION=1\.27\.3\n/);
    // a restart (here: a new pod from the same manifest) picks the service up
    c.ok(['delete', 'pod', 'early']);
    c.at('2025-03-01T12:00:25Z'); // nginx stopped on SIGTERM: the pod is gone
    c.ok(['create', '-f', '-'], { input: SEED003_POD.replace('nginx-pod', 'early') });
    c.at('2025-03-01T12:00:35Z');
    assert.ok(c.ok(['exec', 'early', '--', 'printenv']).includes('MY_DB_SERVICE_PORT_PG=5432\n'));
  } finally {
    c.cleanup();
  }
});

test('exec and ssh: missing programs fail as the runtime and bash report them; errors as kubectl', () => {
  const c = cluster({ seed: '011' });
  try {
    c.ok(['create', '-f', join(MANIFESTS, 'nginx-pod.yaml')]);
    // exec needs a running container: while the image pulls there is none
    assert.deepEqual(c.run(['exec', 'mypod', '--', 'hostname']), { stdout: '', stderr: 'error: unable to upgrade connection: container not found ("nginx")\n', code: 1 });
    c.at(LATER);
    const r = c.run(['exec', 'mypod', '--', 'redis-cli']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "redis-cli": executable file not found in \$PATH: unknown\n$/);
    assert.deepEqual(c.run(['ssh', 'node01', '--', 'redis-cli']), { stdout: '', stderr: 'bash: line 1: redis-cli: command not found\n', code: 127 });
    assert.deepEqual(c.run(['exec', 'nope', '--', 'ls']), { stdout: '', stderr: 'Error from server (NotFound): pods "nope" not found\n', code: 1 });
    assert.equal(c.run(['exec', 'mypod']).stderr, 'error: you must specify at least one command for the container\n');
    assert.equal(c.run(['exec']).stderr, 'error: pod, type/name or --filename must be specified\n');
    assert.equal(c.run(['exec', 'mypod', 'ls']).stderr, "Error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubesim exec -h' for help and examples\n");
    assert.equal(c.run(['exec', 'mypod', '-c', 'x', '--', 'ls']).stderr, 'Error from server (BadRequest): container x is not valid for pod mypod\n');
    assert.equal(c.ok(['exec', 'mypod', '--', 'hostname']), 'mypod\n');
    // two containers: kubectl names the one it chose
    c.ok(['create', '-f', '-'], { input: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: two\nspec:\n  containers:\n  - name: web\n    image: nginx\n  - name: side\n    image: busybox\n' });
    c.at('2025-03-01T12:00:30Z');
    assert.deepEqual(c.run(['exec', 'two', '--', 'hostname']), { stdout: 'two\n', stderr: 'Defaulted container "web" out of: web, side\n', code: 0 });
    assert.equal(c.ok(['ssh', 'node02', '--', 'hostname']), 'node02\n');
    assert.deepEqual(c.run(['ssh', 'node09', '--', 'hostname']), { stdout: '', stderr: 'Error from server (NotFound): nodes "node09" not found\n', code: 1 });
    // the node's routes: its own pod range on the bridge, the others via their nodes
    assert.equal(c.ok(['ssh', 'node01', '--', 'ip', 'route']), 'default via 192.168.49.1 dev eth0 \n10.244.0.0/24 via 192.168.49.2 dev eth0 \n10.244.1.0/24 dev cni0 proto kernel scope link src 10.244.1.1 \n10.244.2.0/24 via 192.168.49.4 dev eth0 \n192.168.49.0/24 dev eth0 proto kernel scope link src 192.168.49.3 \n');
    // a busybox pod serves nothing: refused
    c.ok(['create', 'deployment', 'box', '--image=busybox']);
    const boxIP = jsonpath(c, ['get', 'pods', '-l', 'app=box'], '{.items[0].status.podIP}');
    assert.equal(c.run(['exec', 'mypod', '--', 'curl', '-s', boxIP]).code, 7);
    // logs errors
    assert.equal(c.run(['logs']).stderr, "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubesim logs -h' for help and examples\n");
    assert.equal(c.run(['logs', 'nope']).stderr, 'Error from server (NotFound): pods "nope" not found\n');
    c.ok(['run', 'typo', '--image=ngnix']);
    assert.equal(c.run(['logs', 'typo']).stderr, 'Error from server (BadRequest): container "typo" in pod "typo" is waiting to start: trying and failing to pull image\n');
    assert.match(c.ok(['logs', 'mypod']), /^\/docker-entrypoint\.sh: \/docker-entrypoint\.d\/ is not empty, will attempt to perform configuration\n/);
  } finally {
    c.cleanup();
  }
});

test('node failure: a stopped node\'s pods move, endpoints follow, curl keeps working; cordon, uncordon, drain', () => {
  const c = cluster({ seed: '012' });
  try {
    c.ok(deployment('web', 'nginx', 4));
    c.ok(['expose', 'deployment', 'web', '--port=80', '--type=NodePort']);
    c.at(LATER);
    const nodePort = jsonpath(c, ['get', 'svc', 'web'], '{.spec.ports[0].nodePort}');
    const onNode02 = () => jsonpath(c, ['get', 'pods', '-l', 'app=web', '--field-selector', 'spec.nodeName=node02'], '{.items[*].metadata.name}');
    assert.notEqual(onNode02(), '');
    assert.equal(c.ok(['node', 'stop', 'node02']), 'node/node02 stopped\n');
    assert.match(c.ok(['get', 'nodes']), /\nnode02 +NotReady +<none>/);
    c.at('2025-03-01T12:00:30Z'); // the replacements on node01 have checked their image (pull policy Always) and run
    const pods = JSON.parse(c.ok(['get', 'pods', '-l', 'app=web', '-o', 'json'])).items;
    const running = pods.filter((p) => !p.metadata.deletionTimestamp);
    assert.equal(running.length, 4);
    assert.ok(running.every((p) => p.spec.nodeName !== 'node02'));
    assert.ok(pods.filter((p) => p.metadata.deletionTimestamp).every((p) => p.spec.nodeName === 'node02'));
    const eps = jsonpath(c, ['get', 'endpoints', 'web'], '{.subsets[*].addresses[*].ip}').split(' ');
    assert.deepEqual(eps.sort(), running.map((p) => p.status.podIP).sort());
    for (let i = 0; i < 4; i++) assert.ok(c.ok(['curl', '-s', `192.168.49.3:${nodePort}`]).includes(NGINX_TITLE));
    assert.equal(c.run(['curl', '-s', '-m', '2', `192.168.49.4:${nodePort}`]).code, 28);
    assert.equal(c.run(['ssh', 'node02', '--', 'hostname']).stderr, 'ssh: connect to host 192.168.49.4 port 22: No route to host\n');
    assert.match(c.run(['node', 'stop', 'controlplane']).stderr, /runs the control plane/);
    assert.equal(c.ok(['node', 'start', 'node02']), 'node/node02 started\n');
    // back, node02's kubelet stops the pods that were deleted meanwhile (nginx takes ≈1 s)
    assert.notEqual(onNode02(), '');
    c.at('2025-03-01T12:00:40Z');
    assert.equal(onNode02(), ''); // the terminating pods are gone
    assert.match(c.ok(['get', 'nodes']), /\nnode02 +Ready +<none>/);
    // cordon / uncordon
    assert.equal(c.ok(['cordon', 'node01']), 'node/node01 cordoned\n');
    assert.equal(c.ok(['cordon', 'node01']), 'node/node01 already cordoned\n');
    assert.match(c.ok(['get', 'nodes']), /\nnode01 +Ready,SchedulingDisabled +<none>/);
    assert.equal(c.ok(['uncordon', 'node01']), 'node/node01 uncordoned\n');
    // drain refuses DaemonSet pods without --ignore-daemonsets
    const proxy = c.ok(['-n', 'kube-system', 'get', 'pods', '-l', 'k8s-app=kube-proxy', '--field-selector', 'spec.nodeName=node01', '-o', 'jsonpath={.items[0].metadata.name}']);
    const d1 = c.run(['drain', 'node01']);
    assert.equal(d1.code, 1);
    assert.equal(d1.stdout, 'node/node01 cordoned\n');
    const dsErr = `cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): kube-system/${proxy}`;
    assert.equal(d1.stderr, `error: unable to drain node "node01" due to error: ${dsErr}, continuing command...\nThere are pending nodes to be drained:\n node01\n${dsErr}\n`);
    const before = jsonpath(c, ['get', 'pods', '-l', 'app=web', '--field-selector', 'spec.nodeName=node01'], '{.items[*].metadata.name}').split(' ').filter(Boolean);
    const d2 = c.run(['drain', 'node01', '--ignore-daemonsets']);
    assert.equal(d2.code, 0, d2.stderr);
    assert.equal(d2.stderr, `Warning: ignoring DaemonSet-managed Pods: kube-system/${proxy}\n`);
    assert.equal(d2.stdout, `node/node01 already cordoned\n${before.map((p) => `evicting pod default/${p}\n`).join('')}${before.map((p) => `pod/${p} evicted\n`).join('')}node/node01 drained\n`);
    c.at('2025-03-01T12:00:50Z'); // the evicted pods have stopped, their replacements run
    assert.equal(jsonpath(c, ['get', 'pods', '-l', 'app=web', '--field-selector', 'spec.nodeName=node01'], '{.items[*].metadata.name}'), '');
    assert.equal(jsonpath(c, ['get', 'deployment', 'web'], '{.status.readyReplicas}'), '4');
  } finally {
    c.cleanup();
  }
});

test('the simulated network is pure computation: src/network opens no sockets', () => {
  const dir = join(ROOT, 'src', 'network');
  for (const f of readdirSync(dir)) {
    const text = readFileSync(join(dir, f), 'utf8');
    assert.doesNotMatch(text, /from ['"](node:)?(net|http|https|dgram|dns|tls|http2)['"]|require\(['"](node:)?(net|http|https|dgram|dns|tls)['"]\)/, f);
  }
});

test('minikube-style helpers and the views of kube-proxy: ip, iptables -S, kube-proxy logs, externalIPs', () => {
  const c = cluster({ seed: '013' });
  try {
    assert.equal(c.ok(['ip']), '192.168.49.2\n');
    assert.equal(c.ok(['ip', 'node02']), '192.168.49.4\n');
    assert.equal(c.ok(['ip', '--node', 'node01']), '192.168.49.3\n');
    assert.equal(c.run(['ip', 'node7']).stderr, 'Error from server (NotFound): nodes "node7" not found\n');
    // iptables -S prints one chain as iptables-save does
    assert.equal(
      c.ok(['ssh', 'node01', '--', 'iptables', '-t', 'nat', '-S', 'KUBE-SVC-NPX46M4PTMTKRN6Y']),
      '-N KUBE-SVC-NPX46M4PTMTKRN6Y\n' +
        '-A KUBE-SVC-NPX46M4PTMTKRN6Y ! -s 10.244.0.0/16 -d 10.96.0.1/32 -p tcp -m comment --comment "default/kubernetes:https cluster IP" -m tcp --dport 443 -j KUBE-MARK-MASQ\n' +
        '-A KUBE-SVC-NPX46M4PTMTKRN6Y -m comment --comment "default/kubernetes:https -> 192.168.49.2:6443" -j KUBE-SEP-RLR6ZXJXMQP3D2RN\n',
    );
    // … and iptables -L lists it as iptables does
    const list = c.ok(['ssh', 'node01', '--', 'iptables', '-t', 'nat', '-L', 'KUBE-SERVICES']).split('\n');
    assert.deepEqual(list.slice(0, 2), ['Chain KUBE-SERVICES (2 references)', 'target     prot opt source               destination         ']);
    assert.ok(list.includes('KUBE-SVC-NPX46M4PTMTKRN6Y  tcp  --  anywhere             10.96.0.1            /* default/kubernetes:https cluster IP */ tcp dpt:https'), list.join('\n'));
    assert.ok(c.ok(['ssh', 'node01', '--', 'iptables', '-t', 'nat', '-nL', 'KUBE-SERVICES']).includes('KUBE-SVC-NPX46M4PTMTKRN6Y  tcp  --  0.0.0.0/0            10.96.0.1            /* default/kubernetes:https cluster IP */ tcp dpt:443\n'));
    // kube-proxy says which mode it runs in
    const proxy = c.ok(['-n', 'kube-system', 'get', 'pods', '-l', 'k8s-app=kube-proxy', '-o', 'jsonpath={.items[0].metadata.name}']);
    assert.match(c.ok(['-n', 'kube-system', 'logs', proxy]), /^I\d{4} [\d:.]+ +1 server_linux\.go:66\] "Using iptables proxy"\n/);
    // an externalIP answers from outside, through the node that holds it
    c.ok(['create', 'deployment', 'web', '--image=httpd']);
    c.ok(['expose', 'deployment', 'web', '--port=8080', '--target-port=80', '--external-ip=192.168.49.150']);
    c.at(LATER);
    assert.equal(c.ok(['curl', '-s', '192.168.49.150:8080']), '<html><body><h1>It works!</h1></body></html>\n');
    assert.equal(c.run(['curl', '-s', '192.168.49.150:80']).code, 7);
    // the API server answers on the kubernetes service from a pod, with TLS
    // (the httpd image has no curl: a pod of the curl image asks)
    c.ok(['run', 'cli', '--image=curlimages/curl', '--', 'sleep', '3600']);
    c.at('2025-03-01T12:00:30Z'); // the curl image is pulled and the pod runs
    const pod = 'cli';
    assert.match(c.ok(['exec', pod, '--', 'curl', '-sk', 'https://kubernetes.default']), /"message": "forbidden: User \\"system:anonymous\\" cannot get path \\"\/\\""/);
    assert.equal(c.run(['exec', pod, '--', 'curl', '-s', 'https://kubernetes.default']).code, 60);
  } finally {
    c.cleanup();
  }
});

test('run -i/-it --rm: the command runs in the new pod, its output is the log, the pod completes or goes', () => {
  const c = cluster({ seed: '014' });
  try {
    c.ok(['create', 'deployment', 'web', '--image=nginx']);
    c.ok(['expose', 'deployment', 'web', '--port=80']);
    c.at(LATER); // web runs: wget reaches it
    const ip = c.ok(['get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}']);
    // the docs' DNS check
    const dns = c.run(['run', '-it', '--rm', '--restart=Never', 'dnsutils', '--image=busybox', '--', 'nslookup', 'web']);
    assert.deepEqual(dns, { stdout: `Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tweb.default.svc.cluster.local\nAddress: ${ip}\n\n` + 'pod "dnsutils" deleted\n', stderr: '', code: 0 });
    assert.equal(c.run(['get', 'pod', 'dnsutils']).code, 1);
    // without --rm the pod stays, Completed, with the output as its log
    assert.ok(c.ok(['run', '-i', '--restart=Never', 'probe', '--image=busybox', '--', 'wget', '-qO-', 'web']).includes('<title>Welcome to nginx!</title>'));
    // (kubectl returns once the container ended; the frozen clock moves on to when it has)
    c.at('2025-03-01T12:00:20Z');
    assert.match(c.ok(['get', 'pod', 'probe']), /\nprobe +0\/1 +Completed +0 /);
    assert.ok(c.ok(['logs', 'probe']).includes('<title>Welcome to nginx!</title>'));
    // a failing command: kubectl's message and the container's exit code
    const bad = c.run(['run', '-i', '--restart=Never', 'bad', '--image=busybox', '--', 'wget', '-qO-', 'nope']);
    assert.equal(bad.code, 1);
    // run.go's CodeExitError: kubectl prints its text as it is, with no "error: "
    assert.equal(bad.stderr, "wget: bad address 'nope'\npod default/bad terminated (Error)\n");
    c.at('2025-03-01T12:00:25Z');
    assert.match(c.ok(['get', 'pod', 'bad']), /\nbad +0\/1 +Error +0 /);
    // a shell reads its commands from stdin
    assert.equal(c.ok(['run', '-i', '--rm', '--restart=Never', 'sh1', '--image=busybox'], { input: 'hostname\necho $((1))\n' }).split('\n')[0], 'sh1');
    // kubectl's refusals
    const usage = "\nSee 'kubesim run -h' for help and examples\n";
    assert.equal(c.run(['run', 'x', '--image=busybox', '--rm']).stderr, 'error: --rm should only be used for attached containers' + usage);
    assert.equal(c.run(['run', 'x', '--image=busybox', '-t']).stderr, 'error: -i/--stdin is required for containers with -t/--tty=true' + usage);
    assert.equal(c.run(['run', 'x', '--image=busybox', '-it', '--dry-run=client']).stderr, "error: --dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)" + usage);
  } finally {
    c.cleanup();
  }
});

test('logs -f follows new requests until interrupted', async () => {
  const { spawn } = await import('node:child_process');
  const c = cluster({ seed: '015' });
  try {
    c.ok(['create', '-f', join(MANIFESTS, 'nginx-pod.yaml')]);
    c.at(LATER);
    const podIP = c.ok(['get', 'pod', 'mypod', '-o', 'jsonpath={.status.podIP}']);
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'kubesim'), 'logs', '-f', '--tail', '1', 'mypod'], { env: { ...process.env, KUBESIM_STATE: c.dir, KUBESIM_NOW: c.now } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const exited = new Promise((r) => child.on('exit', (code) => r(code)));
    const until = async (pred) => {
      for (let i = 0; i < 250 && !pred(); i++) await new Promise((r) => setTimeout(r, 20));
      assert.ok(pred(), out);
    };
    await until(() => out.includes('start worker process'));
    c.ok(['ssh', 'node01', '--', 'curl', '-s', '-o', '/dev/null', `${podIP}/followed`]);
    await until(() => out.includes('"GET /followed HTTP/1.1" 404'));
    child.kill('SIGINT');
    assert.equal(await exited, 0);
  } finally {
    c.cleanup();
  }
});

test('ssh -- CMD runs on the default node, as `minikube ssh -- CMD`; a node name before "--" picks the node', () => {
  const c = cluster({ seed: 'ssh-default' });
  after(c.cleanup);
  assert.equal(c.ok(['ssh', '--', 'hostname']), 'controlplane\n');
  assert.equal(c.ok(['-n', 'default', 'ssh', '--', 'hostname']), 'controlplane\n');
  assert.equal(c.ok(['ssh', 'node01', '--', 'hostname']), 'node01\n');
  assert.equal(c.ok(['ssh', 'node02', 'hostname']), 'node02\n');
});

// The pod shell and the node shell, table-driven: each row is a command (and its stdin), with the
// exact stdout, stderr and exit status busybox, dash, bash, procps, crictl, kube-proxy and kubectl
// give. The cluster is seeded and its clock frozen (2025-03-01T12:00:00Z).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { cluster } from './helpers.mjs';

const require = createRequire(import.meta.url);
const lib = require('../dist/lib.cjs');

// the cluster and its pods start half a minute early: by 12:00:00 the images are pulled and the
// containers run (the kubelet starts them over simulated seconds)
const c = cluster({ seed: 'shells', init: [], now: '2025-03-01T11:59:30Z' });
c.ok(['run', 'bb', '--image=busybox', '--', 'sleep', '3600']);
c.ok(['run', 'web', '--image=nginx:1.25.4']);
c.ok(['run', 'al', '--image=alpine', '--', 'sleep', '3600']);
c.ok(['apply', '-f', '-'], {
  input: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: lb\nspec:\n  type: LoadBalancer\n  externalTrafficPolicy: Local\n  selector:\n    run: web\n  ports:\n  - port: 80\n',
});
c.at('2025-03-01T12:00:00Z');
const get = (args) => c.ok(['get', ...args]);
const bbIP = get(['pod', 'bb', '-o', 'jsonpath={.status.podIP}']);
const bbNode = get(['pod', 'bb', '-o', 'jsonpath={.spec.nodeName}']);
const webNode = get(['pod', 'web', '-o', 'jsonpath={.spec.nodeName}']);
const nodeIP = (n) => get(['node', n, '-o', 'jsonpath={.status.addresses[0].address}']);
const hc = get(['svc', 'lb', '-o', 'jsonpath={.spec.healthCheckNodePort}']);
const mac = ['0a', '58', ...bbIP.split('.').map((b) => Number(b).toString(16).padStart(2, '0'))].join(':');
const NO_TTY = 'Unable to use a TTY - input is not a terminal or the right kind of file\n';

const exec = (pod, ...cmd) => ['exec', pod, '--', ...cmd];
const sh = (pod, script) => exec(pod, 'sh', '-c', script);

/** [name, argv, expected {stdout, stderr, code}, stdin?] */
const ROWS = [
  // variables, expansion, assignment, export, $?
  ['$HOSTNAME and ${HOME} from the container environment', sh('bb', 'echo $HOSTNAME ${HOME} $PATH'), { stdout: 'bb /root /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n', stderr: '', code: 0 }],
  ['assignment, export, unset is empty, no expansion in single quotes', sh('bb', "X=1; export Y=2; echo $X $Y [$NOPE] '$X'; env | grep -c '^Y=2$'; env | grep -c '^X='"), { stdout: "1 2 [] $X\n1\n0\n", stderr: 'command terminated with exit code 1\n', code: 1 }],
  ['$? and command substitution', sh('bb', 'false; echo $?; echo "$(hostname)-`cat /etc/hostname`"; x=$(exit 3); echo $?'), { stdout: '1\nbb-bb\n3\n', stderr: '', code: 0 }],
  ['${VAR:-default}, ${#VAR}, ${VAR%suffix}, arithmetic', sh('bb', 'a=hello.txt; echo ${b:-def} ${#a} ${a%.txt} $((2*(3+4))) $((7/2)) $((7%3))'), { stdout: 'def 9 hello 14 3 1\n', stderr: '', code: 0 }],
  // compound commands
  ['for, while with a counter, if/else with test', sh('bb', 'for i in 1 2 3; do echo -n $i; done; echo; i=0; while [ $i -lt 3 ]; do i=$((i+1)); done; echo $i; if [ -f /etc/hosts ] && [ ! -d /etc/hosts ]; then echo file; else echo no; fi; [ abc = abc ] && [ -n x ] && [ -z "" ] && echo strings'), { stdout: '123\n3\nfile\nstrings\n', stderr: '', code: 0 }],
  ['case, functions, pipes into filters', sh('bb', 'f() { echo "f:$1"; }; f one; case web-1 in web-*) echo web;; *) echo other;; esac; printf "b\\na\\nb\\n" | sort | uniq -c | head -1'), { stdout: 'f:one\nweb\n      1 a\n', stderr: '', code: 0 }],
  ['a loop without end stops at the guard, as ^C would', sh('bb', 'while true; do :; done'), { stdout: '', stderr: 'kubesim: stopped the loop after 1000 iterations; a real shell would go on until interrupted (Ctrl-C)\ncommand terminated with exit code 130\n', code: 130 }],
  ['busybox syntax errors', sh('bb', 'for i in 1; do echo $i'), { stdout: '', stderr: 'sh: syntax error: unexpected end of file (expecting "done")\ncommand terminated with exit code 2\n', code: 2 }],
  ['dash (Debian sh) syntax error', sh('web', 'echo hi; done'), { stdout: '', stderr: 'sh: 1: Syntax error: "done" unexpected\ncommand terminated with exit code 2\n', code: 2 }],
  // exit
  ['exit N: kubectl reports the status and exits with it', sh('bb', 'echo before; exit 3; echo after'), { stdout: 'before\n', stderr: 'command terminated with exit code 3\n', code: 3 }],
  ['exit with a bad number', sh('bb', 'exit foo'), { stdout: '', stderr: 'sh: exit: Illegal number: foo\ncommand terminated with exit code 2\n', code: 2 }],
  // not found: in a shell and from exec
  ['busybox: sh: prog: not found', sh('bb', 'curl -s web'), { stdout: '', stderr: 'sh: curl: not found\ncommand terminated with exit code 127\n', code: 127 }],
  ['dash: sh: 1: prog: not found', sh('web', 'wget -q web'), { stdout: '', stderr: 'sh: 1: wget: not found\ncommand terminated with exit code 127\n', code: 127 }],
  ['bash: line N: prog: command not found', exec('web', 'bash', '-c', 'true\nps aux'), { stdout: '', stderr: 'bash: line 2: ps: command not found\ncommand terminated with exit code 127\n', code: 127 }],
  ['busybox has no bash', exec('bb', 'sh', '-c', 'bash'), { stdout: '', stderr: 'sh: bash: not found\ncommand terminated with exit code 127\n', code: 127 }],
  // programs
  ['ls /', exec('bb', 'ls', '/'), { stdout: 'bin\ndev\netc\nhome\nlib\nlib64\nproc\nroot\nsys\ntmp\nusr\nvar\n', stderr: '', code: 0 }],
  ['ls of the service-account mount; its namespace file', sh('bb', 'ls /var/run/secrets/kubernetes.io/serviceaccount; cat /var/run/secrets/kubernetes.io/serviceaccount/namespace'), { stdout: 'ca.crt\nnamespace\ntoken\ndefault', stderr: '', code: 0 }],
  ['ls of nginx html, missing path (busybox and coreutils wording)', sh('web', 'ls /usr/share/nginx/html; ls /nope'), { stdout: '50x.html\nindex.html\n', stderr: "ls: cannot access '/nope': No such file or directory\ncommand terminated with exit code 2\n", code: 2 }],
  ['busybox ls of a missing path', exec('bb', 'ls', '/nope'), { stdout: '', stderr: 'ls: /nope: No such file or directory\ncommand terminated with exit code 1\n', code: 1 }],
  ['busybox cat of a missing file', exec('bb', 'cat', '/etc/os-release'), { stdout: '', stderr: "cat: can't open '/etc/os-release': No such file or directory\ncommand terminated with exit code 1\n", code: 1 }],
  ['/etc/os-release of alpine', sh('al', 'grep PRETTY /etc/os-release'), { stdout: 'PRETTY_NAME="Alpine Linux v3.21"\n', stderr: '', code: 0 }],
  ['/etc/os-release of nginx (Debian bookworm)', sh('web', 'head -1 /etc/os-release'), { stdout: 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n', stderr: '', code: 0 }],
  ['write a file, read it back (this exec only)', sh('bb', 'echo hello > /tmp/x; echo more >> /tmp/x; cat /tmp/x; wc -l < /tmp/x'), { stdout: 'hello\nmore\n2\n', stderr: '', code: 0 }],
  ['busybox ps from exec', exec('bb', 'ps'), { stdout: 'PID   USER     TIME  COMMAND\n    1 root      0:00 sleep 3600\n    7 root      0:00 ps\n', stderr: '', code: 0 }],
  ['busybox ps in a shell read from stdin', ['exec', '-i', 'bb', '--', 'sh'], { stdout: 'PID   USER     TIME  COMMAND\n    1 root      0:00 sleep 3600\n    7 root      0:00 sh\n   14 root      0:00 ps\n', stderr: '', code: 0 }, 'ps\n'],
  ['busybox ip addr: lo and eth0@ifN with the pod IP and the bridge plugin MAC', exec('bb', 'ip', 'a'), { stdout: `1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue qlen 1000\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n    inet 127.0.0.1/8 scope host lo\n       valid_lft forever preferred_lft forever\n    inet6 ::1/128 scope host \n       valid_lft forever preferred_lft forever\n2: eth0@if${4 + Number(bbIP.split('.')[3])}: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1500 qdisc noqueue \n    link/ether ${mac} brd ff:ff:ff:ff:ff:ff\n    inet ${bbIP}/24 brd ${bbIP.replace(/\.\d+$/, '.255')} scope global eth0\n       valid_lft forever preferred_lft forever\n`, stderr: '', code: 0 }, undefined, (out) => out.split('    inet6 fe80')[0]],
  ['busybox ifconfig', sh('bb', 'ifconfig | head -2'), { stdout: `eth0      Link encap:Ethernet  HWaddr ${mac.toUpperCase()}  \n          inet addr:${bbIP}  Bcast:${bbIP.replace(/\.\d+$/, '.255')}  Mask:255.255.255.0\n`, stderr: '', code: 0 }],
  ['id, whoami, date, uname -a, pwd, cd', sh('bb', 'id; whoami; date; uname -a; pwd; cd /etc && pwd'), { stdout: 'uid=0(root) gid=0(root) groups=0(root),10(wheel)\nroot\nSat Mar  1 12:00:00 UTC 2025\nLinux bb 6.8.0-49-generic #49-Ubuntu SMP PREEMPT_DYNAMIC Mon Nov  4 02:06:24 UTC 2024 x86_64 GNU/Linux\n/\n/etc\n', stderr: '', code: 0 }],
  ['Debian root is only in root', exec('web', 'id'), { stdout: 'uid=0(root) gid=0(root) groups=0(root)\n', stderr: '', code: 0 }],
  ['sleep is instant but checks its argument', sh('bb', 'sleep 1; sleep x'), { stdout: '', stderr: "sleep: invalid number 'x'\ncommand terminated with exit code 1\n", code: 1 }],
  ['coreutils sleep', exec('web', 'sleep', 'x'), { stdout: '', stderr: "sleep: invalid time interval \u2018x\u2019\nTry 'sleep --help' for more information.\ncommand terminated with exit code 1\n", code: 1 }],
  ['nginx -v: the image tag\'s version on stderr', exec('web', 'nginx', '-v'), { stdout: '', stderr: 'nginx version: nginx/1.25.4\n', code: 0 }],
  ['nginx has curl, not wget', exec('web', 'wget', 'web'), { stdout: '', stderr: /^error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "wget": executable file not found in \$PATH: unknown\n$/, code: 1 }],
  ['command -v and which', sh('web', 'command -v curl; which nginx; command -v echo'), { stdout: '/usr/bin/curl\n/usr/sbin/nginx\necho\n', stderr: '', code: 0 }],
  // the interactive shell, typed line by line
  ['multi-line for typed line by line, then exit N', ['exec', '-i', 'bb', '--', 'sh'], { stdout: '1\n2\n3\n', stderr: 'command terminated with exit code 4\n', code: 4 }, 'for i in 1 2 3\ndo\necho $i\ndone\nexit 4\necho never\n'],
  ['multi-line if and a variable kept between lines', ['exec', '-i', 'bb', '--', 'sh'], { stdout: 'yes\n', stderr: '', code: 0 }, 'X=5\nif [ $X -gt 3 ]\nthen\necho yes\nelse\necho no\nfi\n'],
  ['-t without a terminal: kubectl says so', ['exec', '-it', 'bb', '--', 'sh'], { stdout: 'hi\n', stderr: NO_TTY, code: 0 }, 'echo hi\n'],
  ['input ending inside a compound command', ['exec', '-i', 'bb', '--', 'sh'], { stdout: '', stderr: 'sh: syntax error: unexpected end of file (expecting "done")\ncommand terminated with exit code 2\n', code: 2 }, 'while true\ndo\n'],
  // run -it: attach, the container's exit code, --rm
  ['run -it --rm -- sh: the hint, the output, pod deleted, the exit code', ['run', 't1', '-it', '--rm', '--restart=Never', '--image=busybox', '--', 'sh'], { stdout: 'hi\npod "t1" deleted\n', stderr: `${NO_TTY}If you don't see a command prompt, try pressing enter.\npod default/t1 terminated (Error)\n`, code: 3 }, 'echo hi\nexit 3\n'],
  ['run -i --rm: exit 0', ['run', 't2', '-i', '--rm', '--restart=Never', '--image=busybox'], { stdout: 't2\npod "t2" deleted\n', stderr: "If you don't see a command prompt, try pressing enter.\n", code: 0 }, 'hostname\n'],
  // the node shell
  ['sudo runs the command; crictl ps lists the node\'s running containers, newest first', ['ssh', webNode, '--', 'sudo', 'crictl', 'ps'], { stdout: /^CONTAINER {11}IMAGE {15}CREATED {13}STATE {15}NAME {16}ATTEMPT {13}POD ID {14}POD {17}NAMESPACE\n(?=(?:[\s\S]*\n)?[0-9a-f]{13} {7}[0-9a-f]{13} {7}\d\d seconds ago {6}Running {13}web {17}0 {19}[0-9a-f]{13} {7}web {17}default\n)([0-9a-f]{13} {7}[0-9a-f]{13} {7}\d\d seconds ago {6}Running {13}\S+ +0 {19}[0-9a-f]{13} {7}\S+ +\S+\n)+$/, stderr: '', code: 0 }, undefined, (out) => out.split('\n').filter((l) => !l.includes('kube-system') || !l.includes('kube-proxy')).join('\n')],
  ['crictl ps shows kube-proxy on every node', ['ssh', 'node01', '--', 'sudo', 'crictl', 'ps', '--name', 'kube-proxy'], { stdout: /\n[0-9a-f]{13} {7}[0-9a-f]{13} {7}\d\d seconds ago {6}Running {13}kube-proxy {10}0 {19}[0-9a-f]{13} {7}kube-proxy-[a-z0-9]{5} {4}kube-system\n/, stderr: '', code: 0 }],
  ['kube-proxy /proxyMode on 127.0.0.1:10249', ['ssh', 'node01', '--', 'curl', '-s', 'localhost:10249/proxyMode'], { stdout: 'iptables', stderr: '', code: 0 }],
  ['kube-proxy metrics are not on the node address', ['ssh', 'node01', '--', 'curl', '-sS', 'node01:10249/proxyMode'], { stdout: '', stderr: "curl: (7) Failed to connect to node01 port 10249 after 0 ms: Couldn't connect to server\n", code: 7 }],
  ['kube-proxy healthz on 10256', ['ssh', 'node01', '--', 'curl', '-s', 'localhost:10256/healthz'], { stdout: '{"lastUpdated": "2025-03-01 12:00:00 +0000 UTC m=+30.000000000","currentTime": "2025-03-01 12:00:00 +0000 UTC m=+30.000000000", "nodeEligible": true}', stderr: '', code: 0 }],
  ['health check node port: the node with the endpoint', ['ssh', webNode, '--', 'curl', '-si', `${webNode}:${hc}/healthz`], { stdout: 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Content-Type-Options: nosniff\r\nDate: Sat, 01 Mar 2025 12:00:00 GMT\r\nContent-Length: 113\r\n\r\n{\n\t"service": {\n\t\t"namespace": "default",\n\t\t"name": "lb"\n\t},\n\t"localEndpoints": 1,\n\t"serviceProxyHealthy": true\n}', stderr: '', code: 0 }],
  ['health check node port from outside: a node without the endpoint says 503', ['curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', `${nodeIP(webNode === 'node01' ? 'node02' : 'node01')}:${hc}/healthz`], { stdout: '503', stderr: '', code: 0 }],
  ['nslookup on a node is bind9\'s', ['ssh', 'node01', '--', 'nslookup', 'kubernetes.default.svc.cluster.local', '10.96.0.10'], { stdout: 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n\n', stderr: '', code: 0 }],
  ['nslookup on a node through its own resolver: NXDOMAIN', ['ssh', 'node01', '--', 'nslookup', 'web.default.svc.cluster.local'], { stdout: "Server:\t\t192.168.49.1\nAddress:\t192.168.49.1#53\n\n** server can't find web.default.svc.cluster.local: NXDOMAIN\n\n", stderr: '', code: 1 }],
  ['ipvsadm -Ln on an iptables-mode node: the header only', ['ssh', 'node01', '--', 'sudo', 'ipvsadm', '-Ln'], { stdout: 'IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n', stderr: '', code: 0 }],
  ['curl -v: curl 7.88\'s verbose lines', ['ssh', 'node01', '--', 'curl', '-sv', '-o', '/dev/null', '10.96.0.10:9153/nope'], { stdout: '', stderr: /^\* {3}Trying 10\.96\.0\.10:9153\.\.\.\n\* Connected to 10\.96\.0\.10 \(10\.96\.0\.10\) port 9153 \(#0\)\n> GET \/nope HTTP\/1\.1\r\n> Host: 10\.96\.0\.10:9153\r\n> User-Agent: curl\/7\.88\.1\r\n> Accept: \*\/\*\r\n> \r\n< HTTP\/1\.1 [0-9]{3} [^\r]*\r\n(< [^\r]*\r\n)*< \r\n\* Connection #0 to host 10\.96\.0\.10 left intact\n$/, code: 0 }],
  ['a node shell keeps its variables between lines; bash\'s messages', ['ssh', 'node02'], { stdout: 'node02\n/tmp\n', stderr: 'bash: line 3: nope: command not found\n', code: 127 }, 'H=$(hostname)\necho $H\nnope\ncd /tmp; pwd\nfalse || exit 127\n'],
];

for (const [name, argv, want, input, pick] of ROWS) {
  test(name, () => {
    const r = c.run(argv, input === undefined ? {} : { input });
    const out = pick ? pick(r.stdout) : r.stdout;
    for (const [k, got] of [['stdout', out], ['stderr', r.stderr]]) {
      if (want[k] instanceof RegExp) assert.match(got, want[k], `${k} of kubesim ${argv.join(' ')}`);
      else assert.equal(got, want[k], `${k} of kubesim ${argv.join(' ')}`);
    }
    assert.equal(r.code, want.code, `exit status of kubesim ${argv.join(' ')} (stderr ${r.stderr})`);
  });
}

test('node ps aux: systemd, containerd, the kubelet and kube-proxy with their flags; the control plane with kubeadm\'s', () => {
  const aux = c.ok(['ssh', 'controlplane', '--', 'ps', 'auxw']);
  const lines = aux.split('\n');
  assert.equal(lines[0], 'USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND');
  assert.match(lines[1], /^root {11}1 {2}0\.0 {2}0\.\d {2}22184 12792 \? {8}Ss {3}11:59 {3}0:00 \/sbin\/init$/);
  const ip = nodeIP('controlplane');
  assert.ok(aux.includes(` /usr/bin/kubelet --bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf --config=/var/lib/kubelet/config.yaml --container-runtime-endpoint=unix:///run/containerd/containerd.sock --node-ip=${ip} `), aux);
  assert.ok(aux.includes(' /usr/local/bin/kube-proxy --config=/var/lib/kube-proxy/config.conf --hostname-override=controlplane\n'));
  assert.ok(aux.includes(' /usr/bin/containerd\n'));
  assert.match(aux, / kube-apiserver --advertise-address=192\.168\.49\.2 --allow-privileged=true --authorization-mode=Node,RBAC .* --service-cluster-ip-range=10\.96\.0\.0\/12 /);
  assert.match(aux, / etcd --advertise-client-urls=https:\/\/192\.168\.49\.2:2379 /);
  assert.match(aux, / kube-scheduler --authentication-kubeconfig=\/etc\/kubernetes\/scheduler\.conf /);
  assert.match(aux, / kube-controller-manager --allocate-node-cidrs=true .* --cluster-cidr=10\.244\.0\.0\/16 /);
  assert.match(aux, /\ndocker +\d+ .* ps auxw\n$/);
  // a worker runs no control plane; its pods' nginx shows master and workers
  const w = c.ok(['ssh', webNode, '--', 'ps', 'aux']);
  assert.doesNotMatch(w, /kube-apiserver/);
  assert.match(w, / nginx: master process nginx -g daemon off;\n/);
  assert.match(w, /\n101 +\d+ .* nginx: worker process\n/);
  void bbNode;
});

test('the interactive shell asks for more while a compound command is open (PS2)', () => {
  assert.equal(lib.needsMore('for i in 1 2 3'), true);
  assert.equal(lib.needsMore('for i in 1 2 3\ndo\necho $i'), true);
  assert.equal(lib.needsMore('for i in 1 2 3\ndo\necho $i\ndone'), false);
  assert.equal(lib.needsMore("echo 'open"), true);
  assert.equal(lib.needsMore('if true; then echo a; fi'), false);
  assert.equal(lib.needsMore('echo a &&'), true);
  assert.equal(lib.needsMore('done'), false); // a syntax error, not more input
});

test('never a stack trace: odd input gives a shell\'s message', () => {
  for (const s of ['$((', '${', '`', ')', ';;', '&&', 'f() { f; }; f', 'echo $((1/0))', 'echo ${x:?}', 'cat <<EOF', 'exit 999999999999', '[ 1 -lt', '((((((((((', 'x=$(x=$(x=$(echo 1)))', 'echo ${a/[/b}']) {
    const r = c.run(sh('bb', s));
    assert.doesNotMatch(r.stderr, /at .*\.cjs|TypeError|RangeError|ReferenceError/, s);
    assert.ok(r.code !== null, s);
  }
});

test.after(() => c.cleanup());

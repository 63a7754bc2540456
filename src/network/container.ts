// What is inside a container, by image: which programs it has (busybox's applets, a Debian image's
// coreutils, nginx's curl), which shell `sh` is (busybox ash, dash, bash), its files (the image's
// own, the kubelet's /etc/hosts, /etc/resolv.conf and service-account token, the pod's configMap,
// secret and emptyDir volumes) and its processes and network interface as busybox `ps`, `ip addr`
// and `ifconfig` print them. The nginx image (Debian bookworm) has curl but no wget, ps or ip; the
// busybox image has wget, nslookup, ps and ip but no curl or bash: what a learner meets on a cluster.
import type { KObject } from '../api/types';
import type { State, VolumeStore } from '../store/state';
import { dataDirName, isApiVolume, mountedPayload, pemCertificate, storeOf, storeRef, type Payload, type StoreRef, type VFile } from './volumes';
import { serviceAccountJWT } from '../generators/serviceaccount';
import { nowMs } from '../util/clock';
import { appFor, HTTPD_WORKS, imageRepo, NGINX_VERSION, NGINX_WELCOME, serverVersion } from './apps';
import type { Dialect, Fs, Session } from './interp';
import { resolvePath } from './interp';
import { intToIp, ipToInt, parseCidr } from '../util/ip';
import { effectiveSecurityContext, fsGroupOf, identity, imagePasswdExtra, parseGroup, parsePasswd, procStatusSecurity, type Identity, type SecurityContext } from './secctx';

export type Family = 'busybox' | 'alpine' | 'debian' | 'ubuntu' | 'distroless';

export interface ImageInfo {
  family: Family;
  /** what `sh` is */
  sh?: Dialect;
  bash: boolean;
  /** programs beyond the family's base set */
  extra: string[];
  /** procps `ps` (full Debian images); busybox images have busybox's */
  procps: boolean;
}

// busybox 1.36's applets as the busybox image installs them in /bin (the common ones)
const BUSYBOX = (
  '[ [[ addgroup adduser ar arp ash awk base64 basename bc cal cat chgrp chmod chown chroot cksum clear cmp cp cpio crond crontab cut date dc dd df diff dirname dmesg dnsdomainname ' +
  'du echo ed egrep env expand expr false fgrep find fold free fsync fuser getopt grep groups gunzip gzip halt hd head hexdump hostid hostname httpd hwclock id ifconfig ifdown ifup init ' +
  'install ip ipcalc kill killall less link ln logger login ls lsof lsusb md5sum mkdir mkfifo mknod mktemp more mount mv nc netstat nice nohup nproc nslookup od passwd patch pgrep pidof ' +
  'ping ping6 pivot_root pkill pmap poweroff printenv printf ps pwd readlink realpath reboot renice reset rev rm rmdir route run-parts sed seq sh sha1sum sha256sum sha512sum sleep sort ' +
  'split stat strings stty su sum switch_root sync sysctl tac tail tar tee telnet test time timeout top touch tr traceroute true truncate tty udhcpc umount uname uniq unlink unzip ' +
  'uptime usleep uudecode uuencode vi watch wc wget which whoami xargs yes zcat'
).split(' ');
// Debian bookworm-slim's base: coreutils, grep, sed, findutils, hostname, debianutils, bash, dash
const DEBIAN = (
  'bash sh dash cat ls cp mv rm rmdir mkdir touch ln chmod chown chgrp env printenv echo printf hostname id whoami groups date uname pwd sleep seq grep egrep fgrep sed head tail wc sort ' +
  'uniq cut tr tee xargs true false test [ which basename dirname readlink realpath stat df du mktemp md5sum sha256sum base64 od yes nproc tty find gzip gunzip zcat tar mount umount ' +
  'expr tac rev nice nohup timeout sync su login passwd apt apt-get apt-cache dpkg'
).split(' ');

/** Where a program lives in the image, for `command -v` and `which`. */
export function programPath(info: ImageInfo, prog: string): string {
  if (info.family === 'busybox') return `/bin/${prog}`;
  if (info.family === 'alpine') {
    if (['sh', 'ash', 'ls', 'cat', 'ps', 'echo', 'date', 'hostname', 'sleep', 'grep', 'mkdir', 'rm', 'touch', 'uname', 'pwd', 'env', 'printenv', 'kill', 'sed', 'bash'].includes(prog)) return `/bin/${prog}`;
    if (['ip', 'ifconfig', 'route'].includes(prog)) return `/sbin/${prog}`;
    return `/usr/bin/${prog}`;
  }
  if (['nginx', 'httpd', 'apachectl'].includes(prog)) return prog === 'nginx' ? '/usr/sbin/nginx' : `/usr/local/apache2/bin/${prog}`;
  if (['redis-server', 'redis-cli', 'python', 'python3', 'pip', 'node', 'npm', 'npx'].includes(prog)) return `/usr/local/bin/${prog}`;
  return `/usr/bin/${prog}`;
}

/** The image's family and programs, from its name and tag. */
export function imageInfo(image: string): ImageInfo {
  const repo = imageRepo(image);
  const last = repo.split('/').pop() as string;
  const tag = /:([^/:@]+)(@|$)/.exec(image)?.[1] ?? 'latest';
  const alpineTag = /alpine/.test(tag);
  const slim = /slim/.test(tag);
  if (last === 'busybox') return { family: 'busybox', sh: 'ash', bash: false, extra: [], procps: false };
  // the Kubernetes components and CoreDNS are distroless: no shell, no programs but their own
  if (/^kube-|^etcd$|^coredns$|^pause$/.test(last) || repo.startsWith('distroless/') || repo.includes('/distroless')) return { family: 'distroless', bash: false, extra: last === 'etcd' ? ['etcd', 'etcdctl', 'etcdutl'] : [], procps: false };
  if (repo === 'nicolaka/netshoot') return { family: 'alpine', sh: 'ash', bash: true, extra: ['curl', 'bash', 'dig', 'host', 'tcpdump', 'iperf3', 'nmap', 'socat', 'jq', 'ipvsadm', 'iptables', 'ss'], procps: false };
  if (repo === 'curlimages/curl') return { family: 'alpine', sh: 'ash', bash: false, extra: ['curl'], procps: false };
  if (last === 'alpine' || alpineTag) {
    const extra = last === 'nginx' ? ['nginx', 'curl'] : last === 'redis' ? ['redis-server', 'redis-cli'] : last === 'python' ? ['python', 'python3', 'pip'] : last === 'node' ? ['node', 'npm', 'npx'] : [];
    return { family: 'alpine', sh: 'ash', bash: false, extra: ['apk', ...extra], procps: false };
  }
  if (last === 'ubuntu') return { family: 'ubuntu', sh: 'dash', bash: true, extra: [], procps: false };
  switch (last) {
    case 'nginx':
    case 'nginx-unprivileged':
      return { family: 'debian', sh: 'dash', bash: true, extra: ['nginx', 'nginx-debug', 'curl'], procps: false };
    case 'httpd':
      return { family: 'debian', sh: 'dash', bash: true, extra: ['httpd', 'apachectl'], procps: false };
    case 'redis':
      return { family: 'debian', sh: 'dash', bash: true, extra: ['redis-server', 'redis-cli'], procps: false };
    case 'python':
    case 'node':
    case 'golang':
    case 'ruby':
    case 'perl':
    case 'gcc':
    case 'rust':
    case 'buildpack-deps': {
      // the full images are built on buildpack-deps (curl, wget, procps); -slim ones are not
      const own = last === 'python' ? ['python', 'python3', 'pip'] : last === 'node' ? ['node', 'npm', 'npx'] : last === 'golang' ? ['go'] : [last];
      return { family: 'debian', sh: 'dash', bash: true, extra: slim ? own : [...own, 'curl', 'wget', 'ps', 'top', 'git', 'ssh'], procps: !slim };
    }
    case 'debian':
      return { family: 'debian', sh: 'dash', bash: true, extra: [], procps: false };
  }
  if (appFor(image) === 'none') return { family: 'debian', sh: 'dash', bash: true, extra: [], procps: false };
  // an image kubesim does not know: a Debian base with curl, the common case for application images
  return { family: 'debian', sh: 'dash', bash: true, extra: ['curl'], procps: false };
}

/** Whether an image has a program (and so whether exec can start it). */
export function hasProgram(info: ImageInfo, prog: string): boolean {
  if (info.extra.includes(prog)) return true;
  switch (info.family) {
    case 'busybox':
      return BUSYBOX.includes(prog);
    case 'alpine':
      return BUSYBOX.includes(prog) && prog !== 'bash';
    case 'debian':
    case 'ubuntu':
      return DEBIAN.includes(prog) || (info.procps && ['ps', 'top', 'pkill', 'pgrep', 'free', 'uptime', 'watch', 'kill'].includes(prog));
    default:
      return false;
  }
}

export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  volumeMounts?: { name: string; mountPath: string; subPath?: string; readOnly?: boolean }[];
  securityContext?: SecurityContext;
}

export function containerOf(pod: KObject, name: string): Container | undefined {
  return ((pod.spec?.containers ?? []) as Container[]).find((c) => c.name === name);
}

/** What the container's process 1 runs: its command and args, or the image's entrypoint and command. */
export function mainCommand(c: Container): string[] {
  if (c.command?.length) return [...c.command, ...(c.args ?? [])];
  const info = imageInfo(c.image);
  const last = imageRepo(c.image).split('/').pop() as string;
  let def: string[];
  switch (last) {
    case 'nginx':
    case 'nginx-unprivileged':
      def = ['nginx', '-g', 'daemon off;'];
      break;
    case 'httpd':
      def = ['httpd-foreground'];
      break;
    case 'redis':
      def = ['redis-server'];
      break;
    case 'python':
      def = ['python3'];
      break;
    case 'node':
      def = ['node'];
      break;
    default:
      def = info.family === 'busybox' ? ['sh'] : info.family === 'alpine' ? ['/bin/sh'] : info.family === 'distroless' ? [`/${last}`] : ['bash'];
  }
  return c.args?.length ? (last === 'nginx' || last === 'redis' ? [def[0], ...c.args] : c.args) : def;
}

// ---------------------------------------------------------------- files

const BUSYBOX_PASSWD = 'root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nbin:x:2:2:bin:/bin:/bin/false\nsys:x:3:3:sys:/dev:/bin/false\nsync:x:4:100:sync:/bin:/bin/sync\nmail:x:8:8:mail:/var/spool/mail:/bin/false\nwww-data:x:33:33:www-data:/var/www:/bin/false\noperator:x:37:37:Operator:/var:/bin/false\nnobody:x:65534:65534:nobody:/home:/bin/false\n';
const BUSYBOX_GROUP = 'root:x:0:\ndaemon:x:1:\nbin:x:2:\nsys:x:3:\nadm:x:4:\ntty:x:5:\ndisk:x:6:\nlp:x:7:\nmail:x:8:\nkmem:x:9:\nwheel:x:10:root\ncdrom:x:11:\ndialout:x:18:\nfloppy:x:19:\nvideo:x:28:\naudio:x:29:\ntape:x:32:\nwww-data:x:33:\noperator:x:37:\nutmp:x:43:\nplugdev:x:46:\nstaff:x:50:\nlock:x:54:\nnetdev:x:82:\nusers:x:100:\nnobody:x:65534:\n';
const DEBIAN_PASSWD = 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nbin:x:2:2:bin:/bin:/usr/sbin/nologin\nsys:x:3:3:sys:/dev:/usr/sbin/nologin\nsync:x:4:65534:sync:/bin:/bin/sync\ngames:x:5:60:games:/usr/games:/usr/sbin/nologin\nman:x:6:12:man:/var/cache/man:/usr/sbin/nologin\nlp:x:7:7:lp:/var/spool/lpd:/usr/sbin/nologin\nmail:x:8:8:mail:/var/mail:/usr/sbin/nologin\nnews:x:9:9:news:/var/spool/news:/usr/sbin/nologin\nuucp:x:10:10:uucp:/var/spool/uucp:/usr/sbin/nologin\nproxy:x:13:13:proxy:/bin:/usr/sbin/nologin\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\nbackup:x:34:34:backup:/var/backups:/usr/sbin/nologin\nlist:x:38:38:Mailing List Manager:/var/list:/usr/sbin/nologin\nirc:x:39:39:ircd:/run/ircd:/usr/sbin/nologin\n_apt:x:42:65534::/nonexistent:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n';

const DEBIAN_GROUP = 'root:x:0:\ndaemon:x:1:\nbin:x:2:\nsys:x:3:\nadm:x:4:\ntty:x:5:\ndisk:x:6:\nlp:x:7:\nmail:x:8:\nnews:x:9:\nuucp:x:10:\nman:x:12:\nproxy:x:13:\nkmem:x:15:\ndialout:x:20:\nfax:x:21:\nvoice:x:22:\ncdrom:x:24:\nfloppy:x:25:\ntape:x:26:\nsudo:x:27:\naudio:x:29:\ndip:x:30:\nwww-data:x:33:\nbackup:x:34:\noperator:x:37:\nlist:x:38:\nirc:x:39:\nsrc:x:40:\nshadow:x:42:\nutmp:x:43:\nvideo:x:44:\nsasl:x:45:\nplugdev:x:46:\nstaff:x:50:\ngames:x:60:\nusers:x:100:\nnogroup:x:65534:\n';

// Alpine 3.21's /etc/group (alpine-baselayout): root is in bin, daemon, sys, adm, disk, wheel, floppy, dialout, tape, video
const ALPINE_GROUP = 'root:x:0:root\nbin:x:1:root,bin,daemon\ndaemon:x:2:root,bin,daemon\nsys:x:3:root,bin,adm\nadm:x:4:root,adm,daemon\ntty:x:5:\ndisk:x:6:root,adm\nlp:x:7:lp\nkmem:x:9:\nwheel:x:10:root\nfloppy:x:11:root\nmail:x:12:mail\nnews:x:13:news\nuucp:x:14:uucp\ncron:x:16:cron\nconsole:x:17:\naudio:x:18:\ncdrom:x:19:\ndialout:x:20:root\nftp:x:21:\nsshd:x:22:\ninput:x:23:\ntape:x:26:root\nvideo:x:27:root\nnetdev:x:28:\nkvm:x:34:kvm\ngames:x:35:\nshadow:x:42:\nwww-data:x:82:\nusers:x:100:games\nntp:x:123:\nabuild:x:300:\nutmp:x:406:\nping:x:999:\nnogroup:x:65533:\nnobody:x:65534:\n';

const OS_RELEASE: Record<string, string> = {
  alpine: 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.21.3\nPRETTY_NAME="Alpine Linux v3.21"\nHOME_URL="https://alpinelinux.org/"\nBUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"\n',
  debian:
    'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\nHOME_URL="https://www.debian.org/"\nSUPPORT_URL="https://www.debian.org/support"\nBUG_REPORT_URL="https://bugs.debian.org/"\n',
  ubuntu:
    'PRETTY_NAME="Ubuntu 24.04.2 LTS"\nNAME="Ubuntu"\nVERSION_ID="24.04"\nVERSION="24.04.2 LTS (Noble Numbat)"\nVERSION_CODENAME=noble\nID=ubuntu\nID_LIKE=debian\nHOME_URL="https://www.ubuntu.com/"\nSUPPORT_URL="https://help.ubuntu.com/"\nBUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"\nPRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"\nUBUNTU_CODENAME=noble\nLOGO=ubuntu-logo\n',
};

// the nginx image's configuration (docker-library/nginx, mainline/debian)
const NGINX_CONF = `
user  nginx;
worker_processes  auto;

error_log  /var/log/nginx/error.log notice;
pid        /var/run/nginx.pid;


events {
    worker_connections  1024;
}


http {
    include       /etc/nginx/mime.types;
    default_type  application/octet-stream;

    log_format  main  '$remote_addr - $remote_user [$time_local] "$request" '
                      '$status $body_bytes_sent "$http_referer" '
                      '"$http_user_agent" "$http_x_forwarded_for"';

    access_log  /var/log/nginx/access.log  main;

    sendfile        on;
    #tcp_nopush     on;

    keepalive_timeout  65;

    #gzip  on;

    include /etc/nginx/conf.d/*.conf;
}
`;
const NGINX_DEFAULT_CONF = `server {
    listen       80;
    listen  [::]:80;
    server_name  localhost;

    #access_log  /var/log/nginx/host.access.log  main;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }

    #error_page  404              /404.html;

    # redirect server error pages to the static page /50x.html
    #
    error_page   500 502 503 504  /50x.html;
    location = /50x.html {
        root   /usr/share/nginx/html;
    }
}
`;
const NGINX_50X = `<!DOCTYPE html>
<html>
<head>
<title>Error</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>An error occurred.</h1>
<p>Sorry, the page you are looking for is currently unavailable.<br/>
Please try again later.</p>
<p>If you are the system administrator of this resource then you should check
the error log for details.</p>
<p><em>Faithfully yours, nginx.</em></p>
</body>
</html>
`;

/** A tree of directories (names ending in "/") and files with their text. */
type Tree = Map<string, string[]>;

function tree(entries: Record<string, string>): Tree {
  const t: Tree = new Map();
  for (const [dir, names] of Object.entries(entries)) t.set(dir, names.split(' ').filter(Boolean));
  return t;
}

function baseTree(info: ImageInfo, image: string): Tree {
  const last = imageRepo(image).split('/').pop() as string;
  if (info.family === 'busybox') {
    return tree({
      '/': 'bin/ dev/ etc/ home/ lib/ lib64/ proc/ root/ sys/ tmp/ usr/ var/',
      '/bin': BUSYBOX.join(' '),
      '/etc': 'group hostname hosts localtime mtab network/ passwd resolv.conf shadow',
      '/etc/network': 'if-down.d/ if-post-down.d/ if-pre-up.d/ if-up.d/',
      '/home': '',
      '/lib': '',
      '/lib64': '',
      '/root': '',
      '/tmp': '',
      '/usr': 'sbin/',
      '/usr/sbin': '',
      '/var': 'run/ spool/ www/',
      '/var/spool': 'mail/',
      '/var/www': '',
    });
  }
  if (info.family === 'alpine') {
    return tree({
      '/': 'bin/ dev/ etc/ home/ lib/ media/ mnt/ opt/ proc/ root/ run/ sbin/ srv/ sys/ tmp/ usr/ var/',
      '/bin': 'arch ash base64 bbconfig busybox cat chattr chgrp chmod chown cp date dd df dmesg dnsdomainname dumpkmap echo egrep false fatattr fdflush fgrep fsync getopt grep gunzip gzip hostname ionice iostat ipcalc kbd_mode kill link linux32 linux64 ln login ls lsattr lzop makemime mkdir mknod mktemp more mount mountpoint mpstat mv netstat nice pidof ping ping6 pipe_progress printenv ps pwd reformime rev rm rmdir run-parts sed setpriority setserial sh sleep stat stty su sync tar touch true umount uname usleep watch zcat',
      '/etc': 'alpine-release apk/ busybox-paths.d/ conf.d/ crontabs/ fstab group hostname hosts init.d/ inittab issue localtime logrotate.d/ modprobe.d/ modules modules-load.d/ motd mtab network/ nsswitch.conf opt/ os-release passwd periodic/ profile profile.d/ protocols resolv.conf secfixes.d/ securetty services shadow shells ssl/ sysctl.conf sysctl.d/ udhcpc/',
      '/home': '',
      '/root': '',
      '/tmp': '',
      '/usr': 'bin/ lib/ local/ sbin/ share/',
      '/var': 'cache/ empty/ lib/ local/ lock/ log/ mail/ opt/ run/ spool/ tmp/',
      ...(last === 'nginx' ? { '/etc/nginx': 'conf.d/ fastcgi.conf fastcgi_params mime.types modules/ nginx.conf scgi_params uwsgi_params', '/etc/nginx/conf.d': 'default.conf', '/usr/share': 'nginx/', '/usr/share/nginx': 'html/', '/usr/share/nginx/html': '50x.html index.html' } : {}),
    });
  }
  if (info.family === 'distroless') return tree({ '/': 'dev/ etc/ proc/ sys/ var/', '/etc': 'hostname hosts resolv.conf', '/var': 'run/' });
  const t = tree({
    '/': `bin/ boot/ dev/ ${last === 'nginx' ? 'docker-entrypoint.d/ docker-entrypoint.sh ' : ''}etc/ home/ lib/ lib64/ media/ mnt/ opt/ proc/ root/ run/ sbin/ srv/ sys/ tmp/ usr/ var/`,
    '/boot': '',
    '/etc': `adduser.conf alternatives/ apt/ bash.bashrc bindresvport.blacklist ca-certificates/ ca-certificates.conf cron.d/ cron.daily/ debconf.conf debian_version default/ deluser.conf dpkg/ e2scrub.conf environment fstab gai.conf group gshadow host.conf hostname hosts init.d/ issue issue.net kernel/ ld.so.cache ld.so.conf ld.so.conf.d/ login.defs logrotate.d/ mime.types mke2fs.conf motd mtab ${last === 'nginx' ? 'nginx/ ' : ''}nsswitch.conf opt/ os-release pam.conf pam.d/ passwd profile profile.d/ rc0.d/ rc1.d/ rc2.d/ rc3.d/ rc4.d/ rc5.d/ rc6.d/ rcS.d/ resolv.conf rmt security/ selinux/ shadow shells skel/ ssl/ subgid subuid systemd/ terminfo/ update-motd.d/ xattr.conf`,
    '/home': '',
    '/root': '',
    '/tmp': '',
    '/usr': 'bin/ games/ include/ lib/ lib64/ libexec/ local/ sbin/ share/ src/',
    '/usr/local': 'bin/ etc/ games/ include/ lib/ man/ sbin/ share/ src/',
    '/var': 'backups/ cache/ lib/ local/ lock/ log/ mail/ opt/ run/ spool/ tmp/',
    '/run': '',
  });
  if (last === 'nginx') {
    t.set('/etc/nginx', 'conf.d/ fastcgi_params mime.types modules/ nginx.conf scgi_params uwsgi_params'.split(' '));
    t.set('/etc/nginx/conf.d', ['default.conf']);
    t.set('/docker-entrypoint.d', '10-listen-on-ipv6-by-default.sh 15-local-resolvers.envsh 20-envsubst-on-templates.sh 30-tune-worker-processes.sh'.split(' '));
    t.set('/usr/share', ['nginx/']);
    t.set('/usr/share/nginx', ['html/']);
    t.set('/usr/share/nginx/html', ['50x.html', 'index.html']);
    t.set('/var/log', ['nginx/']);
    t.set('/var/log/nginx', ['access.log', 'error.log']);
  }
  if (last === 'httpd') {
    t.set('/', [...(t.get('/') ?? [])]);
    t.set('/usr/local', ['apache2/', 'bin/', 'etc/', 'games/', 'include/', 'lib/', 'man/', 'sbin/', 'share/', 'src/']);
    t.set('/usr/local/apache2', ['bin/', 'build/', 'cgi-bin/', 'conf/', 'error/', 'htdocs/', 'icons/', 'include/', 'logs/', 'modules/']);
    t.set('/usr/local/apache2/htdocs', ['index.html']);
  }
  return t;
}

function osRelease(info: ImageInfo): string | undefined {
  if (info.family === 'busybox' || info.family === 'distroless') return undefined;
  return OS_RELEASE[info.family];
}

/** A file's type, permission bits, size and (a symlink's) target, as `ls -l` shows them. */
export interface Stat {
  type: 'f' | 'd' | 'l';
  mode: number;
  size: number;
  link?: string;
  /** owner and group (root's when absent) */
  uid?: number;
  gid?: number;
}

/** One volume mount of the container (network/volumes.ts makes its content). */
interface Mount {
  path: string;
  readOnly: boolean;
  /** an API-data volume's files; `dir`: the atomic writer's timestamped directory (absent for a subPath directory) */
  api?: { payload: Payload; dir?: string; rootMode: number };
  /** a subPath file of an API-data volume */
  file?: VFile;
  /** a writable volume's store */
  store?: StoreRef;
  rootMode: number;
  /** the pod's fsGroup, on the volumes whose ownership the kubelet manages (emptyDir, a claim's, the API-data ones) */
  fsGroup?: number;
}

const joinRel = (a: string, b: string) => (a && b ? `${a}/${b}` : a || b);

/** Whether `p` is a directory of a payload (its root, or a prefix of a key). */
function payloadDir(p: Payload, rel: string): boolean {
  if (rel === '') return true;
  for (const k of p.keys()) if (k.startsWith(rel + '/')) return true;
  return false;
}

function payloadList(p: Payload, rel: string): string[] {
  const names = new Set<string>();
  for (const k of p.keys()) {
    const r = rel ? (k.startsWith(rel + '/') ? k.slice(rel.length + 1) : undefined) : k;
    if (r) names.add(r.split('/')[0]);
  }
  return [...names];
}

/** The kubelet's files and the pod's volumes, then the image: one container's file system. */
export class ContainerFs implements Fs {
  private t: Tree;
  private mounts: Mount[] = [];
  private sc: SecurityContext;
  private who?: Identity;
  /** the container's writable layer: what it wrote outside its volumes (kept in the runtime, as a volume's files) */
  private layer: Mount;
  constructor(
    private state: State,
    private pod: KObject,
    private c: Container,
    private sess: Session | undefined,
    private kubelet: Record<string, string>,
    /** writes to writable volumes are kept (false: a look that must not change anything, kept in the session only) */
    private persist = true,
  ) {
    const info = imageInfo(c.image);
    this.t = baseTree(info, c.image);
    this.sc = effectiveSecurityContext(pod, c);
    this.layer = { path: '/', readOnly: false, store: { table: 'layers', key: `${pod.metadata.uid}/${c.name}`, base: '' }, rootMode: 0o755 };
    const fsGroup = fsGroupOf(pod);
    const vols = new Map<string, KObject>(((pod.spec?.volumes ?? []) as KObject[]).map((v) => [v.name, v]));
    const token = kubelet['/var/run/secrets/kubernetes.io/serviceaccount/token'];
    let node: KObject | undefined;
    const nodeOf = () => (node ??= pod.spec?.nodeName ? stored(state, 'Node', undefined, pod.spec.nodeName) : undefined);
    for (const m of c.volumeMounts ?? []) {
      const v = vols.get(m.name);
      if (!v) continue;
      const path = m.mountPath.replace(/\/+$/, '') || '/';
      const sub = String(m.subPath ?? '').replace(/^\/+|\/+$/g, '');
      if (isApiVolume(v)) {
        // these plugins manage ownership too (SetVolumeOwnership): fsGroup's group, setgid on the directories
        const rootMode = (v.secret || v.projected ? 0o1777 : 0o777) | (fsGroup !== undefined ? 0o2000 : 0);
        if (sub) {
          // a subPath never follows an update: the file the container started with (volumes.ts)
          const kept = state.runtime().subPaths?.[pod.metadata.uid as string]?.[c.name]?.[path];
          const { payload } = mountedPayload(state, pod, v, token, nodeOf());
          const file = kept ? { data: kept[0], mode: kept[1] } : payload.get(sub);
          if (file) this.mounts.push({ path, readOnly: true, file, rootMode: file.mode, fsGroup });
          else {
            const inner: Payload = new Map([...payload].filter(([k]) => k.startsWith(sub + '/')).map(([k, f]) => [k.slice(sub.length + 1), f]));
            this.mounts.push({ path, readOnly: true, api: { payload: inner, rootMode: 0o755 }, rootMode: 0o755, fsGroup });
          }
          continue;
        }
        const { payload, since } = mountedPayload(state, pod, v, token, nodeOf());
        this.mounts.push({ path, readOnly: true, api: { payload, dir: dataDirName(since, `${pod.metadata.uid}/${v.name}`), rootMode }, rootMode, fsGroup });
        continue;
      }
      const ref = storeRef(state, pod, v);
      const readOnly = m.readOnly === true || v.persistentVolumeClaim?.readOnly === true;
      // SetVolumeOwnership (pkg/volume/volume_linux.go): the group is fsGroup, rw for it, setgid on directories
      const owned = fsGroup !== undefined && (v.emptyDir || v.persistentVolumeClaim) ? fsGroup : undefined;
      const rootMode = (v.emptyDir && !sub ? 0o777 : 0o755) | (owned !== undefined ? 0o2660 : 0);
      if (ref) this.mounts.push({ path, readOnly, store: { ...ref, base: joinRel(ref.base, sub) }, rootMode, fsGroup: owned });
      else this.mounts.push({ path, readOnly, api: { payload: new Map(), rootMode: 0o755 }, rootMode: 0o755 });
    }
    this.mounts.sort((a, b) => b.path.length - a.path.length);
  }

  /** Where a write to a path is kept: its volume's store, else the writable layer (not /proc, /dev, /sys or the kubelet's files). */
  private storeAt(path: string): { mount: Mount; rest: string } | undefined {
    const m = this.mountAt(path);
    if (m) return m.mount.store ? m : undefined;
    if (/^\/(dev|proc|sys)(\/|$)/.test(path) || this.kubelet[path] !== undefined || path === '/') return undefined;
    return { mount: this.layer, rest: path.slice(1) };
  }

  private mountAt(path: string): { mount: Mount; rest: string } | undefined {
    for (const m of this.mounts) {
      if (path === m.path) return { mount: m, rest: '' };
      if (path.startsWith(m.path === '/' ? '/' : m.path + '/')) return { mount: m, rest: path.slice(m.path === '/' ? 1 : m.path.length + 1) };
    }
    return undefined;
  }

  /** An API-data volume's path with its symlinks followed: the payload path, or undefined when it is none. */
  private apiTarget(api: NonNullable<Mount['api']>, rest: string): string | undefined {
    if (!api.dir) return rest;
    if (rest === '') return '';
    const [first, ...more] = rest.split('/');
    if (first === '..data' || first === api.dir) return more.join('/');
    if (first.startsWith('..')) return undefined;
    return rest;
  }

  /** What a mount holds at a path: a file's text, a directory, or nothing. */
  private inMount(m: Mount, rest: string): { file?: VFile; dir?: boolean } {
    if (m.file) return rest === '' ? { file: m.file } : {};
    if (m.api) {
      const p = this.apiTarget(m.api, rest);
      if (p === undefined) return {};
      const f = m.api.payload.get(p);
      if (f) return { file: f };
      return payloadDir(m.api.payload, p) ? { dir: true } : {};
    }
    const key = joinRel(m.store!.base, rest);
    const st = this.store(m.store!);
    if (rest === '') return { dir: true };
    const f = st?.f[key];
    if (f !== undefined) return { file: { data: f, mode: 0o644 } };
    if (st && (st.d.includes(key) || Object.keys(st.f).some((k) => k.startsWith(key + '/')) || st.d.some((d) => d.startsWith(key + '/')))) return { dir: true };
    return {};
  }

  private store(ref: StoreRef, write = false): VolumeStore | undefined {
    return storeOf(this.state, ref, write);
  }

  /**
   * The stored symbolic link at a path (one a writable volume or the writable layer keeps: tar
   * extracted it, ln -s made it), unless the session wrote a file over it.
   */
  private linkAt(path: string): string | undefined {
    if (path === '/' || this.sess?.files.has(path)) return undefined;
    const m = this.storeAt(path);
    if (!m?.mount.store || m.rest === '') return undefined;
    return this.store(m.mount.store)?.l?.[joinRel(m.mount.store.base, m.rest)];
  }

  /** Whether any store the container sees keeps a symbolic link (most do not: nothing to follow). */
  private anyLinks(): boolean {
    for (const m of [this.layer, ...this.mounts]) {
      const l = m.store ? this.store(m.store)?.l : undefined;
      if (l && Object.keys(l).length) return true;
    }
    return false;
  }

  /**
   * A path with the stored links on it followed, as the kernel's path walk does (the last one too
   * unless `last` is false: lstat, rm, ln). A loop stops after 40 links (ELOOP): what it names is
   * nothing. The API-data volumes' own links (..data, a key's) are the mounts' business (apiTarget).
   */
  resolve(path: string, last = true): string {
    if (!this.anyLinks()) return path;
    let p = path;
    for (let hops = 0; hops < 40; hops++) {
      const parts = p.split('/').filter(Boolean);
      let next: string | undefined;
      for (let i = 0; i < parts.length && next === undefined; i++) {
        if (i === parts.length - 1 && !last) break;
        const target = this.linkAt('/' + parts.slice(0, i + 1).join('/'));
        if (target !== undefined) next = resolvePath(resolvePath('/' + parts.slice(0, i).join('/'), target), parts.slice(i + 1).join('/') || '.');
      }
      if (next === undefined) return p;
      p = next;
    }
    return '/\0loop';
  }

  /** The permission bits kept for a path of a volume or the writable layer (tar's header mode, chmod), if any. */
  private keptMode(path: string): number | undefined {
    const m = this.storeAt(path);
    if (!m?.mount.store || m.rest === '') return undefined;
    return this.store(m.mount.store)?.m?.[joinRel(m.mount.store.base, m.rest)];
  }

  /** chmod: the bits kept with the volume's or the layer's files (an image file's go to the layer); false where nothing keeps them. */
  chmod(path: string, mode: number): boolean {
    const p = this.resolve(path);
    const m = this.storeAt(p);
    if (!m?.mount.store || !this.persist || m.rest === '') return false;
    const st = this.store(m.mount.store, true)!;
    const key = joinRel(m.mount.store.base, m.rest);
    // only what differs from the mode it has anyway is kept (most of tar's files are 0644)
    if ((mode & 0o7777) === this.lstatOf(p)?.mode) {
      if (st.m) delete st.m[key];
    } else (st.m ??= {})[key] = mode & 0o7777;
    return true;
  }

  /** ln -s, tar's symlink member: a link kept with the volume's or the layer's files, in place of what was there; false where nothing keeps it. */
  symlink(path: string, target: string, owner?: [number, number]): boolean {
    const m = this.storeAt(path);
    if (!m?.mount.store || !this.persist || m.rest === '') return false;
    const st = this.store(m.mount.store, true)!;
    const key = joinRel(m.mount.store.base, m.rest);
    delete st.f[key];
    for (const t of [st.b, st.m]) if (t) delete t[key];
    (st.l ??= {})[key] = target;
    this.own(st, key, path, owner);
    this.sess?.files.delete(path);
    return true;
  }

  read(path: string): string | undefined {
    path = this.resolve(path);
    const w = this.sess?.files.get(path);
    if (w !== undefined) return w ?? undefined;
    const m = this.mountAt(path);
    if (m) return this.inMount(m.mount, m.rest).file?.data;
    if (this.kubelet[path] !== undefined) return this.kubelet[path];
    const layered = path !== '/' ? this.inMount(this.layer, path.slice(1)).file : undefined;
    if (layered) return layered.data;
    const info = imageInfo(this.c.image);
    const last = imageRepo(this.c.image).split('/').pop() as string;
    switch (path) {
      case '/etc/os-release':
        return osRelease(info);
      case '/etc/passwd':
        return passwdOf(this.c.image);
      case '/etc/group':
        return info.family === 'distroless' ? undefined : info.family === 'debian' || info.family === 'ubuntu' ? DEBIAN_GROUP + (last === 'nginx' || last === 'nginx-unprivileged' ? 'nginx:x:101:\n' : '') : info.family === 'alpine' ? ALPINE_GROUP + (imageRepo(this.c.image) === 'curlimages/curl' ? 'curl_group:x:101:curl_user\n' : '') : BUSYBOX_GROUP;
      case '/proc/self/status':
      case '/proc/1/status':
        return this.procStatus(path === '/proc/1/status' ? 1 : (this.sess?.nextPid ?? 1));
      case '/etc/debian_version':
        return info.family === 'debian' ? '12.9\n' : info.family === 'ubuntu' ? 'trixie/sid\n' : undefined;
      case '/etc/alpine-release':
        return info.family === 'alpine' ? '3.21.3\n' : undefined;
      case '/etc/shells':
        return info.family === 'debian' || info.family === 'ubuntu' ? '# /etc/shells: valid login shells\n/bin/sh\n/usr/bin/sh\n/bin/bash\n/usr/bin/bash\n/bin/rbash\n/usr/bin/rbash\n/bin/dash\n/usr/bin/dash\n' : info.family === 'alpine' ? '# valid login shells\n/bin/sh\n/bin/ash\n' : undefined;
      case '/proc/1/cmdline':
        return mainCommand(this.c).join('\0') + '\0';
      case '/etc/nginx/nginx.conf':
        return last === 'nginx' ? NGINX_CONF : undefined;
      case '/etc/nginx/conf.d/default.conf':
        return last === 'nginx' ? NGINX_DEFAULT_CONF : undefined;
      case '/usr/share/nginx/html/50x.html':
        return last === 'nginx' ? NGINX_50X : undefined;
      case '/usr/share/nginx/html/index.html':
        return appFor(this.c.image) === 'nginx' ? NGINX_WELCOME : undefined;
      case '/usr/local/apache2/htdocs/index.html':
        return last === 'httpd' ? HTTPD_WORKS : undefined;
    }
    const dir = path.slice(0, path.lastIndexOf('/')) || '/';
    const name = path.slice(path.lastIndexOf('/') + 1);
    if (this.t.get(dir)?.includes(name)) return '';
    return undefined;
  }

  isDir(path: string): boolean {
    path = this.resolve(path);
    if (this.sess?.dirs.has(path)) return true;
    if (this.sess?.files.get(path) === null) return false;
    const m = this.mountAt(path);
    if (m) return !!this.inMount(m.mount, m.rest).dir || this.mounts.some((mm) => mm.path.startsWith(path === '/' ? '/' : path + '/'));
    if (this.t.has(path)) return true;
    if (path !== '/' && this.inMount(this.layer, path.slice(1)).dir) return true;
    if (path === '/proc' || path === '/dev' || path === '/sys' || path === '/etc' || path === '/var/run/secrets/kubernetes.io/serviceaccount' || /^\/var\/run\/secrets(\/kubernetes\.io)?$/.test(path)) return true;
    if (/^\/proc\/\d+$/.test(path)) return true;
    return this.mounts.some((mm) => mm.path.startsWith(path === '/' ? '/' : path + '/'));
  }

  /** The names in a directory, or undefined when it is none. */
  list(path: string): string[] | undefined {
    path = this.resolve(path);
    if (!this.isDir(path)) return undefined;
    const names = new Set<string>();
    const m = this.mountAt(path);
    if (m) {
      const mt = m.mount;
      if (mt.api) {
        const p = this.apiTarget(mt.api, m.rest);
        if (m.rest === '' && mt.api.dir) ['..data', mt.api.dir].forEach((n) => names.add(n));
        if (p !== undefined) payloadList(mt.api.payload, p).forEach((n) => names.add(n));
      } else if (mt.store) {
        const key = joinRel(mt.store.base, m.rest);
        const st = this.store(mt.store);
        for (const k of [...Object.keys(st?.f ?? {}), ...(st?.d ?? []), ...Object.keys(st?.l ?? {})]) {
          const r = key ? (k.startsWith(key + '/') ? k.slice(key.length + 1) : undefined) : k;
          if (r) names.add(r.split('/')[0]);
        }
      }
      const prefix = path === '/' ? '/' : path + '/';
      for (const mm of this.mounts) if (mm !== mt && mm.path.startsWith(prefix)) names.add(mm.path.slice(prefix.length).split('/')[0]);
    } else {
      for (const n of this.t.get(path) ?? []) names.add(n.replace(/\/$/, ''));
      const prefix = path === '/' ? '/' : path + '/';
      for (const k of Object.keys(this.kubelet)) if (k.startsWith(prefix)) names.add(k.slice(prefix.length).split('/')[0]);
      for (const mm of this.mounts) if (mm.path.startsWith(prefix)) names.add(mm.path.slice(prefix.length).split('/')[0]);
      if (path === '/proc') ['1', 'cpuinfo', 'meminfo', 'self', 'version'].forEach((n) => names.add(n));
      if (path === '/dev') 'core fd full mqueue null ptmx pts random shm stderr stdin stdout termination-log tty urandom zero'.split(' ').forEach((n) => names.add(n));
      if (path === '/sys') 'block bus class dev devices firmware fs kernel module power'.split(' ').forEach((n) => names.add(n));
      if (path === '/etc') ['hostname', 'hosts', 'resolv.conf'].forEach((n) => names.add(n));
      const st = this.store(this.layer.store!);
      const rel = path.slice(1);
      for (const k of [...Object.keys(st?.f ?? {}), ...(st?.d ?? []), ...Object.keys(st?.l ?? {})]) {
        const r = rel ? (k.startsWith(rel + '/') ? k.slice(rel.length + 1) : undefined) : k;
        if (r) names.add(r.split('/')[0]);
      }
    }
    for (const [p, v] of this.sess?.files ?? []) {
      const dir = p.slice(0, p.lastIndexOf('/')) || '/';
      const name = p.slice(p.lastIndexOf('/') + 1);
      if (dir === path) {
        if (v === null) names.delete(name);
        else names.add(name);
      }
    }
    for (const d of this.sess?.dirs ?? []) {
      const dir = d.slice(0, d.lastIndexOf('/')) || '/';
      if (dir === path) names.add(d.slice(d.lastIndexOf('/') + 1));
    }
    return [...names].sort();
  }

  /** `ls -l`'s view of a path (symlinks not followed): the atomic writer's links, volume modes. */
  lstat(path: string): Stat | undefined {
    path = this.resolve(path, false);
    const link = this.linkAt(path);
    let st: Stat | undefined = link !== undefined ? { type: 'l', mode: 0o777, size: Buffer.byteLength(link), link } : this.lstatOf(path);
    if (!st) return st;
    const kept = st.type !== 'l' ? this.keptMode(path) : undefined;
    if (kept !== undefined) st = { ...st, mode: kept };
    const m = this.storeAt(path);
    const own = this.sess?.files.get(path) !== undefined || this.sess?.dirs.has(path) ? this.newOwner(path) : m?.mount.store && m.rest !== '' ? (this.store(m.mount.store)?.o?.[joinRel(m.mount.store.base, m.rest)] ?? [0, m.mount.fsGroup ?? 0]) : [0, this.mountAt(path)?.mount.fsGroup ?? 0];
    return { ...st, uid: own[0], gid: own[1] };
  }

  private lstatOf(path: string): Stat | undefined {
    const m = this.mountAt(path);
    if (m && this.sess?.files.get(path) === undefined) {
      const mt = m.mount;
      if (m.rest === '') return mt.file ? { type: 'f', mode: mt.file.mode, size: Buffer.byteLength(mt.file.data, 'latin1') } : { type: 'd', mode: mt.rootMode, size: 4096 };
      if (mt.api?.dir) {
        const [first, ...more] = m.rest.split('/');
        if (first === '..data' && !more.length) return { type: 'l', mode: 0o777, size: mt.api.dir.length, link: mt.api.dir };
        if (!first.startsWith('..') && !more.length && this.inMount(mt, m.rest).file !== undefined) return { type: 'l', mode: 0o777, size: `..data/${first}`.length, link: `..data/${first}` };
        if (!first.startsWith('..') && !more.length && this.inMount(mt, m.rest).dir) return { type: 'l', mode: 0o777, size: `..data/${first}`.length, link: `..data/${first}` };
      }
      const at = this.inMount(mt, m.rest);
      if (at.file) return { type: 'f', mode: at.file.mode, size: Buffer.byteLength(at.file.data) };
      if (at.dir) return { type: 'd', mode: mt.fsGroup !== undefined ? 0o2755 : 0o755, size: 4096 };
    }
    if (this.isDir(path)) return { type: 'd', mode: 0o755, size: 4096 };
    const text = this.read(path);
    return text === undefined ? undefined : { type: 'f', mode: 0o644, size: Buffer.byteLength(text) };
  }

  /** A file's permission bits with links followed (a volume's mode; 0644 elsewhere), undefined when it is none. */
  fileMode(path: string): number | undefined {
    path = this.resolve(path);
    const kept = this.keptMode(path);
    if (kept !== undefined) return this.read(path) === undefined ? undefined : kept;
    const m = this.mountAt(path);
    if (m) return this.inMount(m.mount, m.rest).file?.mode;
    return this.read(path) === undefined ? undefined : 0o644;
  }

  /** Whether a path is in one of the pod's volumes (not the image's own). */
  fromVolume(path: string): boolean {
    return !!this.mountAt(path);
  }

  /** The container's user and groups (secctx.ts). */
  identity(): Identity {
    return (this.who ??= identity(this.pod, this.c, this.read('/etc/passwd'), this.read('/etc/group')));
  }

  /** Names for an owner and group as ls and stat show them: the image's passwd and group names, else the numbers. */
  ownerNames(st: Stat): [string, string] {
    const uid = st.uid ?? 0;
    const gid = st.gid ?? 0;
    return [parsePasswd(this.read('/etc/passwd')).find((u) => u.uid === uid)?.name ?? String(uid), parseGroup(this.read('/etc/group')).find((g) => g.gid === gid)?.name ?? String(gid)];
  }

  /** Who owns what the container's user creates: the user, and its group or the volume's fsGroup (setgid). */
  private newOwner(path: string): [number, number] {
    const id = this.identity();
    const g = this.mountAt(path)?.mount.fsGroup;
    return [id.uid, g ?? id.gid];
  }

  /**
   * Why writing a path fails: a read-only mount, the read-only root file system
   * (readOnlyRootFilesystem: the kubelet's own bind mounts and /dev, /proc, /sys stay writable), or
   * a non-root user outside the world-writable directories and the volumes (Permission denied).
   */
  writeError(path: string, follow = true): string | undefined {
    path = this.resolve(path, follow);
    const m = this.mountAt(path);
    if (m) return m.mount.readOnly ? 'Read-only file system' : undefined;
    if (/^\/(dev|proc|sys)(\/|$)/.test(path) && path !== '/dev') return undefined;
    const kubelet = this.kubelet[path] !== undefined && !path.startsWith('/var/run/secrets/');
    if (this.sc.readOnlyRootFilesystem && !kubelet) return 'Read-only file system';
    if (this.identity().uid === 0 || this.userWritable(path)) return undefined;
    return 'Permission denied';
  }

  /** Why reading fails: root's own files (/etc/shadow 0640, /root 0700) are closed to other users. */
  readError(path: string): string | undefined {
    path = this.resolve(path);
    if (this.identity().uid === 0 || this.mountAt(path)) return undefined;
    return ['/etc/shadow', '/etc/gshadow', '/root'].some((p) => path === p || path.startsWith(p + '/')) ? 'Permission denied' : undefined;
  }

  /** Where a non-root user may write on the image's file system: /tmp, /var/tmp and what nginx-unprivileged gives its user. */
  private userWritable(path: string): boolean {
    const own = imageRepo(this.c.image).split('/').pop() === 'nginx-unprivileged' ? ['/var/cache/nginx/', '/etc/nginx/'] : [];
    return ['/tmp/', '/var/tmp/', ...own].some((d) => path.startsWith(d));
  }

  /** /proc/PID/status: the process's identity and its capability sets (secctx.ts). */
  private procStatus(pid: number): string {
    const id = this.identity();
    const u = `${id.uid}\t${id.uid}\t${id.uid}\t${id.uid}`;
    const g = `${id.gid}\t${id.gid}\t${id.gid}\t${id.gid}`;
    const name = pid === 1 ? (mainCommand(this.c)[0].split('/').pop() as string).slice(0, 15) : 'cat';
    return `Name:\t${name}\nUmask:\t0022\nState:\tR (running)\nTgid:\t${pid}\nNgid:\t0\nPid:\t${pid}\nPPid:\t${pid === 1 ? 0 : (this.sess?.pid ?? 0)}\nTracerPid:\t0\nUid:\t${u}\nGid:\t${g}\nFDSize:\t64\nGroups:\t${id.groups.join(' ')} \n` + procStatusSecurity(this.pod, this.c, id.uid);
  }

  write(path: string, text: string, append: boolean): boolean {
    path = this.resolve(path);
    const dir = path.slice(0, path.lastIndexOf('/')) || '/';
    if (this.writeError(path)) return false;
    const m = this.storeAt(path);
    if (m?.mount.store && this.persist && m.rest !== '') {
      if (!this.isDir(dir)) return false;
      const old = append ? (this.read(path) ?? '') : '';
      const key = joinRel(m.mount.store.base, m.rest);
      const st = this.store(m.mount.store, true)!;
      if (st.f[key] === undefined) this.own(st, key, path);
      st.f[key] = old + text;
      if (st.b) delete st.b[key];
      this.sess?.files.delete(path);
      return true;
    }
    if (!this.isDir(dir) || !this.sess) return !!this.sess ? false : true;
    const old = append ? (this.read(path) ?? '') : '';
    this.sess.files.set(path, old + text);
    return true;
  }

  /** A file's bytes: UTF-8 text, or the bytes kubectl cp brought in as they were. */
  bytes(path: string): Buffer | undefined {
    path = this.resolve(path);
    const text = this.read(path);
    if (text === undefined) return undefined;
    const m = this.sess?.files.get(path) === undefined ? this.storeAt(path) : undefined;
    const binary = m?.mount.store && !!this.store(m.mount.store)?.b?.[joinRel(m.mount.store.base, m.rest)];
    return Buffer.from(text, binary ? 'latin1' : 'utf8');
  }

  /** Writes bytes (tar -x): valid UTF-8 is kept as text the shell reads, anything else as bytes. */
  writeBytes(path: string, data: Buffer, owner?: [number, number]): boolean {
    path = this.resolve(path);
    const text = data.toString('utf8');
    const binary = !Buffer.from(text, 'utf8').equals(data);
    if (!this.write(path, binary ? data.toString('latin1') : text, false)) return false;
    const m = this.storeAt(path);
    if (!m?.mount.store || !this.persist) return true;
    const st = this.store(m.mount.store, true)!;
    const key = joinRel(m.mount.store.base, m.rest);
    if (binary) (st.b ??= {})[key] = 1;
    if (owner) this.own(st, key, path, owner);
    return true;
  }

  /** mkdir in a writable volume or the writable layer: kept with it; false when it is kept by neither. */
  mkdir(path: string): boolean {
    path = this.resolve(path);
    const m = this.storeAt(path);
    if (!m?.mount.store || !this.persist || m.rest === '') return false;
    const st = this.store(m.mount.store, true)!;
    const key = joinRel(m.mount.store.base, m.rest);
    if (!st.d.includes(key)) {
      st.d.push(key);
      this.own(st, key, path);
    }
    return true;
  }

  /** Keeps who made a volume's file or directory (or tar says owns it), when it is not root with the volume's group. */
  private own(st: VolumeStore, key: string, path: string, o = this.newOwner(path)): void {
    if (o[0] !== 0 || o[1] !== (this.mountAt(path)?.mount.fsGroup ?? 0)) (st.o ??= {})[key] = o;
    else if (st.o) delete st.o[key];
  }

  /** rm in a writable volume (a file, or a directory and what is in it); false when the path is not in one. */
  remove(path: string): boolean {
    path = this.resolve(path, false);
    const m = this.storeAt(path);
    if (!m?.mount.store || !this.persist || m.rest === '') return false;
    const st = this.store(m.mount.store, true)!;
    const key = joinRel(m.mount.store.base, m.rest);
    delete st.f[key];
    for (const k of Object.keys(st.f)) if (k.startsWith(key + '/')) delete st.f[k];
    st.d = st.d.filter((d) => d !== key && !d.startsWith(key + '/'));
    for (const t of [st.o, st.b, st.m, st.l]) if (t) for (const k of Object.keys(t)) if (k === key || k.startsWith(key + '/')) delete t[k];
    // the image's own file under the layer's: the session hides it (the caller's whiteout)
    return m.mount !== this.layer || (this.read(path) === undefined && !this.isDir(path));
  }
}

/** An object of a kind the store may not keep (ConfigMaps and Secrets are not simulated yet): undefined then. */
function stored(state: State, kind: string, ns: string | undefined, name: string): KObject | undefined {
  try {
    return state.get(kind, ns, name);
  } catch {
    return undefined;
  }
}

/** The service-account files the kubelet projects into every pod that mounts its token. */
export function serviceAccountFiles(state: State, pod: KObject): Record<string, string> {
  if (pod.spec?.automountServiceAccountToken === false) return {};
  const ns = pod.metadata.namespace as string;
  const dir = '/var/run/secrets/kubernetes.io/serviceaccount';
  const ca = stored(state, 'ConfigMap', ns, 'kube-root-ca.crt')?.data?.['ca.crt'] ?? pemCertificate(state.config.name);
  return { [`${dir}/ca.crt`]: ca, [`${dir}/namespace`]: ns, [`${dir}/token`]: serviceAccountToken(state, pod, state.config.createdAt) };
}

/**
 * The bound token the kubelet requests for the pod (expirationSeconds 3607, which the apiserver
 * extends to a year: --service-account-extend-token-expiration), for the pod's ServiceAccount.
 */
function serviceAccountToken(state: State, pod: KObject, createdAt: string): string {
  const sa = pod.spec?.serviceAccountName ?? 'default';
  const ns = pod.metadata.namespace as string;
  // the kubelet's token manager asks again once the token is 24 hours old (pkg/kubelet/token
  // requiresRefresh): the file holds the latest one, so a pod's token never expires while it runs
  const created = Math.floor(Date.parse(pod.metadata.creationTimestamp ?? createdAt) / 1000) || 0;
  const age = Math.max(0, Math.floor(nowMs() / 1000) - created);
  const iat = created + age - (age % 86400);
  const nodeName = pod.spec?.nodeName as string | undefined;
  const uidOf = (kind: string, namespace: string | undefined, name: string | undefined) => (name ? ((stored(state, kind, namespace as string, name)?.metadata.uid as string | undefined) ?? '') : '');
  return serviceAccountJWT(createdAt, {
    namespace: ns,
    node: { name: nodeName ?? '', uid: uidOf('Node', undefined, nodeName) },
    pod: { name: pod.metadata.name, uid: pod.metadata.uid as string },
    serviceAccount: { name: sa, uid: uidOf('ServiceAccount', ns, sa) },
    iat,
    exp: iat + 31536000,
    warnafter: iat + 3607,
    seed: `pod/${pod.metadata.uid}`,
  });
}


// ---------------------------------------------------------------- processes and interfaces

interface Proc {
  pid: number;
  user: string;
  cmd: string;
}

/** The container's processes: its command as PID 1 (nginx's master and workers), the exec'd shell, this ps. */
export function containerProcs(c: Container, pod: KObject, sess: Session | undefined, cpus: number, psPid: number): Proc[] {
  const user = runAsName(c, pod);
  const main = mainCommand(c);
  const procs: Proc[] = [];
  if (imageRepo(c.image).split('/').pop() === 'nginx' && main[0] === 'nginx') {
    procs.push({ pid: 1, user, cmd: `nginx: master process ${main.join(' ')}` });
    for (let i = 0; i < Math.max(1, cpus); i++) procs.push({ pid: 29 + i, user: 'nginx', cmd: 'nginx: worker process' });
  } else procs.push({ pid: 1, user, cmd: main.join(' ') });
  if (sess?.interactive || sess?.resident) procs.push({ pid: sess.pid, user, cmd: sess.arg0 });
  procs.push({ pid: psPid, user, cmd: 'ps' });
  return procs;
}

/** ps's USER: the name /etc/passwd gives the container's user, else its number. */
function runAsName(c: Container, pod: KObject): string {
  const id = identity(pod, c, passwdOf(c.image), undefined);
  return id.user ?? String(id.uid);
}

/** The container user's name (undefined without a passwd entry) and home: runc sets HOME to it, the prompt shows them. */
export function userOf(pod: KObject, c: Container): { user?: string; uid: number; home: string } {
  return identity(pod, c, passwdOf(c.image), undefined);
}

/** The image's /etc/passwd: its base's users and the ones the image adds (nginx, curl_user). */
function passwdOf(image: string): string | undefined {
  const info = imageInfo(image);
  const last = imageRepo(image).split('/').pop() as string;
  if (info.family === 'busybox' || info.family === 'alpine') return BUSYBOX_PASSWD + imagePasswdExtra(image);
  if (info.family === 'distroless') return undefined;
  return DEBIAN_PASSWD + (last === 'nginx' || last === 'nginx-unprivileged' ? 'nginx:x:101:101:nginx user:/nonexistent:/bin/false\n' : '');
}

/** busybox ps: PID, USER, TIME, COMMAND (busybox procps/ps.c, the default -o pid,user,time,args). */
export function busyboxPs(procs: Proc[]): string {
  return 'PID   USER     TIME  COMMAND\n' + procs.map((p) => `${String(p.pid).padStart(5)} ${p.user.padEnd(8).slice(0, 8)}  0:00 ${p.cmd}\n`).join('');
}

/** The pod's eth0: a veth whose MAC the bridge CNI plugin derives from the address (0a:58 + the IPv4 bytes). */
export function podInterface(pod: KObject, nodePodCIDR: string): { ip: string; prefix: number; mac: string; brd: string; ifindex: number; ll: string } {
  const ip = pod.status?.podIP ?? '0.0.0.0';
  const prefix = Number(nodePodCIDR.split('/')[1] ?? 24) || 24;
  const bytes: number[] = ip.split('.').map(Number);
  const mac = ['0a', '58', ...bytes.map((b) => b.toString(16).padStart(2, '0'))].join(':');
  const base = parseCidr(`${ip}/${prefix}`).base;
  const brd = intToIp((base | (2 ** (32 - prefix) - 1)) >>> 0);
  // the host side's index: a small number, stable per pod
  const ifindex = 4 + (ipToInt(ip) & 0xff);
  // the IPv6 link-local address: EUI-64 from the MAC, universal/local bit flipped
  const m = mac.split(':').map((h) => parseInt(h, 16));
  const eui = [m[0] ^ 2, m[1], m[2], 0xff, 0xfe, m[3], m[4], m[5]];
  const groups = [0, 2, 4, 6].map((i) => ((eui[i] << 8) | eui[i + 1]).toString(16));
  return { ip, prefix, mac, brd, ifindex, ll: `fe80::${groups.join(':')}` };
}

/** busybox `ip addr` (networking/libiproute/ipaddress.c): lo and eth0@ifN. */
export function busyboxIpAddr(i: ReturnType<typeof podInterface>): string {
  return (
    '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue qlen 1000\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n    inet 127.0.0.1/8 scope host lo\n       valid_lft forever preferred_lft forever\n    inet6 ::1/128 scope host \n       valid_lft forever preferred_lft forever\n' +
    `2: eth0@if${i.ifindex}: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1500 qdisc noqueue \n    link/ether ${i.mac} brd ff:ff:ff:ff:ff:ff\n    inet ${i.ip}/${i.prefix} brd ${i.brd} scope global eth0\n       valid_lft forever preferred_lft forever\n    inet6 ${i.ll}/64 scope link \n       valid_lft forever preferred_lft forever\n`
  );
}

/** busybox `ip route`. */
export function busyboxIpRoute(i: ReturnType<typeof podInterface>, gateway: string, cidr: string): string {
  return `default via ${gateway} dev eth0 \n${cidr} dev eth0 scope link  src ${i.ip} \n`;
}

/** busybox `ifconfig` (networking/interface.c): eth0 then lo. */
export function busyboxIfconfig(i: ReturnType<typeof podInterface>): string {
  const mask = intToIp((0xffffffff << (32 - i.prefix)) >>> 0);
  return (
    `eth0      Link encap:Ethernet  HWaddr ${i.mac.toUpperCase()}  \n          inet addr:${i.ip}  Bcast:${i.brd}  Mask:${mask}\n          inet6 addr: ${i.ll}/64 Scope:Link\n          UP BROADCAST RUNNING MULTICAST  MTU:1500  Metric:1\n          RX packets:0 errors:0 dropped:0 overruns:0 frame:0\n          TX packets:0 errors:0 dropped:0 overruns:0 carrier:0\n          collisions:0 txqueuelen:0 \n          RX bytes:0 (0.0 B)  TX bytes:0 (0.0 B)\n\n` +
    'lo        Link encap:Local Loopback  \n          inet addr:127.0.0.1  Mask:255.0.0.0\n          inet6 addr: ::1/128 Scope:Host\n          UP LOOPBACK RUNNING  MTU:65536  Metric:1\n          RX packets:0 errors:0 dropped:0 overruns:0 frame:0\n          TX packets:0 errors:0 dropped:0 overruns:0 carrier:0\n          collisions:0 txqueuelen:1000 \n          RX bytes:0 (0.0 B)  TX bytes:0 (0.0 B)\n\n'
  );
}

/**
 * `id` for the container's user (ContainerFs.identity): busybox prints the kernel's sorted groups
 * (libbb/id.c), coreutils the primary group first, then the others (mgetgroups).
 */
export function idLine(info: ImageInfo, fs: ContainerFs): string {
  const id = fs.identity();
  const [user, group] = fs.ownerNames({ type: 'f', mode: 0, size: 0, uid: id.uid, gid: id.gid });
  const named = (n: number, name: string) => (name === String(n) ? name : `${n}(${name})`);
  const gname = (g: number) => named(g, fs.ownerNames({ type: 'f', mode: 0, size: 0, uid: 0, gid: g })[1]);
  let groups = id.groups;
  if (info.family === 'debian' || info.family === 'ubuntu') groups = [id.gid, ...groups.filter((g) => g !== id.gid)];
  return `uid=${named(id.uid, user)} gid=${named(id.gid, group)} groups=${groups.map(gname).join(',')}\n`;
}

/** whoami: the user's name, or busybox's and coreutils' complaint when /etc/passwd has none. */
export function whoami(info: ImageInfo, fs: ContainerFs): { out: string; err: string } {
  const id = fs.identity();
  if (id.user) return { out: id.user + '\n', err: '' };
  return { out: '', err: info.family === 'busybox' || info.family === 'alpine' ? `whoami: unknown uid ${id.uid}\n` : `whoami: cannot find name for user ID ${id.uid}\n` };
}

/** The version an nginx image's `nginx -v` reports. */
export function nginxVersion(image: string): string {
  return appFor(image) === 'nginx' ? serverVersion(image, 'nginx') : NGINX_VERSION;
}

export { resolvePath };

// Issue 19, dash-page: the dashboard in a real browser (Debian's Chromium, driven by playwright-core):
// the map of a small cluster, a `kubesim scale` in another process on the page within a second,
// describe in the side panel, a followed NodePort request drawn with the hops of `kubesim curl
// --trace` in the same order, the label filter, and the first paint's time. Screenshots of each
// view go to test-output/dashboard/ for a person to look at. Skipped, with the reason printed, when
// there is no Chromium (.ci/run installs it) or no playwright-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cluster, ROOT } from './helpers.mjs';
import { smallCluster, startDashboard } from './dashboard-helpers.mjs';

const CHROMIUM = '/usr/bin/chromium';
let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch {
  chromium = undefined;
}
const skip = !existsSync(CHROMIUM) ? `no Chromium at ${CHROMIUM} (apt-get install chromium)` : !chromium ? 'playwright-core is not installed (npm install)' : false;
if (skip) console.log(`# dashboard browser tests skipped: ${skip}`);

const SHOTS = join(ROOT, 'test-output', 'dashboard');
let c, d, browser, page, profile;

before(async () => {
  if (skip) return;
  mkdirSync(SHOTS, { recursive: true });
  c = smallCluster(cluster);
  d = await startDashboard(c);
  profile = mkdtempSync(join(tmpdir(), 'kubesim-chromium-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.on('pageerror', (e) => console.log(`# page error: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
});

/** every URL the page asked for: only the dashboard's own (the page works offline) */
const requests = [];

after(async () => {
  await browser?.close();
  await d?.stop();
  c?.cleanup();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/** `kubesim curl --trace` on a copy of the state as it is now: the hops a request takes from there. */
const traceOnCopy = (url) => {
  const copy = `${c.dir}-copy`;
  cpSync(c.dir, copy, { recursive: true });
  try {
    const r = c.run(['curl', '--trace', '-s', url], { env: { KUBESIM_STATE: copy, KUBESIM_SEED: 'dashboard' } });
    return r.stderr.split('\n').filter((l) => l.startsWith('kubesim trace: ')).map((l) => l.slice('kubesim trace: '.length));
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
};

const texts = (sel, attr) => page.$$eval(sel, (els, a) => els.map((e) => (a ? e.getAttribute(a) : e.textContent)), attr);

test('the map: nodes as regions, pods with their STATUS and IP, Services with type, ClusterIP and node ports, endpoint lines', { skip }, async () => {
  await page.goto(`${d.url}?ns=default`);
  await page.waitForSelector('.node .pod');
  assert.deepEqual(await texts('.node', 'data-name'), ['controlplane', 'node01', 'node02']);
  assert.deepEqual(await texts('.node', 'data-ready'), ['true', 'true', 'true']);
  assert.equal((await texts('.pod')).length, 4);
  assert.deepEqual(await texts('.pod .status', 'data-status'), ['Running', 'Running', 'Running', 'Running']);
  assert.deepEqual(await page.$$eval('.pod .status', (els) => els.map((e) => e.className)), ['status ok', 'status ok', 'status ok', 'status ok']);
  const ips = await texts('.pod .ip');
  assert.ok(ips.every((ip) => /^10\.244\.\d+\.\d+$/.test(ip)), ips.join(' '));
  const svcs = await texts('.svc');
  assert.equal(svcs.length, 3);
  const web = svcs.find((s) => s.startsWith('web'));
  const nodePort = c.ok(['get', 'svc', 'web', '-o', 'jsonpath={.spec.ports[0].nodePort}']);
  const clusterIP = c.ok(['get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}']);
  assert.equal(web, `webNodePort ${clusterIP}80:${nodePort}/TCP`);
  assert.equal((await texts('svg.lines path.endpoint')).length, 4); // web → 3 pods, db → 1
  assert.equal((await texts('svg.lines path.endpoint.notready')).length, 0);
  assert.ok((await texts('svg.lines path.owner')).length >= 6); // Deployment → ReplicaSet → Pod
  assert.ok((await texts('#timeline li')).length > 5);
  await page.screenshot({ path: join(SHOTS, 'map.png') });
});

test('first paint under 200 ms (performance timing: the best of up to 10 loads in a warm browser, more while the shared machine is busy)', { skip }, async () => {
  let best = Infinity;
  for (let i = 0; i < 5 || (i < 10 && best >= 200); i++) {
    await page.goto(`${d.url}?ns=default`);
    await page.waitForSelector('.pod');
    const fcp = await page.evaluate(() => performance.getEntriesByType('paint').find((p) => p.name === 'first-contentful-paint')?.startTime);
    const nav = await page.evaluate(() => JSON.stringify(performance.getEntriesByType('navigation')[0], ['requestStart', 'responseStart', 'responseEnd', 'domInteractive', 'domContentLoadedEventEnd']));
    console.log(`# first contentful paint ${fcp.toFixed(0)} ms; navigation ${nav}`);
    best = Math.min(best, fcp);
  }
  console.log(`# first contentful paint: ${best.toFixed(0)} ms`);
  assert.ok(best < 200, `first paint ${best} ms`);
});

test('a kubesim scale in another process appears on the page within a second', { skip }, async () => {
  await page.goto(`${d.url}?ns=default`);
  await page.waitForSelector('.pod');
  await page.waitForTimeout(200); // the event stream is open
  c.ok(['scale', 'deployment', 'web', '--replicas=5']);
  const t0 = Date.now();
  await page.waitForFunction(() => document.querySelectorAll('.pod').length === 6, null, { timeout: 1000 });
  console.log(`# scale on the page after ${Date.now() - t0} ms`);
  await page.screenshot({ path: join(SHOTS, 'scaled.png') });
  // back to 3: two pods terminate (their grace period on the frozen clock), amber
  c.ok(['scale', 'deployment', 'web', '--replicas=3']);
  await page.waitForFunction(() => document.querySelectorAll('.pod .status.wait[data-status="Terminating"]').length === 2, null, { timeout: 1000 });
});

test('click a pod: its describe text, as the CLI prints it, and its events', { skip }, async () => {
  const name = await page.$eval('.pod', (e) => e.dataset.name);
  await page.click(`.pod[data-name="${name}"]`);
  await page.waitForSelector('#describe');
  assert.equal(await page.$eval('#describe', (e) => e.textContent), c.ok(['describe', 'pod', name]));
  assert.deepEqual((await texts('table.events tr td:nth-child(2)')).slice(0, 2), ['Scheduled', 'Pulling']);
  await page.screenshot({ path: join(SHOTS, 'describe.png') });
});

test('follow a request to a NodePort: the hops of curl --trace, in the same order; repeated, the hits per pod', { skip }, async () => {
  const nodePort = c.ok(['get', 'svc', 'web', '-o', 'jsonpath={.spec.ports[0].nodePort}']);
  const dest = `${c.ok(['ip', 'node02'])}`.trim() + `:${nodePort}`;
  const want = traceOnCopy(`http://${dest}/`);
  await page.click('#tab-follow');
  await page.selectOption('select[name=source]', 'outside');
  await page.fill('input[name=destination]', dest);
  await page.fill('input[name=count]', '1');
  await page.click('#follow button');
  await page.waitForSelector('#hops li');
  assert.deepEqual(await texts('#hops li', 'data-text'), want);
  assert.deepEqual((await texts('#hops li', 'data-kind')).filter((k, i, a) => a[i - 1] !== k), ['enter', 'rule', 'dnat', ...(want.some((l) => l.trimStart().startsWith('routed')) ? ['route'] : []), 'deliver']);
  assert.equal(await page.$$eval('.node.on-path, .nodehead.on-path', (e) => e.length) > 0, true);
  assert.equal((await texts('.pod.reached')).length, 1);
  await page.screenshot({ path: join(SHOTS, 'follow.png') });
  await page.fill('input[name=count]', '9');
  await page.click('#follow button');
  await page.waitForSelector('#hits li');
  const hits = (await texts('.hitcount', 'data-hits')).map(Number);
  assert.equal(hits.reduce((a, b) => a + b, 0), 9);
  await page.screenshot({ path: join(SHOTS, 'follow-hits.png') });
});

test('the page fetches nothing but the dashboard (it works offline)', { skip }, async () => {
  assert.ok(requests.length > 5);
  assert.deepEqual(requests.filter((u) => !u.startsWith(d.url)), []);
});

test('filters: a label selector narrows the map', { skip }, async () => {
  await page.fill('#label', 'app=db');
  await page.press('#label', 'Enter');
  await page.waitForFunction(() => document.querySelectorAll('.pod').length === 1, null, { timeout: 2000 });
  assert.deepEqual((await texts('.svc', 'data-name')), ['db']);
  await page.selectOption('#ns', '');
  await page.waitForFunction(() => /[?&]ns=(&|$)/.test(location.search), null, { timeout: 2000 });
  assert.deepEqual(await texts('.svc', 'data-name'), ['db']); // the label still applies
  await page.fill('#label', '');
  await page.press('#label', 'Enter');
  await page.waitForFunction(() => [...document.querySelectorAll('.pod')].some((p) => p.dataset.ns === 'kube-system'), null, { timeout: 2000 });
  await page.screenshot({ path: join(SHOTS, 'filtered.png') });
});

test('a cordoned node and a stopped one: their regions say so, live', { skip }, async () => {
  await page.goto(`${d.url}?ns=default`);
  await page.waitForSelector('.pod');
  await page.waitForTimeout(200); // the event stream is open
  c.ok(['cordon', 'node01']);
  c.ok(['node', 'stop', 'node02']);
  await page.waitForFunction(() => document.querySelector('.node[data-name="node02"]')?.classList.contains('notready') && document.querySelector('.node[data-name="node01"]')?.classList.contains('cordoned'), null, { timeout: 2000 });
  assert.deepEqual(await page.$$eval('.node[data-name]:not([data-name=""])', (els) => els.map((e) => e.className)), ['node ready', 'node ready cordoned', 'node notready']);
  assert.match(await page.$eval('.node[data-name="node02"] .nodehead .status', (e) => e.textContent), /^NotReady/);
  await page.screenshot({ path: join(SHOTS, 'nodes.png') });
});

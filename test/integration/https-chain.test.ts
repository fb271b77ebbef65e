import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

/**
 * The real chain of a deployment, on this machine: Debian's caddy, with deploy/Caddyfile and its own
 * certificate authority (tls internal) on a local port, in front of `src/server.ts` started as the
 * systemd unit starts it (NODE_ENV=production, HOST=127.0.0.1, TRUST_PROXY=1, an https BASE_URL).
 * Clients connect from distinct loopback addresses (127.0.0.2, 127.0.0.3…), so Caddy sees, and
 * passes on, distinct client addresses.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const CADDY = spawnSync('sh', ['-c', 'command -v caddy'], { encoding: 'utf8' }).stdout.trim();
const skip = CADDY ? false : 'caddy is not installed (Debian package caddy; test/run.sh installs it): the HTTPS chain is not tested';
/** Few, so that the limit is reached in a few requests; the smallest the configuration accepts. */
const RATE_LIMIT_PER_MINUTE = 10;
const STRONG_PASSWORD = 'Tramway-Abricot-Velours-Grenouille-1987';

interface Running {
  child: ChildProcess;
  exited: Promise<void>;
  output: () => string;
}

function start(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Running {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (output += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (output += c));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, exited, output: () => output };
}

async function stop(running: Running | undefined): Promise<void> {
  if (!running || running.child.exitCode !== null || running.child.signalCode !== null) return;
  running.child.kill('SIGTERM');
  await running.exited;
}

/** Polls a state (never a fixed sleep): resolves once `ready` holds, fails if a process dies meanwhile. */
async function waitUntil(what: string, ready: () => boolean | Promise<boolean>, watched: Running[], timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await ready()) return;
    for (const r of watched) if (r.child.exitCode !== null) throw new Error(`${what}: a process exited early:\n${r.output()}`);
    if (Date.now() > deadline) throw new Error(`${what}: not ready after ${timeoutMs} ms:\n${watched.map((r) => r.output()).join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let work: string;
let httpsPort: number;
let rootCertificate: Buffer;
let vigie: Running | undefined;
let caddy: Running | undefined;
let setupLink: string;

/** One request through Caddy, on a new connection from the given loopback address. */
function fetchThroughProxy(pathname: string, options: { from: string; method?: string; headers?: Record<string, string>; body?: string }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: httpsPort,
        servername: 'localhost',
        ca: rootCertificate,
        localAddress: options.from,
        agent: false,
        method: options.method ?? 'GET',
        path: pathname,
        headers: { host: `localhost:${httpsPort}`, ...options.headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const cookiesOf = (answer: Answer) => ([answer.headers['set-cookie'] ?? []].flat() as string[]);

before(async () => {
  if (skip) return;
  work = mkdtempSync(path.join(tmpdir(), 'vigie-https-'));
  const [vigiePort, port, httpPort] = [await freePort(), await freePort(), await freePort()];
  httpsPort = port;

  // deploy/Caddyfile itself, only pointed at this machine: a local name with Caddy's own authority
  // instead of a public name with Let's Encrypt, and free ports.
  const shipped = readFileSync(path.join(ROOT, 'deploy/Caddyfile'), 'utf8');
  assert.ok(shipped.includes('vigie.exemple.fr {') && shipped.includes('reverse_proxy 127.0.0.1:3000'));
  const storage = path.join(work, 'caddy');
  const caddyfile = [
    `{\n\tadmin off\n\thttp_port ${httpPort}\n\thttps_port ${httpsPort}\n\tlocal_certs\n\tskip_install_trust\n\tstorage file_system ${storage}\n}`,
    shipped
      .replace('vigie.exemple.fr {', `localhost:${httpsPort} {\n\tbind 127.0.0.1\n\ttls internal`)
      .replace('reverse_proxy 127.0.0.1:3000', `reverse_proxy 127.0.0.1:${vigiePort}`),
  ].join('\n');
  writeFileSync(path.join(work, 'Caddyfile'), caddyfile);
  mkdirSync(path.join(work, 'home'));

  vigie = start(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATA_DIR: path.join(work, 'data'),
      HOST: '127.0.0.1',
      PORT: String(vigiePort),
      BASE_URL: `https://localhost:${httpsPort}`,
      TRUST_PROXY: '1',
      RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT_PER_MINUTE),
      LOG_LEVEL: 'warn',
      SMTP_HOST: '',
      BACKUP_RECIPIENT: '',
    },
  });
  const home = path.join(work, 'home');
  caddy = start(CADDY, ['run', '--config', path.join(work, 'Caddyfile'), '--adapter', 'caddyfile'], {
    cwd: work,
    env: { PATH: process.env.PATH, HOME: home, XDG_DATA_HOME: home, XDG_CONFIG_HOME: home },
  });
  await waitUntil('vigie', () => /\/installation\/\S+/.test(vigie!.output()), [vigie, caddy]);
  setupLink = /^\s*(\S+\/installation\/\S+)\s*$/m.exec(vigie.output())![1]!;
  const rootFile = path.join(storage, 'pki/authorities/local/root.crt');
  await waitUntil(
    'caddy',
    async () => {
      if (!existsSync(rootFile)) return false;
      rootCertificate = readFileSync(rootFile);
      return fetchThroughProxy('/healthz', { from: '127.0.0.1' }).then(
        (answer) => answer.status === 200,
        () => false,
      );
    },
    [vigie, caddy],
  );
});

after(async () => {
  await Promise.all([stop(caddy), stop(vigie)]);
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('behind Caddy over HTTPS', { skip }, () => {
  it('prints the one-time set-up link with the public https address', () => {
    assert.match(setupLink, new RegExp(`^https://localhost:${httpsPort}/installation/[\\w-]+$`));
  });

  it('sends HSTS, and cookies marked Secure and HttpOnly, through the proxy, up to the first administrator signed in', async () => {
    const pathname = new URL(setupLink).pathname;
    const page = await fetchThroughProxy(pathname, { from: '127.0.0.4' });
    assert.equal(page.status, 200, page.body);
    assert.match(String(page.headers['strict-transport-security']), /max-age=\d{7,}/);
    const formCookie = cookiesOf(page).find((c) => c.startsWith('vigie.sid='));
    assert.ok(formCookie, 'the form sets its session cookie');
    assert.match(formCookie, /; Secure/);
    assert.match(formCookie, /; HttpOnly/);

    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
    assert.ok(token);
    const form = new URLSearchParams({ _csrf: token, email: 'admin@exemple.fr', name: 'Admin', password: STRONG_PASSWORD, passwordConfirm: STRONG_PASSWORD });
    const created = await fetchThroughProxy(pathname, {
      from: '127.0.0.4',
      method: 'POST',
      headers: {
        cookie: formCookie.split(';')[0]!,
        origin: `https://localhost:${httpsPort}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: form.toString(),
    });
    assert.equal(created.status, 303, created.body);
    const signedIn = cookiesOf(created).find((c) => c.startsWith('vigie.sid='));
    assert.ok(signedIn, 'signing in gives a new session cookie');
    assert.match(signedIn, /; Secure/);
    assert.match(String(created.headers['strict-transport-security']), /max-age=\d{7,}/);
  });

  it('limits requests per client, as seen by the proxy, not per proxy: a forged X-Forwarded-For changes nothing', async () => {
    const first = '127.0.0.2';
    for (let i = 0; i < RATE_LIMIT_PER_MINUTE; i++) {
      assert.equal((await fetchThroughProxy('/connexion', { from: first })).status, 200, `request ${i + 1} of ${first}`);
    }
    assert.equal((await fetchThroughProxy('/connexion', { from: first })).status, 429, 'the limit is reached for this client');
    const forged = await fetchThroughProxy('/connexion', { from: first, headers: { 'x-forwarded-for': '198.51.100.7' } });
    assert.equal(forged.status, 429, 'Caddy replaces a client’s own X-Forwarded-For: it cannot pretend to be someone else');
    assert.equal((await fetchThroughProxy('/connexion', { from: '127.0.0.3' })).status, 200, 'another client has its own limit');
  });
});

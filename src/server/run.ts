// POST /kubesim/v1/run: a kubesim CLI command run inside `kubesim serve` for another kubesim process
// on the same state directory (issue 18: one state, two doors). Not part of the Kubernetes API: only
// a loopback client that presents the serve kubeconfig's token. The command itself is run by the
// `runner` the serve verb passes in (cli/serverun.ts; the server never loads the CLI): synchronously,
// so commands run one at a time, between the server's other requests. The answer is a stream of
// frames: [fd: 1 stdout, 2 stderr, 0 the exit code (int32)] [length: uint32 BE] [bytes].
import { StatusError } from '../api/errors';
import { asCommand } from '../apiserver/requester';
import { sendJSON, type RequestContext } from './context';

export interface RunRequest {
  /** the command line, without node and the script */
  argv: string[];
  /** the client's script path (process.argv[1]: --record's change-cause names it) */
  script?: string;
  cwd: string;
  /** the client's values of the variables a command reads (cli/remote.ts FORWARDED_ENV) */
  env: Record<string, string>;
  /** standard input, base64, when the command reads it (`-f -`) */
  stdin?: string;
  tty: { stdout: boolean; stderr: boolean };
}

export interface Runner {
  /** the bearer token of the kubeconfig serve wrote */
  token: string;
  /** runs one command, its output to emit as it comes; returns its exit code */
  run(req: RunRequest, emit: (fd: 1 | 2, text: string) => void): number;
  /** commands run so far (GET answers it: tests prove a command went through the server) */
  count: number;
}

export function frameHead(fd: 0 | 1 | 2, length: number): Buffer {
  const head = Buffer.alloc(5);
  head[0] = fd;
  head.writeUInt32BE(length, 1);
  return head;
}

const isLoopback = (a: string | undefined) => !!a && (a === '::1' || /^(::ffff:)?127\./.test(a));

export async function handle(ctx: RequestContext): Promise<void> {
  const runner = ctx.runner;
  if (!runner) throw new StatusError('NotFound', 'the server could not find the requested resource');
  if (!isLoopback(ctx.req.socket.remoteAddress)) throw new StatusError('Forbidden', 'kubesim commands are run for loopback clients only');
  if (!runner.token || ctx.req.headers.authorization !== `Bearer ${runner.token}`) throw new StatusError('Unauthorized', 'Unauthorized');
  if (ctx.req.method === 'GET') return sendJSON(ctx, 200, { commands: runner.count });
  if (ctx.req.method !== 'POST') throw new StatusError('MethodNotAllowed', 'the server does not allow this method on the requested resource');
  let req: RunRequest;
  try {
    req = JSON.parse((await ctx.body()).toString('utf8'));
    if (!Array.isArray(req.argv) || typeof req.cwd !== 'string' || typeof req.env !== 'object' || !req.tty) throw new Error('argv, cwd, env and tty are required');
  } catch (e) {
    throw new StatusError('BadRequest', `invalid run request: ${(e as Error).message}`);
  }
  ctx.res.writeHead(200, { 'Content-Type': 'application/vnd.kubesim.run-frames' });
  runner.count++;
  // as the command's own user (its kubeconfig, --as, --token), not as this request's admin token
  const code = asCommand(() =>
    runner.run(req, (fd, text) => {
      const payload = Buffer.from(text);
      ctx.res.write(frameHead(fd, payload.length));
      ctx.res.write(payload);
    }),
  );
  const exit = Buffer.alloc(4);
  exit.writeInt32BE(code);
  ctx.res.write(frameHead(0, 4));
  ctx.res.end(exit);
}

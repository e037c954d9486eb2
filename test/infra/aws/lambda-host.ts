import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the stand-in answered: the X-Amz-Target (e.g. `AWSEvents.PutEvents`) and the JSON body. */
export interface JsonCall {
  target: string;
  body: Record<string, unknown>;
}

/**
 * EventBridge, SQS and SSM on loopback, speaking their AWS JSON protocols (1.1, 1.0, 1.1): enough for the hub's
 * outcome publisher, queues and secret reads. PutEvents and SendMessage succeed and are recorded; GetParameter
 * answers ParameterNotFound (no Slack secrets: approvals go to the log). Anything else is a 400 the test sees.
 */
export class AwsJsonStandIn {
  readonly calls: JsonCall[] = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const target = String(req.headers['x-amz-target'] ?? '');
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
        this.calls.push({ target, body });
        const [status, answer] = this.answer(target, body);
        const text = JSON.stringify(answer);
        res.writeHead(status, {
          'content-type': 'application/x-amz-json-1.1',
          'x-amzn-requestid': randomUUID(),
          'content-length': Buffer.byteLength(text),
        });
        res.end(text);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Calls of one target, e.g. `AWSEvents.PutEvents`. */
  of(target: string): JsonCall[] {
    return this.calls.filter((c) => c.target === target);
  }

  private answer(target: string, body: Record<string, unknown>): [number, unknown] {
    switch (target) {
      case 'AWSEvents.PutEvents': {
        const entries = (body.Entries as unknown[] | undefined) ?? [];
        return [200, { FailedEntryCount: 0, Entries: entries.map(() => ({ EventId: randomUUID() })) }];
      }
      case 'AmazonSQS.SendMessage':
        return [200, { MessageId: randomUUID(), MD5OfMessageBody: '' }];
      case 'AmazonSQS.SendMessageBatch':
        return [
          200,
          {
            Successful: ((body.Entries as { Id: string }[] | undefined) ?? []).map((e) => ({
              Id: e.Id,
              MessageId: randomUUID(),
              MD5OfMessageBody: '',
            })),
            Failed: [],
          },
        ];
      case 'AmazonSSM.GetParameter':
        return [400, { __type: 'ParameterNotFound', message: `Parameter ${String(body.Name)} not found.` }];
      default:
        return [
          400,
          { __type: 'UnknownOperationException', message: `the stand-in does not answer ${target || 'this request'}` },
        ];
    }
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server!.close(resolve));
  }
}

/** What one invocation in a fresh process returned (`result`) or threw (`error`), plus everything it printed. */
export interface Invocation {
  exitCode: number | null;
  result?: unknown;
  error?: { name: string; message: string };
  stdout: string;
  stderr: string;
}

/** The line prefix the child puts before the handler's outcome, apart from the function's own log lines. */
const OUTCOME = '@@handler-outcome ';

/**
 * What the Lambda Node.js runtime does, in a fresh node process: `require` the bundle from its task root,
 * call `handler(event, context)` once with the function's remaining time, and report the result or error.
 * The process exits after that (Lambda would freeze it; open SDK sockets would keep a plain node alive).
 */
const CHILD = `
const { randomUUID } = require('node:crypto');
const [bundle, eventJson, timeoutMs] = process.argv.slice(1);
const started = Date.now();
const name = process.env.AWS_LAMBDA_FUNCTION_NAME;
const context = {
  callbackWaitsForEmptyEventLoop: true, functionName: name, functionVersion: '$LATEST', memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
  invokedFunctionArn: 'arn:aws:lambda:' + process.env.AWS_REGION + ':111111111111:function:' + name, awsRequestId: randomUUID(),
  logGroupName: '/aws/lambda/' + name, logStreamName: 'bundled-function-test',
  getRemainingTimeInMillis: () => Number(timeoutMs) - (Date.now() - started), done() {}, fail() {}, succeed() {},
};
const report = (outcome, code) => process.stdout.write(${JSON.stringify(OUTCOME)} + JSON.stringify(outcome) + '\\n', () => process.exit(code));
Promise.resolve().then(() => require(bundle).handler(JSON.parse(eventJson), context)).then(
  (result) => report({ result }, 0),
  (error) => report({ error: { name: error && error.name, message: String(error && error.message) } }, 1));
`;

/** Runs the bundle once in a child node with exactly `env` (nothing inherited but PATH) and its task root as cwd. */
export function invokeLikeLambda(opts: {
  bundle: string;
  taskRoot: string;
  event: unknown;
  env: Record<string, string>;
  timeoutSeconds: number;
}): Promise<Invocation> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-e', CHILD, opts.bundle, JSON.stringify(opts.event), String(opts.timeoutSeconds * 1000)],
      {
        cwd: opts.taskRoot,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...opts.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
    });
    // Far below the function's own timeout: a hang here is a failure of the test, not a slow run.
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith(OUTCOME));
      const outcome = line ? (JSON.parse(line.slice(OUTCOME.length)) as Pick<Invocation, 'result' | 'error'>) : {};
      resolve({ exitCode, stdout, stderr, ...outcome });
    });
  });
}

/**
 * End-to-end harness: the real n8n (pinned runtime in .n8n/runtime) with this package installed the
 * Community Nodes way into a throw-away user folder, credentials pointing at an in-process
 * simulator (so tests read its request log), and test copies of the templates.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

import {
	buildAndPack,
	ensureRuntime,
	installPackage,
	N8nProcess,
	n8nEnv,
	parseRawOutput,
	REPO_ROOT,
	runN8nCli,
	runN8nCliOrThrow,
	type RuntimePaths,
} from '../../scripts/lib/n8n';
import {
	demoCredentials,
	loadScenario,
	templatesForSimulator,
	type Template,
} from '../../scripts/lib/demo';
import type { LoggedRequest, RunningSimulator } from '../../simulator/types';

// Outside test/ so jest's module map never crawls installed packages and n8n user folders.
export const WORK_ROOT = path.join(REPO_ROOT, '.n8n', 'e2e');
export const SCREENSHOTS_DIR = path.join(REPO_ROOT, 'test', 'e2e', 'screenshots');

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

/** Hash of everything that goes into the package, so test files share one build. */
function sourceHash(): string {
	const hash = createHash('sha256');
	const visit = (entry: string): void => {
		const full = path.join(REPO_ROOT, entry);
		if (!fs.existsSync(full)) return;
		if (fs.statSync(full).isDirectory()) {
			for (const child of fs.readdirSync(full).sort()) visit(path.join(entry, child));
		} else {
			hash.update(entry).update(fs.readFileSync(full));
		}
	};
	for (const entry of [
		'nodes',
		'credentials',
		'icons',
		'package.json',
		'tsconfig.json',
		'index.js',
		'README.md',
	])
		visit(entry);
	return hash.digest('hex').slice(0, 16);
}

/** Builds and packs the package, once per source state (tsc is the slow part). */
export function packageTarball(): string {
	const dir = path.join(WORK_ROOT, `package-${sourceHash()}`);
	const existing = fs.existsSync(dir)
		? fs.readdirSync(dir).find((f) => f.endsWith('.tgz'))
		: undefined;
	if (existing) return path.join(dir, existing);
	for (const old of fs.existsSync(WORK_ROOT) ? fs.readdirSync(WORK_ROOT) : []) {
		if (old.startsWith('package-'))
			fs.rmSync(path.join(WORK_ROOT, old), { recursive: true, force: true });
	}
	const staging = `${dir}.tmp-${process.pid}`;
	const tarball = buildAndPack(staging);
	fs.renameSync(staging, dir);
	return path.join(dir, path.basename(tarball));
}

export interface TestN8n {
	runtime: RuntimePaths;
	userFolder: string;
	port: number;
	env: NodeJS.ProcessEnv;
	cli(args: string[]): ReturnType<typeof runN8nCli>;
	start(command?: 'start' | 'worker', extraEnv?: Record<string, string>): Promise<N8nProcess>;
}

/** A fresh user folder with the package installed; nothing runs yet. */
export async function prepareN8n(
	name: string,
	extraEnv: Record<string, string> = {},
): Promise<TestN8n> {
	const runtime = ensureRuntime();
	// The previous run's folder of the same name is kept until now, for a look after a failure.
	for (const old of fs.existsSync(WORK_ROOT) ? fs.readdirSync(WORK_ROOT) : []) {
		if (old.startsWith(`n8n-${name}-`))
			fs.rmSync(path.join(WORK_ROOT, old), { recursive: true, force: true });
	}
	const userFolder = path.join(WORK_ROOT, `n8n-${name}-${Date.now()}`);
	fs.mkdirSync(userFolder, { recursive: true });
	installPackage(userFolder, packageTarball());
	const port = await freePort();
	const brokerPort = await freePort();
	const env = n8nEnv(runtime, {
		userFolder,
		port,
		brokerPort,
		// A fixed key: CLI calls and the server of one test share the encrypted credentials.
		extra: { N8N_ENCRYPTION_KEY: 'e2e-test-encryption-key', N8N_LOG_LEVEL: 'info', ...extraEnv },
	});
	const processes: N8nProcess[] = [];
	return {
		runtime,
		userFolder,
		port,
		env,
		cli: (args) => runN8nCli(runtime, env, args),
		start: async (command = 'start', more = {}) => {
			const processEnv = { ...env, ...more };
			if (command === 'worker') processEnv.N8N_RUNNERS_BROKER_PORT = String(await freePort());
			const child = new N8nProcess(runtime, processEnv, command, {
				logFile: path.join(userFolder, `n8n-${command}-${processes.length}.log`),
			});
			processes.push(child);
			return child;
		},
	};
}

/** Imports the demo credentials (pointing at `simulator`) through n8n's CLI. */
export async function importCredentials(n8n: TestN8n, simulator: RunningSimulator): Promise<void> {
	const file = path.join(n8n.userFolder, 'credentials.json');
	fs.writeFileSync(file, JSON.stringify(demoCredentials(simulator, loadScenario('demo')), null, 2));
	await runN8nCliOrThrow(n8n.runtime, n8n.env, ['import:credentials', `--input=${file}`]);
}

export interface TestCopyOptions {
	/** Seconds every Wait node waits in the test copy (the loop itself stays). */
	waitSeconds?: number;
	/** Replace the trigger of scheduled templates with this node type (default Manual Trigger). */
	triggerType?: string;
	triggerParameters?: Record<string, unknown>;
	triggerTypeVersion?: number;
}

/**
 * The copy of a template the tests run: media URLs on the simulator, the Schedule Trigger swapped
 * for a Manual Trigger (n8n's CLI only starts at one), Wait nodes shortened.
 */
export function testCopy(
	template: Template,
	simulator: RunningSimulator,
	options: TestCopyOptions = {},
): any {
	const [copy] = templatesForSimulator([template], simulator);
	const workflow = structuredClone(copy.workflow);
	for (const node of workflow.nodes) {
		if (
			node.type === 'n8n-nodes-base.scheduleTrigger' ||
			(options.triggerType && node.type === 'n8n-nodes-base.manualTrigger')
		) {
			node.type = options.triggerType ?? 'n8n-nodes-base.manualTrigger';
			node.typeVersion = options.triggerTypeVersion ?? 1;
			node.parameters = options.triggerParameters ?? {};
			if (options.triggerType === 'n8n-nodes-base.webhook') node.webhookId = `${workflow.id}-hook`;
		}
		if (node.type === 'n8n-nodes-base.wait' && options.waitSeconds !== undefined) {
			node.parameters = {
				...node.parameters,
				resume: 'timeInterval',
				amount: options.waitSeconds,
				unit: 'seconds',
			};
		}
	}
	return workflow;
}

/** Writes workflows to a folder and imports them with one CLI call. */
export async function importWorkflows(n8n: TestN8n, workflows: any[]): Promise<void> {
	const dir = path.join(n8n.userFolder, 'workflows');
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	for (const workflow of workflows)
		fs.writeFileSync(path.join(dir, `${workflow.id}.json`), JSON.stringify(workflow, null, 2));
	await runN8nCliOrThrow(n8n.runtime, n8n.env, ['import:workflow', '--separate', `--input=${dir}`]);
}

export interface ExecutionResult {
	exitCode: number | null;
	status: string;
	/** Node name -> the JSON of every output item of its last run, per output index. */
	outputs: Record<string, any[][]>;
	/** Node name -> how many times it ran. */
	runs: Record<string, number>;
	error?: any;
	stdout: string;
	stderr: string;
}

/** `n8n execute --id X --rawOutput` and the execution's per-node outputs. */
export async function executeWorkflow(n8n: TestN8n, id: string): Promise<ExecutionResult> {
	const result = await n8n.cli(['execute', `--id=${id}`, '--rawOutput']);
	let execution: any;
	try {
		execution = parseRawOutput(result.stdout);
	} catch {
		return {
			exitCode: result.code,
			status: 'no-output',
			outputs: {},
			runs: {},
			stdout: result.stdout,
			stderr: result.stderr,
		};
	}
	return {
		exitCode: result.code,
		...summariseExecution(execution),
		stdout: result.stdout,
		stderr: result.stderr,
	};
}

/** Per-node outputs from an execution object (CLI raw output or the REST API's). */
export function summariseExecution(
	execution: any,
): Pick<ExecutionResult, 'status' | 'outputs' | 'runs' | 'error'> {
	const runData = execution?.data?.resultData?.runData ?? {};
	const outputs: Record<string, any[][]> = {};
	const runs: Record<string, number> = {};
	for (const [nodeName, nodeRuns] of Object.entries<any[]>(runData)) {
		runs[nodeName] = nodeRuns.length;
		const last = nodeRuns[nodeRuns.length - 1];
		outputs[nodeName] = (last?.data?.main ?? []).map((items: any[] | null) =>
			(items ?? []).map((item) => item.json),
		);
	}
	return {
		status: execution?.status ?? (execution?.finished ? 'success' : 'unknown'),
		outputs,
		runs,
		error: execution?.data?.resultData?.error,
	};
}

/** Explains a failed run in the assertion message. */
export function describeRun(result: ExecutionResult): string {
	return JSON.stringify(
		{
			status: result.status,
			exitCode: result.exitCode,
			error: result.error?.message ?? result.error,
			outputs: result.outputs,
			tail:
				result.status === 'no-output' ? (result.stdout + result.stderr).slice(-3000) : undefined,
		},
		null,
		1,
	).slice(0, 8000);
}

/** One Graph call as Meta handled it: a top-level request or one operation of a batch request. */
export interface GraphOperation {
	method: string;
	/** Version-less path, e.g. /17841400000000001/media_publish. */
	path: string;
	/** Query and body parameters (for batch operations: from relative_url and body). */
	params: Record<string, unknown>;
	body: unknown;
	status: number;
	errorCode?: number;
	/** Whether it came inside a batch request. */
	inBatch: boolean;
}

/**
 * The simulator's request log with batch requests expanded into their operations, so tests assert
 * on what Meta did (a publish inside a batch is still a publish) rather than on how it was sent.
 */
export function graphOperations(requests: LoggedRequest[]): GraphOperation[] {
	const operations: GraphOperation[] = [];
	for (const request of requests) {
		if (!request.batch) {
			operations.push({ ...request, params: request.params ?? {}, inBatch: false });
			continue;
		}
		let ops: any[] = [];
		try {
			const raw = request.params.batch;
			ops = (typeof raw === 'string' ? JSON.parse(raw) : raw) as any[];
		} catch {
			ops = [];
		}
		request.batch.forEach((summary, index) => {
			const op = ops[index] ?? {};
			const url = new URL(
				String(op.relative_url ?? summary.path).replace(/^\/?/, '/'),
				'http://batch.local',
			);
			const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
			if (typeof op.body === 'string')
				Object.assign(params, Object.fromEntries(new URLSearchParams(op.body)));
			else if (op.body && typeof op.body === 'object') Object.assign(params, op.body);
			operations.push({
				method: summary.method,
				path: summary.path.replace(/^\/v\d+\.\d+/, ''),
				params,
				body: op.body,
				status: summary.status,
				errorCode: summary.errorCode,
				inBatch: true,
			});
		});
	}
	return operations;
}

// ---- Meta Trigger in real n8n (shared by trigger.e2e and queue-mode.e2e) -----------------------

/** The Access Token credential the trigger needs: the demo System User token plus App ID and App Secret. */
export const TRIGGER_CREDENTIAL = {
	id: 'metaE2eTriggerCred',
	name: 'Meta (demo token with app secret)',
} as const;

/** Imports TRIGGER_CREDENTIAL (pointing at `simulator`) through n8n's CLI. */
export async function importTriggerCredential(
	n8n: TestN8n,
	simulator: RunningSimulator,
): Promise<void> {
	const demo = loadScenario('demo');
	const app = demo.apps[0];
	const token = demo.tokens.find((t) => t.type === 'SYSTEM_USER')!.token;
	const file = path.join(n8n.userFolder, 'trigger-credential.json');
	fs.writeFileSync(
		file,
		JSON.stringify([
			{
				...TRIGGER_CREDENTIAL,
				type: 'metaBusinessAccessTokenApi',
				data: {
					accessToken: token,
					appSecret: app.secret,
					appId: app.id,
					useLongLivedExchange: false,
					graphApiVersion: 'v26.0',
					baseUrl: simulator.baseUrl,
				},
			},
		]),
	);
	await runN8nCliOrThrow(n8n.runtime, n8n.env, ['import:credentials', `--input=${file}`]);
}

/**
 * A workflow: Meta Trigger (with Emit Rejected Deliveries when `rejectedOutput`) -> "Event" NoOp on
 * the first output and, with a Rejected output, "Rejected" NoOp on the second.
 */
export function triggerWorkflow(options: {
	id: string;
	webhookId: string;
	parameters: Record<string, unknown>;
	rejectedOutput?: boolean;
}): any {
	const trigger = {
		id: `${options.id}-trigger`,
		name: 'Meta Trigger',
		type: 'n8n-nodes-meta-business.metaTrigger',
		typeVersion: 1,
		position: [0, 0],
		webhookId: options.webhookId,
		parameters: {
			authentication: 'accessToken',
			...options.parameters,
			options: {
				...((options.parameters.options as object) ?? {}),
				...(options.rejectedOutput ? { emitRejected: true } : {}),
			},
		},
		credentials: { metaBusinessAccessTokenApi: { ...TRIGGER_CREDENTIAL } },
	};
	const noOp = (name: string, y: number) => ({
		id: `${options.id}-${name.toLowerCase()}`,
		name,
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [300, y],
		parameters: {},
	});
	const nodes = [
		trigger,
		noOp('Event', 0),
		...(options.rejectedOutput ? [noOp('Rejected', 200)] : []),
	];
	const outputs = [
		[{ node: 'Event', type: 'main', index: 0 }],
		...(options.rejectedOutput ? [[{ node: 'Rejected', type: 'main', index: 0 }]] : []),
	];
	return {
		id: options.id,
		name: `Meta Trigger ${options.id}`,
		nodes,
		connections: { 'Meta Trigger': { main: outputs } },
		settings: { executionOrder: 'v1' },
		active: false,
	};
}

/** An execution's run data through the REST API (n8n stores it in the flatted format). */
export async function restExecution(
	rest: { ok(method: string, path: string): Promise<any> },
	id: string,
	runtime: RuntimePaths,
): Promise<ReturnType<typeof summariseExecution> & { id: string }> {
	const stored = await rest.ok('GET', `/rest/executions/${id}`);
	const flatted = require(
		require.resolve('flatted', { paths: [path.join(runtime.dir, 'node_modules', 'n8n')] }),
	) as { parse(text: string): any };
	const data = typeof stored.data === 'string' ? flatted.parse(stored.data) : stored.data;
	return { id, ...summariseExecution({ ...stored, data }) };
}

/** Finished executions of a workflow, oldest first (ids only, with status). */
export async function listExecutions(
	rest: { ok(method: string, path: string): Promise<any> },
	workflowId: string,
): Promise<Array<{ id: string; status: string }>> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const list = await rest.ok('GET', `/rest/executions?filter=${filter}&limit=250`);
	const results = (list?.results ?? list ?? []) as Array<{ id: string; status: string }>;
	return results
		.filter((e) => !['new', 'running', 'waiting'].includes(e.status))
		.sort((a, b) => Number(a.id) - Number(b.id));
}

/** Waits until a workflow has `count` finished executions (and checks no more arrive for `settleMs`). */
export async function waitForExecutionCount(
	rest: { ok(method: string, path: string): Promise<any> },
	workflowId: string,
	count: number,
	{ timeoutMs = 30000, settleMs = 1500 } = {},
): Promise<Array<{ id: string; status: string }>> {
	const deadline = Date.now() + timeoutMs;
	let list = await listExecutions(rest, workflowId);
	while (list.length < count && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 300));
		list = await listExecutions(rest, workflowId);
	}
	if (settleMs > 0) {
		await new Promise((resolve) => setTimeout(resolve, settleMs));
		list = await listExecutions(rest, workflowId);
	}
	return list;
}

// ---- PostgreSQL for queue mode (n8n supports queue mode on PostgreSQL, not on SQLite) -------------

export interface PrivatePostgres {
	port: number;
	/** n8n's DB_* settings for this cluster. */
	env: Record<string, string>;
	stop(): Promise<void>;
}

/** Debian's PostgreSQL binaries: on PATH, or under /usr/lib/postgresql/<version>/bin. */
function postgresBin(name: string): string {
	for (const dir of (process.env.PATH ?? '').split(':')) {
		if (dir && fs.existsSync(path.join(dir, name))) return path.join(dir, name);
	}
	const root = '/usr/lib/postgresql';
	const versions = fs.existsSync(root)
		? fs.readdirSync(root).sort((a, b) => Number(b) - Number(a))
		: [];
	for (const version of versions) {
		const candidate = path.join(root, version, 'bin', name);
		if (fs.existsSync(candidate)) return candidate;
	}
	throw new Error(`${name} is missing: apt-get install -y postgresql (the CI script does it)`);
}

/**
 * A throw-away PostgreSQL cluster in a temp folder on a free port (trust auth on 127.0.0.1 only,
 * fsync off). initdb refuses to run as root, so as root the cluster belongs to the `postgres` user.
 */
export async function startPostgres(): Promise<PrivatePostgres> {
	const { spawnSync } = await import('node:child_process');
	const os = await import('node:os');
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-pg-'));
	const asRoot = process.getuid?.() === 0;
	if (asRoot) spawnSync('chown', ['postgres:postgres', dir]);
	const run = (bin: string, args: string[]) => {
		const command = asRoot ? 'runuser' : bin;
		const full = asRoot ? ['-u', 'postgres', '--', bin, ...args] : args;
		const result = spawnSync(command, full, { encoding: 'utf8', cwd: dir });
		if (result.status !== 0)
			throw new Error(
				`${bin} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`,
			);
	};
	const port = await freePort();
	const data = path.join(dir, 'data');
	run(postgresBin('initdb'), [
		'-D',
		data,
		'-U',
		'postgres',
		'-A',
		'trust',
		'--no-sync',
		'-E',
		'UTF8',
	]);
	run(postgresBin('pg_ctl'), [
		'-D',
		data,
		'-l',
		path.join(dir, 'postgres.log'),
		'-w',
		'-t',
		'60',
		'-o',
		`-p ${port} -h 127.0.0.1 -k ${dir} -F`,
		'start',
	]);
	return {
		port,
		env: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_DATABASE: 'postgres',
			DB_POSTGRESDB_USER: 'postgres',
			DB_POSTGRESDB_PASSWORD: 'e2e',
		},
		stop: async () => {
			try {
				run(postgresBin('pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
			} finally {
				fs.rmSync(dir, { recursive: true, force: true });
			}
		},
	};
}

/** Signs in as the demo owner, retrying while n8n is still mounting its REST routes (404 right after "ready" on a busy machine). */
export async function loginWhenReady(
	rest: { setupOwnerAndLogin(owner: any): Promise<void> },
	owner: unknown,
	timeoutMs = 60000,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			await rest.setupOwnerAndLogin(owner);
			return;
		} catch (error) {
			if (Date.now() > deadline || !/-> 404/.test(String((error as Error).message))) throw error;
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
	}
}

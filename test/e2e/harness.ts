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
import { demoCredentials, loadScenario, loadTemplates, templatesForSimulator, type Template } from '../../scripts/lib/demo';
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
	for (const entry of ['nodes', 'credentials', 'icons', 'package.json', 'tsconfig.json', 'index.js', 'README.md']) visit(entry);
	return hash.digest('hex').slice(0, 16);
}

/** Builds and packs the package, once per source state (tsc is the slow part). */
export function packageTarball(): string {
	const dir = path.join(WORK_ROOT, `package-${sourceHash()}`);
	const existing = fs.existsSync(dir) ? fs.readdirSync(dir).find((f) => f.endsWith('.tgz')) : undefined;
	if (existing) return path.join(dir, existing);
	for (const old of fs.existsSync(WORK_ROOT) ? fs.readdirSync(WORK_ROOT) : []) {
		if (old.startsWith('package-')) fs.rmSync(path.join(WORK_ROOT, old), { recursive: true, force: true });
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
export async function prepareN8n(name: string, extraEnv: Record<string, string> = {}): Promise<TestN8n> {
	const runtime = ensureRuntime();
	// The previous run's folder of the same name is kept until now, for a look after a failure.
	for (const old of fs.existsSync(WORK_ROOT) ? fs.readdirSync(WORK_ROOT) : []) {
		if (old.startsWith(`n8n-${name}-`)) fs.rmSync(path.join(WORK_ROOT, old), { recursive: true, force: true });
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
export function testCopy(template: Template, simulator: RunningSimulator, options: TestCopyOptions = {}): any {
	const [copy] = templatesForSimulator([template], simulator);
	const workflow = structuredClone(copy.workflow);
	for (const node of workflow.nodes) {
		if (node.type === 'n8n-nodes-base.scheduleTrigger' || (options.triggerType && node.type === 'n8n-nodes-base.manualTrigger')) {
			node.type = options.triggerType ?? 'n8n-nodes-base.manualTrigger';
			node.typeVersion = options.triggerTypeVersion ?? 1;
			node.parameters = options.triggerParameters ?? {};
			if (options.triggerType === 'n8n-nodes-base.webhook') node.webhookId = `${workflow.id}-hook`;
		}
		if (node.type === 'n8n-nodes-base.wait' && options.waitSeconds !== undefined) {
			node.parameters = { ...node.parameters, resume: 'timeInterval', amount: options.waitSeconds, unit: 'seconds' };
		}
	}
	return workflow;
}

/** Writes workflows to a folder and imports them with one CLI call. */
export async function importWorkflows(n8n: TestN8n, workflows: any[]): Promise<void> {
	const dir = path.join(n8n.userFolder, 'workflows');
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	for (const workflow of workflows) fs.writeFileSync(path.join(dir, `${workflow.id}.json`), JSON.stringify(workflow, null, 2));
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
		return { exitCode: result.code, status: 'no-output', outputs: {}, runs: {}, stdout: result.stdout, stderr: result.stderr };
	}
	return { exitCode: result.code, ...summariseExecution(execution), stdout: result.stdout, stderr: result.stderr };
}

/** Per-node outputs from an execution object (CLI raw output or the REST API's). */
export function summariseExecution(execution: any): Pick<ExecutionResult, 'status' | 'outputs' | 'runs' | 'error'> {
	const runData = execution?.data?.resultData?.runData ?? {};
	const outputs: Record<string, any[][]> = {};
	const runs: Record<string, number> = {};
	for (const [nodeName, nodeRuns] of Object.entries<any[]>(runData)) {
		runs[nodeName] = nodeRuns.length;
		const last = nodeRuns[nodeRuns.length - 1];
		outputs[nodeName] = (last?.data?.main ?? []).map((items: any[] | null) => (items ?? []).map((item) => item.json));
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
			tail: result.status === 'no-output' ? (result.stdout + result.stderr).slice(-3000) : undefined,
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
			const url = new URL(String(op.relative_url ?? summary.path).replace(/^\/?/, '/'), 'http://batch.local');
			const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
			if (typeof op.body === 'string') Object.assign(params, Object.fromEntries(new URLSearchParams(op.body)));
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

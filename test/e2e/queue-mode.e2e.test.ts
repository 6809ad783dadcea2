/**
 * Queue mode (n8n's way to scale past one process): `n8n start` receives the trigger and puts the
 * execution on a Redis queue; a separate `n8n worker` process runs it. Our nodes keep no state
 * between executions, so a template behaves the same there. On the stack n8n supports for queue
 * mode: PostgreSQL (a private cluster in a temp folder) and Redis, both Debian's packages, started
 * here on free ports (the CI script installs them). The Meta Trigger case: the main process takes
 * Meta's webhooks (handshake and signed deliveries), a worker runs the executions.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { DEMO_OWNER, loadScenario, loadTemplates } from '../../scripts/lib/demo';
import { N8nRestClient, runN8nCliOrThrow, type N8nProcess } from '../../scripts/lib/n8n';
import { startSimulator } from '../../simulator';
import type { RunningSimulator } from '../../simulator/types';
import {
	freePort,
	graphOperations,
	importCredentials,
	importTriggerCredential,
	importWorkflows,
	loginWhenReady,
	prepareN8n,
	restExecution,
	startPostgres,
	testCopy,
	triggerWorkflow,
	waitForExecutionCount,
	type PrivatePostgres,
	type TestN8n,
} from './harness';

const WEBHOOK_PATH = 'e2e-queue-reminders';
const REEL_WEBHOOK_PATH = 'e2e-queue-reel';
/** n8n keeps shorter waits in memory; from 65 s on, the execution is saved as waiting and resumed later. */
const PERSISTED_WAIT_SECONDS = 65;
const templates = loadTemplates();
const template = templates.find((t) => t.slug === 'whatsapp-appointment-reminders')!;
const reelTemplate = templates.find((t) => t.slug === 'instagram-reel-with-wait')!;

const TRIGGER_WORKFLOW = 'e2eQueueTrigger';
const TRIGGER_HOOK = '3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a98';
const TRIGGER_PHONE = '106000000000001';

let simulator: RunningSimulator;
let redis: ChildProcess | undefined;
let postgres: PrivatePostgres | undefined;
let n8n: TestN8n;
let main: N8nProcess | undefined;
let worker: N8nProcess | undefined;
let rest: N8nRestClient;

async function startRedis(port: number): Promise<ChildProcess> {
	const found = spawnSync('sh', ['-c', 'command -v redis-server']);
	if (found.status !== 0)
		throw new Error(
			'redis-server is missing: apt-get install -y redis-server (the CI script does it)',
		);
	const child = spawn(
		'redis-server',
		['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
		{
			stdio: ['ignore', 'pipe', 'pipe'],
		},
	);
	let output = '';
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(
			() => reject(new Error(`redis-server did not start:\n${output}`)),
			20000,
		);
		const onData = (chunk: Buffer) => {
			output += chunk.toString();
			if (/Ready to accept connections/.test(output)) {
				clearTimeout(timer);
				resolve();
			}
		};
		child.stdout!.on('data', onData);
		child.stderr!.on('data', onData);
		child.on('exit', (code) => reject(new Error(`redis-server exited (${code}):\n${output}`)));
	});
	return child;
}

beforeAll(async () => {
	simulator = await startSimulator('demo', { settings: { whatsappFailureMode: 'async' } });
	const redisPort = await freePort();
	redis = await startRedis(redisPort);
	postgres = await startPostgres();
	n8n = await prepareN8n('queue', {
		...postgres.env,
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redisPort),
		// Manual runs from the editor also go to the workers (n8n's default keeps them in main).
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
	});
	await importCredentials(n8n, simulator);
	await importTriggerCredential(n8n, simulator);
	// The template as it is, but triggered by a webhook instead of its daily schedule.
	const copy = testCopy(template, simulator, {
		triggerType: 'n8n-nodes-base.webhook',
		triggerTypeVersion: 2,
		triggerParameters: {
			httpMethod: 'POST',
			path: WEBHOOK_PATH,
			responseMode: 'lastNode',
			responseData: 'allEntries',
			options: {},
		},
	});
	// The reel template with a Wait long enough to be persisted, started by a webhook.
	const reel = testCopy(reelTemplate, simulator, {
		waitSeconds: PERSISTED_WAIT_SECONDS,
		triggerType: 'n8n-nodes-base.webhook',
		triggerTypeVersion: 2,
		triggerParameters: {
			httpMethod: 'POST',
			path: REEL_WEBHOOK_PATH,
			responseMode: 'onReceived',
			options: {},
		},
	});
	// A Meta Trigger registered as the first number's override: main answers Meta, a worker runs it.
	const trigger = triggerWorkflow({
		id: TRIGGER_WORKFLOW,
		webhookId: TRIGGER_HOOK,
		parameters: {
			events: ['whatsappMessages', 'whatsappStatuses'],
			statuses: ['failed'],
			verifyToken: 'queue-verify',
			registration: 'phoneNumberOverride',
			wabaId: { __rl: true, mode: 'id', value: '102000000000001' },
			phoneNumberId: { __rl: true, mode: 'id', value: TRIGGER_PHONE },
		},
	});
	await importWorkflows(n8n, [copy, reel, trigger]);
	for (const id of [copy.id, reel.id, trigger.id])
		await runN8nCliOrThrow(n8n.runtime, n8n.env, ['publish:workflow', `--id=${id}`]);
	main = await n8n.start('start');
	await main.waitReady();
	rest = new N8nRestClient(main.baseUrl);
	await loginWhenReady(rest, DEMO_OWNER);
	worker = await n8n.start('worker');
	await worker.waitForOutput(/n8n worker is now ready/, 120000);
	// The trigger's activation (with Meta's handshake) may end just after main reports ready.
	const deadline = Date.now() + 60000;
	while (
		Date.now() < deadline &&
		!JSON.stringify(simulator.control.webhookRegistrations()).includes(TRIGGER_HOOK)
	) {
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
});

afterAll(async () => {
	await worker?.stop();
	await main?.stop();
	redis?.kill('SIGTERM');
	await postgres?.stop();
	await simulator?.stop();
});

describe('queue mode: n8n start + n8n worker + Redis + PostgreSQL', () => {
	it('stores everything in PostgreSQL, not SQLite', () => {
		expect(fs.existsSync(path.join(n8n.userFolder, '.n8n', 'database.sqlite'))).toBe(false);
		expect(main!.logs + worker!.logs).not.toMatch(/SQLite/);
	});

	it('Meta Trigger: main answers the handshake and the signed deliveries, a worker runs each event once; replays and forgeries start nothing', async () => {
		const registrations = simulator.control.webhookRegistrations() as Record<
			string,
			{ phoneOverrides: Record<string, string> }
		>;
		const url = Object.values(registrations)[0]?.phoneOverrides[TRIGGER_PHONE];
		expect(url).toMatch(
			new RegExp(`^http://127\\.0\\.0\\.1:${n8n.port}/webhook/${TRIGGER_HOOK}/webhook$`),
		);
		const inbound = await simulator.control.inboundWhatsApp({
			phoneNumberId: TRIGGER_PHONE,
			from: '351910000101',
			text: 'queue hello',
		});
		expect(inbound.deliveries.map((d) => d.lastStatus)).toEqual([200]);
		const send = await fetch(`${simulator.baseUrl}/v26.0/${TRIGGER_PHONE}/messages`, {
			method: 'POST',
			headers: {
				authorization: `Bearer ${loadScenario('demo').tokens.find((t) => t.type === 'SYSTEM_USER')!.token}`,
				'content-type': 'application/json',
			},
			body: JSON.stringify({
				messaging_product: 'whatsapp',
				to: '351910000103',
				type: 'text',
				text: { body: 'x' },
			}),
		});
		expect(send.status).toBe(200);
		await simulator.control.webhooksIdle();
		// The same delivery again (a redelivery) and a forged one.
		const replay = await simulator.control.emitWebhook(
			undefined,
			inbound.deliveries[0].body as never,
		);
		expect(replay.deliveries.map((d) => d.lastStatus)).toEqual([200]);
		const forged = await simulator.control.emitWebhook(
			undefined,
			inbound.deliveries[0].body as never,
			{ signature: 'forged', maxAttempts: 1 },
		);
		expect(forged.deliveries.map((d) => d.lastStatus)).toEqual([401]);
		const executions = await waitForExecutionCount(rest, TRIGGER_WORKFLOW, 2, {
			timeoutMs: 60000,
			settleMs: 3000,
		});
		expect(executions.map((e) => e.status)).toEqual(['success', 'success']);
		const items = [];
		for (const execution of executions)
			items.push(
				...((await restExecution(rest, execution.id, n8n.runtime)).outputs['Meta Trigger']?.[0] ??
					[]),
			);
		expect(items.map((item: any) => item.text ?? item.status)).toEqual(['queue hello', 'failed']);
		for (const execution of executions) {
			expect(worker!.logs).toMatch(
				new RegExp(`Worker (started|finished) execution ${execution.id}\\b`),
			);
		}
		expect(main!.logs).not.toMatch(/Worker started execution/);
		expect(main!.logs).toMatch(/refused a POST request/);
	});

	it('runs the appointment-reminders template on the worker', async () => {
		simulator.control.clearRequests();
		const response = await fetch(`${main!.baseUrl}/webhook/${WEBHOOK_PATH}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{}',
		});
		const text = await response.text();
		expect({ status: response.status, text: response.status === 200 ? '' : text }).toEqual({
			status: 200,
			text: '',
		});
		const sent = JSON.parse(text) as Array<{ status: string; to: string; wamid: string }>;
		expect(sent.map((item) => [item.status, item.to])).toEqual([
			['accepted', '+351910000101'],
			['accepted', '+351910000102'],
			['accepted', '+351910000103'],
		]);

		const messages = simulator.control
			.requests()
			.filter((r) => r.method === 'POST' && r.path.endsWith('/messages'));
		expect(messages).toHaveLength(3);
		// The worker ran it; the main process only queued it.
		await worker!.waitForOutput(/Worker finished execution \d+/, 30000);
		expect(worker!.logs).toMatch(/Worker started execution \d+/);
		expect(main!.logs).not.toMatch(/Worker started execution/);
	});

	it('runs it again on the same worker with nothing carried over (no state between executions)', async () => {
		simulator.control.clearRequests();
		const response = await fetch(`${main!.baseUrl}/webhook/${WEBHOOK_PATH}`, {
			method: 'POST',
			body: '{}',
		});
		expect(response.status).toBe(200);
		const sent = (await response.json()) as Array<{ wamid: string }>;
		expect(new Set(sent.map((item) => item.wamid)).size).toBe(3);
		expect(
			simulator.control
				.requests()
				.filter((r) => r.method === 'POST' && r.path.endsWith('/messages')),
		).toHaveLength(3);
		expect(worker!.logs.match(/Worker finished execution \d+/g)?.length).toBeGreaterThanOrEqual(2);
	});

	it('resumes the reel template after a persisted Wait on a worker and publishes once', async () => {
		simulator.control.clearRequests();
		const response = await fetch(`${main!.baseUrl}/webhook/${REEL_WEBHOOK_PATH}`, {
			method: 'POST',
			body: '{}',
		});
		expect(response.status).toBe(200);
		const seen = new Set<string>();
		let execution: { id: string; status: string } | undefined;
		const deadline = Date.now() + (PERSISTED_WAIT_SECONDS + 90) * 1000;
		while (Date.now() < deadline) {
			const filter = encodeURIComponent(JSON.stringify({ workflowId: 'tplIgReelWait' }));
			const list = await rest.ok('GET', `/rest/executions?filter=${filter}&limit=1`);
			execution = (list?.results ?? list ?? [])[0];
			if (execution) seen.add(execution.status);
			if (execution && ['success', 'error', 'crashed', 'canceled'].includes(execution.status))
				break;
			await new Promise((resolve) => setTimeout(resolve, 1000));
		}
		expect(execution?.status).toBe('success');
		expect(seen.has('waiting')).toBe(true);
		const operations = graphOperations(simulator.control.requests());
		const posts = operations.filter((op) => op.method === 'POST');
		expect(posts.filter((op) => /\/media$/.test(op.path))).toHaveLength(1);
		expect(posts.filter((op) => /\/media_publish$/.test(op.path))).toHaveLength(1);
		// Before the Wait and after it, a worker ran the same execution.
		const starts =
			worker!.logs.match(new RegExp(`Worker started execution ${execution!.id} `, 'g')) ?? [];
		expect(starts.length).toBeGreaterThanOrEqual(2);
	});

	it('leaves no token or app secret in the logs of n8n or its worker', () => {
		const demo = loadScenario('demo');
		for (const secret of [...demo.tokens.map((t) => t.token), ...demo.apps.map((a) => a.secret)]) {
			expect(main!.logs).not.toContain(secret);
			expect(worker!.logs).not.toContain(secret);
		}
	});
});

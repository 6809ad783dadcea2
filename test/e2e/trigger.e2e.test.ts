/**
 * The Meta Trigger in a real n8n (the pinned runtime, this package installed the Community Nodes
 * way): workflows are activated, each registers its phone number's webhook override with the
 * simulator (Meta's verification handshake reaches n8n's production webhook URL), and the
 * simulator then delivers signed events there, as Meta would. Forged, unsigned and replayed
 * deliveries start nothing and leave a reason; two workflows on two numbers of one app each get
 * only their own events.
 */
import { DEMO_OWNER, loadScenario, loadTemplates } from '../../scripts/lib/demo';
import { N8nRestClient, runN8nCliOrThrow, type N8nProcess } from '../../scripts/lib/n8n';
import { startSimulator } from '../../simulator';
import type { RunningSimulator, WebhookEnvelope } from '../../simulator';
import { instagramCommentChange, instagramEnvelope } from '../../simulator/webhooks';
import {
	importCredentials,
	importTriggerCredential,
	importWorkflows,
	loginWhenReady,
	prepareN8n,
	graphOperations,
	restExecution,
	testCopy,
	TRIGGER_CREDENTIAL,
	triggerWorkflow,
	waitForExecutionCount,
	type TestN8n,
} from './harness';

const demo = loadScenario('demo');
const APP_ID = demo.apps[0].id;
const SYSTEM_TOKEN = demo.tokens.find((t) => t.type === 'SYSTEM_USER')!.token;
const WABA = '102000000000001';
const PHONE_A = '106000000000001';
const PHONE_C = '106000000000003';
const RECENT = '351910000101';
const NEVER_WROTE = '351910000103';
const HOOK_A = '6f1d2c3b-0a4e-4f5a-9b8c-7d6e5f4a3b21';
const HOOK_C = '0b9a8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d';
const PHONE_B = '106000000000002';
const WABA_B = '102000000000002';
const IG_ACCOUNT = '17841400000000001';
const templates = loadTemplates();
const REPLY_PATH = 'e2e-reply-with-fallback';

/**
 * A template's test copy: the trigger uses the credential that holds the app secret (the demo
 * credential has none), optionally on another number.
 */
function templateCopy(
	slug: string,
	phone?: { wabaId: string; phoneNumberId: string },
	options?: Parameters<typeof testCopy>[2],
): any {
	const template = templates.find((t) => t.slug === slug);
	if (!template) throw new Error(`templates/${slug}.json is missing`);
	const copy = testCopy(template, simulator, options);
	for (const node of copy.nodes) {
		if (node.type.endsWith('.metaTrigger'))
			node.credentials = { metaBusinessAccessTokenApi: { ...TRIGGER_CREDENTIAL } };
		if (phone && node.parameters.phoneNumberId)
			node.parameters.phoneNumberId = { __rl: true, mode: 'id', value: phone.phoneNumberId };
		if (phone && node.parameters.wabaId)
			node.parameters.wabaId = { __rl: true, mode: 'id', value: phone.wabaId };
	}
	return copy;
}

const webhookIdOf = (slug: string): string =>
	templates
		.find((t) => t.slug === slug)!
		.workflow.nodes.find((n: any) => n.type.endsWith('.metaTrigger')).webhookId;

let simulator: RunningSimulator;
let n8n: TestN8n;
let main: N8nProcess | undefined;
let rest: N8nRestClient;

const numberTrigger = (id: string, webhookId: string, phone: string, rejectedOutput: boolean) =>
	triggerWorkflow({
		id,
		webhookId,
		rejectedOutput,
		parameters: {
			events: ['whatsappMessages', 'whatsappStatuses'],
			statuses: ['failed'],
			verifyToken: `verify-${id}`,
			registration: 'phoneNumberOverride',
			wabaId: { __rl: true, mode: 'id', value: WABA },
			phoneNumberId: { __rl: true, mode: 'id', value: phone },
		},
	});

beforeAll(async () => {
	simulator = await startSimulator('demo', {
		settings: { whatsappFailureMode: 'async', webhookMaxAttempts: 2, webhookBaseDelayMs: 200 },
	});
	n8n = await prepareN8n('trigger');
	await importCredentials(n8n, simulator);
	await importTriggerCredential(n8n, simulator);
	const workflows = [
		numberTrigger('e2eTriggerA', HOOK_A, PHONE_A, true),
		numberTrigger('e2eTriggerC', HOOK_C, PHONE_C, false),
		templateCopy('whatsapp-inbound-auto-reply', { wabaId: WABA_B, phoneNumberId: PHONE_B }),
		templateCopy('instagram-comment-notifier'),
	];
	// Activated later, on number A, once workflow A is deactivated; started by a webhook here.
	const fallback = templateCopy('whatsapp-reply-with-template-fallback', undefined, {
		triggerType: 'n8n-nodes-base.webhook',
		triggerTypeVersion: 2,
		triggerParameters: {
			httpMethod: 'POST',
			path: REPLY_PATH,
			responseMode: 'onReceived',
			options: {},
		},
	});
	await importWorkflows(n8n, [...workflows, fallback]);
	for (const workflow of workflows)
		await runN8nCliOrThrow(n8n.runtime, n8n.env, ['publish:workflow', `--id=${workflow.id}`]);
	main = await n8n.start('start');
	await main.waitReady();
	rest = new N8nRestClient(main.baseUrl);
	await loginWhenReady(rest, DEMO_OWNER);
	// Activation (with its handshake) may finish just after the server reports ready.
	const deadline = Date.now() + 60000;
	while (Object.keys(phoneOverrides()).length < 3 && Date.now() < deadline)
		await new Promise((r) => setTimeout(r, 250));
});

afterAll(async () => {
	await main?.stop();
	await simulator?.stop();
});

function phoneOverrides(): Record<string, string> {
	const registrations = simulator.control.webhookRegistrations() as Record<
		string,
		{ phoneOverrides: Record<string, string> }
	>;
	return registrations[APP_ID]?.phoneOverrides ?? {};
}

async function eventsOf(
	workflowId: string,
	count: number,
): Promise<{ events: any[]; rejected: any[]; executions: number }> {
	const list = await waitForExecutionCount(rest, workflowId, count);
	const events: any[] = [];
	const rejected: any[] = [];
	for (const execution of list) {
		const run = await restExecution(rest, execution.id, n8n.runtime);
		events.push(...(run.outputs['Meta Trigger']?.[0] ?? []));
		rejected.push(...(run.outputs['Meta Trigger']?.[1] ?? []));
	}
	return { events, rejected, executions: list.length };
}

describe('Meta Trigger in real n8n', () => {
	it("activation registers each workflow as its number's override after Meta's handshake with n8n", () => {
		const overrides = phoneOverrides();
		expect(overrides[PHONE_A]).toMatch(
			new RegExp(`^http://127\\.0\\.0\\.1:${n8n.port}/webhook/${HOOK_A}/webhook$`),
		);
		expect(overrides[PHONE_C]).toMatch(new RegExp(`/webhook/${HOOK_C}/webhook$`));
		expect(main!.logs).toMatch(/answered Meta's verification request/);
	});

	it('an inbound message to each number starts one execution in its own workflow only', async () => {
		const toA = await simulator.control.inboundWhatsApp({
			phoneNumberId: PHONE_A,
			from: RECENT,
			name: 'Ana',
			text: 'Table for two?',
		});
		expect(toA.deliveries.map((d) => [d.lastStatus, d.delivered])).toEqual([[200, true]]);
		const toC = await simulator.control.inboundWhatsApp({
			phoneNumberId: PHONE_C,
			from: RECENT,
			text: 'Hello C',
		});
		expect(toC.deliveries.map((d) => d.url)).toEqual([phoneOverrides()[PHONE_C]]);
		const a = await eventsOf('e2eTriggerA', 1);
		const c = await eventsOf('e2eTriggerC', 1);
		expect(a.executions).toBe(1);
		expect(a.events).toEqual([
			expect.objectContaining({
				messageId: toA.messageId,
				text: 'Table for two?',
				phoneNumberId: PHONE_A,
			}),
		]);
		expect(a.events[0].eventId).toEqual(expect.any(String));
		expect(c.executions).toBe(1);
		expect(c.events).toEqual([
			expect.objectContaining({ messageId: toC.messageId, text: 'Hello C' }),
		]);
	});

	it('a send answers 200 and the asynchronous 131047 arrives as a failed status execution (sent/delivered filtered out)', async () => {
		const response = await fetch(`${simulator.baseUrl}/v26.0/${PHONE_A}/messages`, {
			method: 'POST',
			headers: { authorization: `Bearer ${SYSTEM_TOKEN}`, 'content-type': 'application/json' },
			body: JSON.stringify({
				messaging_product: 'whatsapp',
				to: NEVER_WROTE,
				type: 'text',
				text: { body: 'Your table is ready' },
			}),
		});
		expect(response.status).toBe(200);
		const wamid = ((await response.json()) as any).messages[0].id;
		await simulator.control.webhooksIdle();
		const a = await eventsOf('e2eTriggerA', 2);
		expect(a.executions).toBe(2);
		const failed = a.events.find((event) => event.messageId === wamid);
		expect(failed).toMatchObject({ status: 'failed' });
		expect(JSON.stringify(failed)).toContain('131047');
	});

	it('forged and unsigned deliveries get 401, start no event execution, and leave the reason in the log and on the Rejected output', async () => {
		const envelope = simulator.control
			.webhookDeliveries()
			.find((d) => d.url === phoneOverrides()[PHONE_C])!.body as WebhookEnvelope;
		const beforeC = (await eventsOf('e2eTriggerC', 1)).executions;
		const forged = await simulator.control.emitWebhook(APP_ID, envelope, {
			signature: 'forged',
			maxAttempts: 1,
		});
		const unsigned = await simulator.control.emitWebhook(APP_ID, envelope, {
			signature: 'missing',
			maxAttempts: 1,
		});
		expect(forged.deliveries.map((d) => d.lastStatus)).toEqual([401]);
		expect(unsigned.deliveries.map((d) => d.lastStatus)).toEqual([401]);
		// Workflow C has no Rejected output: nothing runs at all.
		expect((await eventsOf('e2eTriggerC', beforeC)).executions).toBe(beforeC);
		expect(main!.logs).toMatch(/Meta Trigger "Meta Trigger" refused a POST request: .*signature/i);

		// Workflow A has the Rejected output: one small item per refusal, never the refused body.
		const envelopeA = simulator.control
			.webhookDeliveries()
			.find((d) => d.url === phoneOverrides()[PHONE_A])!.body as WebhookEnvelope;
		const beforeA = (await eventsOf('e2eTriggerA', 2)).executions;
		const forgedA = await simulator.control.emitWebhook(APP_ID, envelopeA, {
			signature: 'forged',
			maxAttempts: 1,
		});
		expect(forgedA.deliveries.map((d) => d.lastStatus)).toEqual([401]);
		const a = await eventsOf('e2eTriggerA', beforeA + 1);
		expect(a.executions).toBe(beforeA + 1);
		expect(a.rejected).toEqual([
			expect.objectContaining({
				rejected: true,
				httpStatus: 401,
				check: expect.stringMatching(/signature/i),
			}),
		]);
		expect(JSON.stringify(a.rejected)).not.toContain('Table for two?');
	});

	it('a replayed delivery (Meta redelivering the same event) is answered 200 and dropped as a duplicate', async () => {
		const envelope = simulator.control
			.webhookDeliveries()
			.find((d) => d.url === phoneOverrides()[PHONE_C])!.body as WebhookEnvelope;
		const before = (await eventsOf('e2eTriggerC', 1)).executions;
		const replay = await simulator.control.emitWebhook(APP_ID, envelope);
		expect(replay.deliveries.map((d) => d.lastStatus)).toEqual([200]);
		expect((await eventsOf('e2eTriggerC', before)).executions).toBe(before);
		expect(main!.logs).toMatch(/already received within the last 60 minute/);
	});

	it('leaves no token or app secret in n8n’s log', () => {
		expect(main!.logs).toMatch(/refused/);
		for (const secret of [...demo.tokens.map((t) => t.token), ...demo.apps.map((a) => a.secret)])
			expect(main!.logs).not.toContain(secret);
	});
});

async function until(condition: () => boolean, timeoutMs = 30000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition() && Date.now() < deadline)
		await new Promise((resolve) => setTimeout(resolve, 200));
}

const messagesTo = (phone: string) =>
	graphOperations(simulator.control.requests()).filter(
		(op) => op.method === 'POST' && op.path === `/${phone}/messages`,
	);

describe('trigger templates in real n8n', () => {
	it('whatsapp-inbound-auto-reply: an incoming message gets one reply in the same chat, quoting it', async () => {
		simulator.control.clearRequests();
		const inbound = await simulator.control.inboundWhatsApp({
			phoneNumberId: PHONE_B,
			from: '351910000199',
			name: 'Rita',
			text: 'Are you open on Sunday?',
		});
		expect(inbound.deliveries.map((d) => d.lastStatus)).toEqual([200]);
		const executions = await waitForExecutionCount(rest, 'tplWaInboundAutoReply', 1);
		expect(executions.map((e) => e.status)).toEqual(['success']);
		const replies = messagesTo(PHONE_B);
		expect(replies).toHaveLength(1);
		expect(replies[0].status).toBe(200);
		expect(replies[0].body).toMatchObject({
			to: '+351910000199',
			type: 'text',
			context: { message_id: inbound.messageId },
		});
		expect((replies[0].body as any).text.body).toMatch(/^Hi Rita, thanks for your message/);
		// The reply's own statuses (sent, delivered) come back to the trigger and start nothing.
		await simulator.control.webhooksIdle();
		expect((await waitForExecutionCount(rest, 'tplWaInboundAutoReply', 1)).length).toBe(1);
	});

	it('instagram-comment-notifier: a new comment is sent to the owner on WhatsApp; the account’s own comment is skipped', async () => {
		const url = `http://127.0.0.1:${n8n.port}/webhook/${webhookIdOf('instagram-comment-notifier')}/webhook`;
		const subscribe = await fetch(`${simulator.baseUrl}/v26.0/${APP_ID}/subscriptions`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				access_token: `${APP_ID}|${demo.apps[0].secret}`,
				object: 'instagram',
				callback_url: url,
				verify_token: 'change-me-to-any-text',
				fields: 'comments',
			}),
		});
		expect(await subscribe.json()).toEqual({ success: true });
		simulator.control.clearRequests();
		const comment = (id: string, text: string, self = false) =>
			instagramEnvelope(IG_ACCOUNT, {
				changes: [
					instagramCommentChange({
						id,
						text,
						fromId: self ? IG_ACCOUNT : '17841499999999999',
						username: self ? 'cafe.aurora' : 'lena.eats',
						mediaId: '17900000000000001',
						self,
					}),
				],
			});
		const first = await simulator.control.emitWebhook(
			APP_ID,
			comment('17870000000000001', 'Best croissant in town!'),
		);
		expect(first.deliveries.map((d) => [d.url, d.lastStatus])).toEqual([[url, 200]]);
		await simulator.control.emitWebhook(
			APP_ID,
			comment('17870000000000002', 'Thank you Lena!', true),
		);
		const executions = await waitForExecutionCount(rest, 'tplIgCommentNotifier', 2);
		expect(executions.map((e) => e.status)).toEqual(['success', 'success']);
		const notes = messagesTo(PHONE_A);
		expect(notes.map((n) => [(n.body as any).to, n.status])).toEqual([['+351910000101', 200]]);
		expect((notes[0].body as any).text.body).toBe(
			'New Instagram comment by @lena.eats: "Best croissant in town!" (post 17900000000000001)',
		);
	});

	it('whatsapp-reply-with-template-fallback: after workflow A is deactivated (only its override removed), the reply to a closed window fails later with 131047 and the template follows', async () => {
		const fallbackHook = webhookIdOf('whatsapp-reply-with-template-fallback');
		// n8n may tear the active version down through its publication outbox: wait for the hook.
		await rest.ok('POST', '/rest/workflows/e2eTriggerA/deactivate', {});
		await until(() => phoneOverrides()[PHONE_A] === undefined);
		expect(phoneOverrides()[PHONE_A]).toBeUndefined();
		expect(phoneOverrides()[PHONE_C]).toMatch(new RegExp(HOOK_C));
		const stored = await rest.ok('GET', '/rest/workflows/tplWaReplyFallback');
		await rest.ok('POST', '/rest/workflows/tplWaReplyFallback/activate', {
			versionId: stored.versionId,
		});
		await until(() => phoneOverrides()[PHONE_A] !== undefined);
		expect(phoneOverrides()[PHONE_A]).toMatch(new RegExp(`/webhook/${fallbackHook}/webhook$`));

		simulator.control.clearRequests();
		const start = await fetch(`${main!.baseUrl}/webhook/${REPLY_PATH}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{}',
		});
		expect(start.status).toBe(200);
		// Two executions: the run that replied, and the one the failed status started.
		const executions = await waitForExecutionCount(rest, 'tplWaReplyFallback', 2, {
			timeoutMs: 30000,
			settleMs: 2000,
		});
		expect(executions.map((e) => e.status)).toEqual(['success', 'success']);
		const [replyRun, fallbackRun] = await Promise.all(
			executions.map((e) => restExecution(rest, e.id, n8n.runtime)),
		);
		// Meta accepted both replies (200); nothing left through the error output.
		expect(replyRun.outputs['Reply'][0].map((item: any) => [item.status, item.to])).toEqual([
			['accepted', '+351910000101'],
			['accepted', '+351910000102'],
		]);
		expect(replyRun.outputs['Other Failures']).toBeUndefined();
		expect(fallbackRun.outputs['Window Closed?'][0]).toEqual([
			expect.objectContaining({ errorCode: 131047, recipient: '351910000102' }),
		]);
		expect(fallbackRun.outputs['Other Delivery Failures']).toBeUndefined();
		const messages = messagesTo(PHONE_A);
		expect(messages.map((m) => [(m.body as any).to, (m.body as any).type, m.status])).toEqual([
			['+351910000101', 'text', 200],
			['+351910000102', 'text', 200],
			['+351910000102', 'template', 200],
		]);
		expect((messages[1].body as any).biz_opaque_callback_data).toBe(
			JSON.stringify({ name: 'Bruno', order: '#1043', status: 'out for delivery' }),
		);
		const template = (messages[2].body as any).template;
		expect(template.name).toBe('order_update');
		const body = template.components.find((c: any) => c.type === 'body');
		expect(body.parameters.map((p: any) => p.text)).toEqual(['Bruno', '#1043', 'out for delivery']);
		expect(template.components.find((c: any) => c.type === 'button').parameters[0].text).toBe(
			'1043',
		);
		// The template's own statuses (sent, delivered) are filtered out: still two executions.
		await simulator.control.webhooksIdle();
		expect((await waitForExecutionCount(rest, 'tplWaReplyFallback', 2)).length).toBe(2);
	});
});

/**
 * Bulk sends: a workflow with several items (some bad) routed through n8n's error output to a
 * template send, output order, and faults (HTTP 500, connection reset, dropped after processing,
 * throttling 130429, pair rate 131056). Every item must end sent exactly once, or reported with
 * its reason; the simulator's sent log is the ground truth.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { runWorkflow } from '../helpers/harness';
import type { RunningSimulator } from '../../simulator';
import {
	NEVER,
	OLD,
	PHONE_ID,
	RECENT,
	WABA_ID,
	credentialsFor,
	jsonOf,
	locator,
	messageParameters,
	messageRequests,
	runWhatsApp,
	sentLog,
	useWhatsAppSimulator,
} from './fixtures';

/** Recipients that all wrote within the last hour (their 24-hour window is open). */
const RECIPIENT_COUNT = 60;
const recipients = Array.from(
	{ length: RECIPIENT_COUNT },
	(_, n) => `4420790${String(n).padStart(5, '0')}`,
);

let sim: RunningSimulator;
useWhatsAppSimulator(
	(started) => (sim = started),
	{},
	(scenario) => {
		scenario.contacts = [
			...(scenario.contacts ?? []),
			...recipients.map((waId) => ({ waId, lastInboundAgo: 60 })),
		];
	},
);

function textItems(phones: string[]): INodeExecutionData[] {
	return phones.map((phone, index) => ({ json: { phone, text: `Message ${index}` } }));
}

const bulkText = (options: Record<string, number> = {}) =>
	messageParameters('sendText', { to: '={{ $json.phone }}', text: '={{ $json.text }}', options });

/**
 * The invariant of every fault test: each input item has one output item in input order; an
 * `accepted` item is in the sent log exactly once with its wamid; a failed or unknown item
 * carries its reason; nobody got the same message twice; nothing was sent twice.
 */
/** Status of a result: top level when accepted, under `details` in an error item. */
const statusOf = (json: IDataObject) =>
	json.error ? (json.details as IDataObject).status : json.status;
/** Recipient of a result, wherever the item keeps it. */
const recipientOf = (json: IDataObject) =>
	json.error ? (json.details as IDataObject).to : json.to;

function expectExactlyOnce(inputs: INodeExecutionData[], outputs: IDataObject[]) {
	expect(outputs).toHaveLength(inputs.length);
	const log = sentLog(sim);
	const texts = log.map((entry) => `${entry.to}:${(entry.payload.text as IDataObject)?.body}`);
	expect(new Set(texts).size).toBe(texts.length);
	outputs.forEach((output, index) => {
		const phone = String(inputs[index].json.phone).replace(/\D/g, '');
		expect(recipientOf(output)).toBe(`+${phone}`);
		const deliveries = log.filter((entry) => entry.to === phone);
		if (output.status === 'accepted') {
			expect(deliveries.map((entry) => entry.id)).toEqual([output.wamid]);
		} else {
			expect(Object.keys(output).sort()).toEqual(['details', 'error', 'message']);
			expect(['failed', 'unknown']).toContain(statusOf(output));
			expect(String(output.error)).not.toBe('');
			if (statusOf(output) === 'failed') expect(deliveries).toHaveLength(0);
			else expect(deliveries.length).toBeLessThanOrEqual(1);
		}
	});
	return log;
}

describe('workflow: several items, some bad, error output to a template send', () => {
	it('sends the good ones, routes 131047 and invalid items to the error output, and the template reaches the closed-window ones', async () => {
		const workflow = {
			nodes: [
				{
					id: '1',
					name: 'Start',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				{
					id: '2',
					name: 'Send Text',
					type: 'n8n-nodes-meta-business.whatsAppSend',
					typeVersion: 1,
					position: [200, 0],
					onError: 'continueErrorOutput',
					parameters: {
						authentication: 'accessToken',
						...messageParameters('sendText', {
							to: '={{ $json.phone }}',
							text: '={{ $json.text }}',
						}),
					},
				},
				{
					id: '3',
					name: 'Sent',
					type: 'n8n-nodes-base.noOp',
					typeVersion: 1,
					position: [400, -100],
					parameters: {},
				},
				{
					id: '4',
					name: 'Send Template',
					type: 'n8n-nodes-meta-business.whatsAppSend',
					typeVersion: 1,
					position: [400, 100],
					onError: 'continueRegularOutput',
					parameters: {
						authentication: 'accessToken',
						...messageParameters('sendTemplate', {
							wabaId: locator(WABA_ID),
							to: '={{ $json.phone }}',
							template: locator('appointment_reminder|en_US', 'list'),
							templateParameters: {
								mappingMode: 'defineBelow',
								value: {
									body_customer_name: '={{ $json.name }}',
									body_date: 'May 3',
									body_time: '10:00',
								},
								schema: [],
							},
						}),
					},
				},
			],
			connections: {
				Start: { main: [[{ node: 'Send Text', type: 'main', index: 0 }]] },
				'Send Text': {
					main: [
						[{ node: 'Sent', type: 'main', index: 0 }],
						[{ node: 'Send Template', type: 'main', index: 0 }],
					],
				},
			},
		};
		const items: INodeExecutionData[] = [
			{ json: { phone: `+${RECENT}`, name: 'Ana', text: 'Your order is ready' } },
			{ json: { phone: `+${OLD}`, name: 'Bruno', text: 'Your order is ready' } },
			{ json: { phone: 'not a number', name: 'Nobody', text: 'Your order is ready' } },
			{ json: { phone: `00${NEVER}`, name: 'Carla', text: 'Your order is ready' } },
			{ json: { phone: '+1 555-010-0101', name: 'Dave', text: 'Your order is ready' } },
			{ json: { phone: `+${RECENT}`, name: 'Ana', text: 'x'.repeat(5000) } },
		];
		const { outputs, error } = await runWorkflow(
			workflow as unknown as Parameters<typeof runWorkflow>[0],
			{
				credentials: credentialsFor(sim),
				triggerItems: { Start: items },
			},
		);
		expect(error).toBeUndefined();

		const [sentItems, errorItems] = outputs['Send Text'];
		expect(sentItems.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 4 }]);
		expect(jsonOf(sentItems)).toEqual([
			expect.objectContaining({
				status: 'accepted',
				to: `+${RECENT}`,
				wamid: expect.stringMatching(/^wamid\./),
			}),
			expect.objectContaining({
				status: 'accepted',
				to: '+15550100101',
				wamid: expect.stringMatching(/^wamid\./),
			}),
		]);
		expect(errorItems.map((item) => item.pairedItem)).toEqual([
			{ item: 1 },
			{ item: 2 },
			{ item: 3 },
			{ item: 5 },
		]);
		const errors = jsonOf(errorItems);
		expect(errors[0]).toMatchObject({
			phone: `+${OLD}`,
			message: expect.stringMatching(/\S/),
			details: {
				status: 'failed',
				code: 131047,
				to: `+${OLD}`,
				type: 'text',
				phoneNumberId: expect.any(String),
				itemIndex: 1,
			},
		});
		expect(String(errors[0].error)).toMatch(/More than 24 hours since the customer last wrote/);
		expect(errors[1]).toMatchObject({ phone: 'not a number', details: { status: 'failed' } });
		expect(String(errors[1].error)).toMatch(/Item 3: 'not a number' is not a phone number/);
		expect(errors[2]).toMatchObject({ details: { status: 'failed', code: 131047 } });
		expect(String(errors[3].error)).toMatch(/Text \(item 6\): is 5000 characters long/);

		const templateResults = jsonOf(outputs['Send Template'][0]);
		expect(templateResults).toHaveLength(4);
		expect(templateResults[0]).toMatchObject({
			status: 'accepted',
			to: `+${OLD}`,
			template: 'appointment_reminder',
		});
		expect(templateResults[1]).toMatchObject({ details: { status: 'failed' } });
		expect(templateResults[2]).toMatchObject({ status: 'accepted', to: `+${NEVER}` });
		expect(templateResults[3]).toMatchObject({ status: 'accepted', to: `+${RECENT}` });

		// What Meta received: 4 text sends (the 2 invalid items never left n8n), then 3 templates.
		const requests = messageRequests(sim).map((request) => [
			(request.body as IDataObject).type,
			(request.body as IDataObject).to,
			request.errorCode,
		]);
		expect(requests).toEqual(
			expect.arrayContaining([
				['text', `+${RECENT}`, undefined],
				['text', `+${OLD}`, 131047],
				['text', `+${NEVER}`, 131047],
				['text', '+15550100101', undefined],
				['template', `+${OLD}`, undefined],
				['template', `+${NEVER}`, undefined],
				['template', `+${RECENT}`, undefined],
			]),
		);
		expect(requests).toHaveLength(7);
		const log = sentLog(sim).map((entry) => `${entry.type}:${entry.to}`);
		expect(log.sort()).toEqual(
			[
				`text:${RECENT}`,
				'text:15550100101',
				`template:${OLD}`,
				`template:${NEVER}`,
				`template:${RECENT}`,
			].sort(),
		);
		const templatePayload = sentLog(sim).find((entry) => entry.to === OLD)!.payload as any;
		expect(templatePayload.template.components[0].parameters[0]).toEqual({
			type: 'text',
			text: 'Bruno',
			parameter_name: 'customer_name',
		});
	});
});

describe('bulk pacing and output order', () => {
	it('sends many items concurrently, one output per input in input order', async () => {
		const inputs = textItems(recipients.map((waId) => `+${waId}`));
		const { outputs, error } = await runWhatsApp(sim, bulkText(), { items: inputs });
		expect(error).toBeUndefined();
		const results = jsonOf(outputs[0]);
		expect(results.every((result) => result.status === 'accepted')).toBe(true);
		expect(outputs[0].map((item) => item.pairedItem)).toEqual(inputs.map((_, item) => ({ item })));
		expectExactlyOnce(inputs, results);
		expect(messageRequests(sim)).toHaveLength(inputs.length);
	});

	it('stops on the first bad item before sending anything when Continue On Fail is off', async () => {
		const inputs = textItems([`+${RECENT}`, 'nope', '+15550100101']);
		const { error } = await runWhatsApp(sim, bulkText(), { items: inputs });
		expect(error?.message).toMatch(/Item 2: 'nope' is not a phone number/);
		expect(messageRequests(sim)).toHaveLength(0);
	});

	it('without Continue On Fail a Meta error stops new sends and says how many were already sent', async () => {
		const inputs = textItems([
			`+${RECENT}`,
			`+${OLD}`,
			...recipients.slice(0, 3).map((waId) => `+${waId}`),
		]);
		const { error } = await runWhatsApp(sim, bulkText({ maxParallelRequests: 1 }), {
			items: inputs,
		});
		expect(JSON.stringify(error)).toMatch(/131047/);
		expect(String(error?.description)).toMatch(/1 other item\(s\) of this run were already sent/);
		expect(sentLog(sim)).toHaveLength(1);
		expect(messageRequests(sim)).toHaveLength(2);
	});

	it('without Continue On Fail, sends still waiting for their slot are not made after a failure', async () => {
		const inputs = textItems([`+${OLD}`, ...recipients.slice(0, 9).map((waId) => `+${waId}`)]);
		// 5 per second: the failure of the first send is known long before the next slot.
		const { error } = await runWhatsApp(
			sim,
			bulkText({ messagesPerSecond: 5, maxParallelRequests: 10 }),
			{
				items: inputs,
			},
		);
		expect(JSON.stringify(error)).toMatch(/131047/);
		expect(messageRequests(sim)).toHaveLength(1);
		expect(sentLog(sim)).toHaveLength(0);
	});
});

describe('faults: every item sent exactly once or reported with its reason', () => {
	/** 20 texts with `times` sends hit by the fault; checks the exactly-once invariant. */
	async function sendTwentyWithFault(
		kind: 'http500' | 'reset' | 'dropAfterProcessing',
		times: number,
	) {
		sim.control.injectFault({ kind, method: 'POST', path: '/messages$', times });
		const items = textItems(recipients.slice(0, 20).map((waId) => `+${waId}`));
		const { outputs } = await runWhatsApp(sim, bulkText(), {
			items,
			settings: { onError: 'continueRegularOutput' },
		});
		const results = jsonOf(outputs[0]);
		expectExactlyOnce(items, results);
		return results;
	}

	it('injected HTTP 500s: those items are reported, never resent', async () => {
		const results = await sendTwentyWithFault('http500', 3);
		const notAccepted = results.filter((result) => statusOf(result) !== 'accepted');
		expect(notAccepted).toHaveLength(3);
		// A 5xx does not prove Meta dropped the message: reported as unknown, with the error code.
		for (const result of notAccepted) {
			expect(result).toMatchObject({ details: { status: 'unknown', code: 1 } });
			expect(String(result.error)).toMatch(
				/Outcome unknown: Meta answered with a server error \(HTTP 500, code 1\)/,
			);
		}
		expect(sentLog(sim)).toHaveLength(17);
		expect(messageRequests(sim)).toHaveLength(20);
	});

	it('connection reset before Meta processed it: reported unknown, not resent', async () => {
		const results = await sendTwentyWithFault('reset', 2);
		const notAccepted = results.filter((result) => statusOf(result) !== 'accepted');
		expect(notAccepted).toHaveLength(2);
		expect(notAccepted.every((result) => statusOf(result) === 'unknown')).toBe(true);
		expect(messageRequests(sim)).toHaveLength(20);
		expect(sentLog(sim)).toHaveLength(18);
	});

	it('dropped after Meta processed it: reported unknown, delivered exactly once, not resent', async () => {
		const results = await sendTwentyWithFault('dropAfterProcessing', 2);
		const unknown = results.filter((result) => statusOf(result) === 'unknown');
		expect(unknown).toHaveLength(2);
		expect(String(unknown[0].error)).toMatch(/Outcome unknown: no readable answer from Meta/);
		expect(String(unknown[0].message)).toMatch(/NOT sent again/);
		for (const result of unknown) {
			expect(sentLog(sim).filter((entry) => `+${entry.to}` === recipientOf(result))).toHaveLength(
				1,
			);
		}
		expect(sentLog(sim)).toHaveLength(20);
		expect(messageRequests(sim)).toHaveLength(20);
	});

	it.each([400, 429] as const)(
		'throughput 130429 (HTTP %i): the pace slows and only the throttled items are retried',
		async (httpStatus) => {
			sim.control.setSettings({ throughputPerSecond: 10, whatsappThrottleHttpStatus: httpStatus });
			const items = textItems(recipients.slice(0, 30).map((waId) => `+${waId}`));
			const { outputs } = await runWhatsApp(sim, bulkText({ messagesPerSecond: 80 }), {
				items,
				settings: { onError: 'continueRegularOutput' },
			});
			const results = jsonOf(outputs[0]);
			expectExactlyOnce(items, results);
			expect(results.every((result) => result.status === 'accepted')).toBe(true);
			const throttled = messageRequests(sim).filter((request) => request.errorCode === 130429);
			expect(throttled.length).toBeGreaterThan(0);
			expect(messageRequests(sim)).toHaveLength(30 + throttled.length);
			expect(sentLog(sim)).toHaveLength(30);
		},
	);

	it('pair rate 131056: only the affected item waits and is retried', async () => {
		sim.control.setSettings({ pairRateBurst: 2, pairRateWindowMs: 800 });
		const items = [
			{ json: { phone: `+${RECENT}`, text: 'one' } },
			{ json: { phone: `+${RECENT}`, text: 'two' } },
			{ json: { phone: `+${RECENT}`, text: 'three' } },
			{ json: { phone: '+15550100101', text: 'other' } },
		];
		const { outputs } = await runWhatsApp(sim, bulkText({ maxParallelRequests: 1 }), {
			items,
			settings: { onError: 'continueRegularOutput' },
		});
		const results = jsonOf(outputs[0]);
		expect(results.map((result) => result.status)).toEqual([
			'accepted',
			'accepted',
			'accepted',
			'accepted',
		]);
		const paired = messageRequests(sim).filter((request) => request.errorCode === 131056);
		expect(paired).toHaveLength(1);
		expect(messageRequests(sim)).toHaveLength(5);
		expect(sentLog(sim).map((entry) => (entry.payload.text as IDataObject).body)).toEqual([
			'one',
			'two',
			'three',
			'other',
		]);
	});
});

describe('sent from the phone number the user chose', () => {
	it('every message in a bulk run uses the same sender', async () => {
		const items = textItems(recipients.slice(0, 5).map((waId) => `+${waId}`));
		await runWhatsApp(sim, bulkText(), { items });
		expect(new Set(sentLog(sim).map((entry) => entry.phoneNumberId))).toEqual(new Set([PHONE_ID]));
	});
});

/**
 * Bulk template sends and the business portfolio messaging limit, over real HTTP against the
 * simulator: the node reads the sender's tier before the first send and stops BEFORE the limit
 * (items beyond it fail, nothing half-way); people in their service window and people already
 * reached do not count; Warn sends everything and says so; Ignore does not read the limit. The
 * simulator enforces the limit itself (a send beyond it is accepted and fails in its status).
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { RunningSimulator } from '../../simulator';
import {
	PHONE_ID,
	WABA_ID,
	jsonOf,
	locator,
	messageParameters,
	messageRequests,
	runWhatsApp,
	sentLog,
	useWhatsAppSimulator,
} from './fixtures';

let sim: RunningSimulator;
useWhatsAppSimulator(
	(started) => (sim = started),
	{},
	(scenario) => {
		// A low tier: 50 different people per rolling 24 hours outside their service window.
		for (const phone of scenario.phoneNumbers ?? []) {
			if (phone.id === PHONE_ID) phone.messagingLimitTier = 'TIER_50';
		}
	},
);

const people = (count: number, from = 0) =>
	Array.from({ length: count }, (_, index) => `4477009${String(from + index).padStart(5, '0')}`);

function items(phones: string[], extra: IDataObject = {}): INodeExecutionData[] {
	return phones.map((phone) => ({ json: { phone, ...extra } }));
}

const helloWorld = (options: INodeParameters = {}) =>
	messageParameters('sendTemplate', {
		wabaId: locator(WABA_ID),
		to: '={{ $json.phone }}',
		template: locator('hello_world|en_US', 'list'),
		templateParameters: { mappingMode: 'defineBelow', value: {}, schema: [] },
		options,
	});

const limitReads = () =>
	sim.control
		.requests()
		.filter((request) => request.path.endsWith(`/${PHONE_ID}`) && request.method === 'GET');

const statusOf = (json: IDataObject) =>
	json.error ? (json.details as IDataObject).status : json.status;

describe('bulk template send and the portfolio messaging limit', () => {
	it('bulk send stops before the limit: 50 sent, the other 5 fail without a request', async () => {
		const phones = people(55);
		const result = await runWhatsApp(sim, helloWorld(), {
			items: items(phones),
			settings: { onError: 'continueRegularOutput' },
		});
		const outputs = jsonOf(result.outputs[0]);
		expect(outputs).toHaveLength(55);
		expect(outputs.slice(0, 50).every((json) => json.status === 'accepted')).toBe(true);
		for (const json of outputs.slice(50)) {
			expect(statusOf(json)).toBe('failed');
			expect(String(json.error)).toContain("business portfolio's messaging limit");
			expect(String((json.details as IDataObject).description ?? json.message)).toMatch(
				/rolling 24 hours/,
			);
		}
		// The tier was read once, before the first send; nobody beyond the limit was messaged.
		expect(limitReads()).toHaveLength(1);
		const firstSend = sim.control
			.requests()
			.findIndex((request) => /\/messages$/.test(request.path));
		expect(sim.control.requests().indexOf(limitReads()[0])).toBeLessThan(firstSend);
		expect(messageRequests(sim)).toHaveLength(50);
		const log = sentLog(sim);
		expect(log.map((entry) => entry.to).sort()).toEqual(phones.slice(0, 50).sort());
		// The simulator, which enforces the limit too, found nothing beyond it.
		expect(log.filter((entry) => entry.asyncError !== undefined)).toHaveLength(0);
	});

	it('with "On Error" set to stop, a run that would pass the limit sends nothing', async () => {
		const result = await runWhatsApp(sim, helloWorld({ peopleReachedToday: 48 }), {
			items: items(people(3)),
		});
		expect(result.error?.message).toContain("business portfolio's messaging limit");
		expect(String(result.error?.description)).toContain('Nothing was sent');
		expect(messageRequests(sim)).toHaveLength(0);
	});

	it('people in their service window and people already reached today do not count', async () => {
		const phones = people(6, 100);
		const flags = [
			{ inWindow: true, reached: false },
			{ inWindow: false, reached: true },
			{ inWindow: false, reached: false },
			{ inWindow: true, reached: false },
			{ inWindow: false, reached: false },
			{ inWindow: false, reached: true },
		];
		const result = await runWhatsApp(
			sim,
			helloWorld({
				peopleReachedToday: '={{ 49 }}',
				inServiceWindow: '={{ $json.inWindow }}',
				alreadyReached: '={{ $json.reached }}',
			}),
			{
				items: phones.map((phone, index) => ({ json: { phone, ...flags[index] } })),
				settings: { onError: 'continueRegularOutput' },
			},
		);
		// 49 reached + one new person (item 2) = 50; item 4 is the 51st.
		expect(jsonOf(result.outputs[0]).map(statusOf)).toEqual([
			'accepted',
			'accepted',
			'accepted',
			'accepted',
			'failed',
			'accepted',
		]);
		expect(sentLog(sim).map((entry) => entry.to)).not.toContain(phones[4]);
	});

	it('Warn sends everything and warns; the simulator reports the messages beyond the limit failed', async () => {
		const result = await runWhatsApp(sim, helloWorld({ portfolioLimit: 'warn' }), {
			items: items(people(53, 200)),
		});
		expect(jsonOf(result.outputs[0]).every((json) => json.status === 'accepted')).toBe(true);
		expect(JSON.stringify(result.taskData?.hints ?? [])).toContain(
			'3 of 53 template message(s) go beyond',
		);
		const failed = sentLog(sim).filter((entry) => entry.asyncError === 131000);
		expect(failed).toHaveLength(3);
		expect(failed[0].asyncErrorDetails).toContain(
			'messaging limit (50 people per rolling 24 hours',
		);
	});

	it('Ignore does not read the limit', async () => {
		const result = await runWhatsApp(sim, helloWorld({ portfolioLimit: 'ignore' }), {
			items: items(people(2, 300)),
		});
		expect(jsonOf(result.outputs[0]).map(statusOf)).toEqual(['accepted', 'accepted']);
		expect(limitReads()).toHaveLength(0);
	});

	it('text sends are not planned (no limit read)', async () => {
		await runWhatsApp(sim, messageParameters('sendText', { text: 'Hi' }));
		expect(limitReads()).toHaveLength(0);
	});

	it.each([
		['portfolioLimit', '={{ {a:1} }}', 'Portfolio Messaging Limit'],
		['portfolioLimit', '={{ "sometimes" }}', 'Portfolio Messaging Limit'],
		['peopleReachedToday', '={{ null }}', 'People Reached in Last 24 Hours'],
		['peopleReachedToday', '={{ ["a","b"] }}', 'People Reached in Last 24 Hours'],
		['peopleReachedToday', '={{ 2.5 }}', 'People Reached in Last 24 Hours'],
		['inServiceWindow', '={{ $json.missing }}', 'Recipient in Service Window'],
		['alreadyReached', '={{ "maybe" }}', 'Recipient Already Reached Today'],
	])('%s = %s is refused before any request, naming the field', async (key, value, label) => {
		const result = await runWhatsApp(sim, helloWorld({ [key]: value }), {
			items: items(people(1, 400)),
		});
		expect(result.error?.message).toContain(label);
		expect(result.error?.message).not.toMatch(/\[object Object\]|undefined/);
		expect(messageRequests(sim)).toHaveLength(0);
		expect(limitReads()).toHaveLength(0);
	});
});

/**
 * Replying to whoever wrote: a recipient given as a business-scoped user id (what the Meta Trigger
 * reports for users whose phone number Meta withholds) goes out in `recipient`, the field Meta
 * requires for it; in `to` Meta would take it for a phone number, answer 200 and deliver nothing.
 */
import { isBusinessScopedUserId } from '../../nodes/Meta/WhatsApp/helpers/recipient';
import type { RunningSimulator } from '../../simulator';
import {
	NEVER,
	PHONE_ID,
	messageParameters,
	messageRequests,
	runWhatsApp,
	sentLog,
	useWhatsAppSimulator,
} from './fixtures';

let sim: RunningSimulator;
useWhatsAppSimulator((started) => (sim = started));

const BSUID = 'US.13491208655302741918';

describe('WhatsApp Send to a business-scoped user id', () => {
	it.each([
		['US.13491208655302741918', true],
		['US.ENT.11815799212886844830', true],
		[' US.13491208655302741918 ', false],
		['us.13491208655302741918', false],
		['US.1349', false],
		['+1 650 555 1234', false],
	])('%s is a BSUID: %s', (value, expected) => {
		expect(isBusinessScopedUserId(value)).toBe(expected);
	});

	it('a reply to a user known only by BSUID goes in `recipient` and reaches them', async () => {
		// The user writes (opening the window); the trigger would hand over fromUserId.
		await sim.control.inboundWhatsApp({
			phoneNumberId: PHONE_ID,
			from: NEVER,
			userId: BSUID,
			text: 'hi',
		});
		const { outputs, error } = await runWhatsApp(
			sim,
			messageParameters('sendText', { to: `={{ $json.fromUserId }}`, text: 'Thanks for writing!' }),
			{ items: [{ json: { fromUserId: ` ${BSUID}\u200b` } }] },
		);
		expect(error).toBeUndefined();
		const [request] = messageRequests(sim);
		expect(request.body).toMatchObject({
			recipient_type: 'individual',
			recipient: BSUID,
			type: 'text',
		});
		expect(request.body).not.toHaveProperty('to');
		expect(request.status).toBe(200);
		expect(outputs[0][0].json).toMatchObject({ status: 'accepted', to: BSUID });
		expect(sentLog(sim).map((message) => [message.to, message.input])).toEqual([[NEVER, BSUID]]);
	});

	it('an unknown BSUID is refused by Meta (131026), after the node sent it in `recipient`', async () => {
		const { error } = await runWhatsApp(
			sim,
			messageParameters('sendText', { to: 'US.99999999999999999999', text: 'x' }),
		);
		expect(String(error?.message)).toMatch(/131026|undeliverable/i);
		expect((messageRequests(sim)[0].body as Record<string, unknown>).recipient).toBe(
			'US.99999999999999999999',
		);
		expect(sentLog(sim)).toHaveLength(0);
	});

	it('a value that is neither a phone number nor a BSUID still stops before any request', async () => {
		const { error } = await runWhatsApp(
			sim,
			messageParameters('sendText', { to: 'US.12', text: 'x' }),
		);
		expect(String(error?.message)).toMatch(/is not a phone number/);
		expect(String(error?.description)).toMatch(/business-scoped user ID/);
		expect(messageRequests(sim)).toHaveLength(0);
	});
});

/**
 * The simulator's WhatsApp domain serves Meta's 2026 platform fields itself (no onboarding overlay):
 * `primary_funding_id` and `whatsapp_business_manager_messaging_limit` on the WhatsApp Business
 * Account, `is_pin_enabled` per number, directly and by field expansion; the PIN the onboarding
 * routes set (two-step verification, register) is the one `is_pin_enabled` reports.
 */
import { createHmac } from 'node:crypto';

import { startSimulator } from '../../simulator';
import type { RunningSimulator } from '../../simulator/types';
import { APP_SECRET, BAKERY, FAILING_PHONE, PARTNER_TOKEN, PARTNER_WABA } from './fixtures';

let sim: RunningSimulator;
beforeAll(async () => {
	sim = await startSimulator('onboarding');
});
afterAll(async () => {
	await sim.stop();
});
beforeEach(() => sim.control.reset());

async function graph(
	method: 'GET' | 'POST',
	pathname: string,
	params: Record<string, string> = {},
) {
	const query = new URLSearchParams({
		...params,
		access_token: PARTNER_TOKEN,
		appsecret_proof: createHmac('sha256', APP_SECRET).update(PARTNER_TOKEN).digest('hex'),
	});
	const response = await fetch(`${sim.baseUrl}/v26.0${pathname}?${query.toString()}`, { method });
	return { status: response.status, body: (await response.json()) as Record<string, any> };
}

describe("simulator: Meta's 2026 platform fields", () => {
	it('a WhatsApp Business Account shows its funding id and messaging limit, its numbers their PIN state (nested read)', async () => {
		const { status, body } = await graph('GET', `/${PARTNER_WABA}`, {
			fields:
				'primary_funding_id,whatsapp_business_manager_messaging_limit,phone_numbers{id,is_pin_enabled}',
		});
		expect(status).toBe(200);
		expect(body.primary_funding_id).toMatch(/^20\d+$/);
		expect(body.whatsapp_business_manager_messaging_limit).toMatch(/^TIER_/);
		const pins = Object.fromEntries(
			(body.phone_numbers.data as Array<{ id: string; is_pin_enabled: boolean }>).map((phone) => [
				phone.id,
				phone.is_pin_enabled,
			]),
		);
		// Seeded with a two-step PIN in the scenario; the others have none.
		expect(pins[FAILING_PHONE.pinMismatch]).toBe(true);
		expect(pins[FAILING_PHONE.limitReached]).toBe(false);
	});

	it('an account listed without payment method shows no primary_funding_id', async () => {
		const { body } = await graph('GET', `/${BAKERY.waba}`, { fields: 'id,primary_funding_id' });
		expect(body).toEqual({ id: BAKERY.waba });
	});

	it('setting a two-step PIN turns is_pin_enabled on, and register then checks that PIN', async () => {
		const phone = FAILING_PHONE.limitReached;
		expect(
			(await graph('GET', `/${phone}`, { fields: 'is_pin_enabled' })).body.is_pin_enabled,
		).toBe(false);
		expect((await graph('POST', `/${phone}`, { pin: '246810' })).body).toEqual({ success: true });
		expect(
			(await graph('GET', `/${phone}`, { fields: 'is_pin_enabled' })).body.is_pin_enabled,
		).toBe(true);
		const mismatch = await graph('POST', `/${FAILING_PHONE.pinMismatch}/register`, {
			messaging_product: 'whatsapp',
			pin: '999999',
		});
		expect(mismatch.body.error?.code).toBe(133005);
	});
});

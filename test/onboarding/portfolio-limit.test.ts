/**
 * The portfolio messaging limit plan WhatsApp Send's bulk template sender uses (pure logic): a bulk
 * send stops before the limit instead of failing half-way; people in their service window and
 * repeats do not count.
 */
import {
	planPortfolioSends,
	overLimitMessage,
	portfolioLimitOf,
} from '../../nodes/Meta/shared/whatsappLimits';

const people = (count: number, from = 0) =>
	Array.from({ length: count }, (_, index) => `4915550${String(from + index).padStart(5, '0')}`);

describe('portfolio messaging limit plan', () => {
	it('a TIER_250 portfolio with 240 people counted sends to 10 new people and stops the rest before sending', () => {
		const plan = planPortfolioSends({
			tier: 'TIER_250',
			recipients: people(25, 1000),
			alreadyCounted: people(240),
		});
		expect(plan.decisions.filter((decision) => decision === 'send')).toHaveLength(10);
		expect(plan.decisions.slice(10).every((decision) => decision === 'overLimit')).toBe(true);
		expect(plan).toMatchObject({ limit: 250, countedAfter: 250, overLimit: 15 });
		expect(overLimitMessage(plan, 'TIER_250')).toContain('250 people per rolling 24 hours');
	});

	it('people in their service window and repeats do not count', () => {
		const recipients = [...people(3), ...people(3), ...people(2, 500)];
		const plan = planPortfolioSends({
			tier: 'TIER_50',
			recipients,
			alreadyCounted: people(49, 100),
			inServiceWindow: people(2, 500),
		});
		expect(plan.decisions).toEqual([
			'send',
			'overLimit',
			'overLimit',
			'repeat',
			'overLimit',
			'overLimit',
			'free',
			'free',
		]);
	});

	it('a reserve keeps places free; unlimited and unknown tiers never stop', () => {
		expect(
			planPortfolioSends({
				tier: 'TIER_250',
				recipients: people(5),
				alreadyCounted: people(240, 10),
				reserve: 8,
			}).overLimit,
		).toBe(3);
		expect(planPortfolioSends({ tier: 'TIER_UNLIMITED', recipients: people(500) }).overLimit).toBe(
			0,
		);
		expect(portfolioLimitOf('UNTIERED')).toBeUndefined();
		expect(planPortfolioSends({ tier: 'UNTIERED', recipients: people(5) }).limit).toBeUndefined();
	});
});

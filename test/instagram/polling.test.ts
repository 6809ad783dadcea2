/** The status poll cadence: fast while images and short videos usually finish, then backing off. */
import { pollDelay } from '../../nodes/Meta/Instagram/helpers/publishing';

it('polls every 100 ms during the first 3 seconds', () => {
	for (const elapsed of [0, 1000, 2000, 2999]) expect(pollDelay(elapsed)).toBe(100);
});

it('never polls faster as time goes on, and ends near Meta\'s advice of about once a minute', () => {
	let previous = 0;
	for (let elapsed = 0; elapsed <= 15 * 60 * 1000; elapsed += 500) {
		const delay = pollDelay(elapsed);
		expect(delay).toBeGreaterThanOrEqual(previous);
		previous = delay;
	}
	expect(pollDelay(10_000)).toBe(1000);
	expect(pollDelay(60_000)).toBe(6000);
	expect(pollDelay(5 * 60 * 1000)).toBe(30_000);
	expect(pollDelay(60 * 60 * 1000)).toBe(30_000);
});

import { normalizeRecipient } from '../../nodes/Meta/WhatsApp/helpers/recipient';

describe('normalizeRecipient (E.164)', () => {
	it.each([
		['+1 650 555 1234', '+16505551234'],
		['+1 (650) 555-1234', '+16505551234'],
		['0044 20 7946 0958', '+442079460958'],
		['351.910.000.101', '+351910000101'],
		[' 49 151 2345 6789 ', '+4915123456789'],
		[4915123456789, '+4915123456789'],
	])('%s -> %s', (input, expected) => {
		expect(normalizeRecipient(input)).toBe(expected);
	});

	it.each([
		['', 'empty'],
		['call me', 'letters'],
		['0151 2345 6789', 'a national number with a trunk 0'],
		['+1 555', 'too short'],
		['+1234567890123456', 'more than 15 digits'],
		['+44 20 7946 0958 ext 12', 'an extension'],
		['++44 20 7946 0958', 'two plus signs'],
	])('%s is not a phone number (%s)', (input) => {
		expect(normalizeRecipient(input)).toBeUndefined();
	});
});

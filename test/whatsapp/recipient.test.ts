import { checkRecipient, normalizeRecipient } from '../../nodes/Meta/WhatsApp/helpers/recipient';

describe('normalizeRecipient (E.164)', () => {
	it.each([
		['+1 650 555 1234', '+16505551234'],
		['+1 (650) 555-1234', '+16505551234'],
		['0044 20 7946 0958', '+442079460958'],
		['351.910.000.101', '+351910000101'],
		[' 49 151 2345 6789 ', '+4915123456789'],
		[4915123456789, '+4915123456789'],
		['\u202a+351 910 000 101\u202c', '+351910000101'],
		['\u200e+44\u00a020 7946 0958\u200f', '+442079460958'],
		['\ufeff\u2066+1 650 555 1234\u2069\u200b', '+16505551234'],
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
		['910 000 101', 'a local number without country code'],
		['+910000101', 'too short for its country code (India has 10-digit numbers)'],
		['+1 650 555 123', 'too short for North America'],
		['020 7946 0958', 'a local number with its trunk 0'],
	])('%s is not a phone number (%s)', (input) => {
		expect(normalizeRecipient(input)).toBeUndefined();
	});
});

describe('checkRecipient says why', () => {
	it.each([
		['910 000 101', 'local'],
		['020 7946 0958', 'local'],
		['+1 555', 'format'],
		['call me', 'format'],
	])('%s -> %s', (input, problem) => {
		expect(checkRecipient(input)).toEqual({ problem });
	});
});

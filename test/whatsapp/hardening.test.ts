/**
 * Hardening of WhatsApp Send against the simulator: values of the wrong kind from expressions are
 * refused before any request (never sent as "null", "undefined", "[object Object]" or "a,b"), an
 * unreadable 200 is an unknown outcome (never accepted, never resent), numbers typed in local
 * format or carrying invisible marks, Callback Data over Meta's limit, Template Get Many with
 * limit 0, and a token revoked in the middle of a bulk run.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { WhatsAppSend } from '../../nodes/Meta/WhatsApp/WhatsAppSend.node';
import { binaryItem, executeNode } from '../helpers/harness';
import type { RunningSimulator } from '../../simulator';
import {
	PHONE_ID,
	RECENT,
	TOKEN,
	WABA_ID,
	jsonOf,
	locator,
	messageParameters,
	messageRequests,
	runWhatsApp,
	sentLog,
	useWhatsAppSimulator,
} from './fixtures';

const RECIPIENT_COUNT = 10;
const recipients = Array.from(
	{ length: RECIPIENT_COUNT },
	(_, n) => `4420791${String(n).padStart(5, '0')}`,
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

const continueOnFail = { settings: { onError: 'continueRegularOutput' as const } };
const statusOf = (json: IDataObject) =>
	json.error ? (json.details as IDataObject).status : json.status;
const lastBody = () => messageRequests(sim).at(-1)?.body as IDataObject;

/** The node stops with a NodeOperationError before any request, without echoing a bad value. */
async function expectRefused(
	parameters: INodeParameters,
	pattern: RegExp,
	items: INodeExecutionData[] = [{ json: { name: 'Ana' } }],
) {
	const { error } = await runWhatsApp(sim, parameters, { items });
	expect(error).toBeDefined();
	expect(error?.message).toMatch(pattern);
	expect(error?.message).not.toMatch(/\[object Object\]|'undefined'|'null'|'a,b'/);
	// A template's parameters are known from its definition: that read is the only request.
	const reads = parameters.operation === 'sendTemplate' ? /\/message_templates$/ : /^$/;
	expect(sim.control.requests().filter((request) => !reads.test(request.path))).toHaveLength(0);
}

describe('an unreadable 200 is an unknown outcome, never accepted and never resent', () => {
	it('a send answered with a body cut short: error item with status unknown, one request', async () => {
		sim.control.injectFault({ kind: 'malformedJson', method: 'POST', path: '/messages$' });
		const { outputs } = await runWhatsApp(
			sim,
			messageParameters('sendText', { text: '={{ $json.text }}' }),
			{ items: [{ json: { text: 'Hello' } }], ...continueOnFail },
		);
		const [result] = jsonOf(outputs[0]);
		expect(statusOf(result)).toBe('unknown');
		expect(result.wamid).toBeUndefined();
		expect(String(result.error)).toMatch(/Outcome unknown/);
		expect(String(result.message)).toMatch(/NOT sent again/);
		expect(messageRequests(sim)).toHaveLength(1);
	});

	it('without Continue On Fail the node fails instead of reporting a success', async () => {
		sim.control.injectFault({ kind: 'malformedJson', method: 'POST', path: '/messages$' });
		const { error } = await runWhatsApp(sim, messageParameters('sendText', { text: 'Hello' }));
		expect(error?.message).toMatch(/Outcome unknown/);
		expect(messageRequests(sim)).toHaveLength(1);
	});

	it('Media > Upload answered with a body cut short: status unknown, not repeated', async () => {
		sim.control.injectFault({ kind: 'malformedJson', method: 'POST', path: '/media$' });
		const { outputs } = await runWhatsApp(
			sim,
			{
				resource: 'media',
				operation: 'upload',
				phoneNumberId: locator(PHONE_ID),
				binaryPropertyName: 'data',
			},
			{
				items: [
					binaryItem(Buffer.from('%PDF-1.4\n%%EOF\n'), {
						mimeType: 'application/pdf',
						fileName: 'a.pdf',
					}),
				],
				...continueOnFail,
			},
		);
		const [result] = jsonOf(outputs[0]);
		expect(statusOf(result)).toBe('unknown');
		expect(String(result.error)).toMatch(/could not be read \(no id in it\)/);
		expect(sim.control.requests().filter((request) => /\/media$/.test(request.path))).toHaveLength(
			1,
		);
	});

	it.each([
		['DELETE', 'delete', 'unknown'],
		['GET', 'get', 'failed'],
	] as const)(
		'Media %s (%s) answered with a body cut short: status %s (a read is simply failed)',
		async (method, operation, status) => {
			sim.control.injectFault({ kind: 'malformedJson', method, path: '^/\\d+$' });
			const { outputs } = await runWhatsApp(
				sim,
				{ resource: 'media', operation, mediaId: '={{ $json.id }}' },
				{ items: [{ json: { id: '1037543291543636' } }], ...continueOnFail },
			);
			const [result] = jsonOf(outputs[0]);
			expect(statusOf(result)).toBe(status);
			expect(String(result.error)).toMatch(/could not be read/);
			expect(sim.control.requests()).toHaveLength(1);
		},
	);

	it('Send Template whose definition read is unreadable: failed, not "no such template", nothing sent', async () => {
		sim.control.injectFault({ kind: 'malformedJson', method: 'GET', path: '/message_templates$' });
		const { outputs } = await runWhatsApp(
			sim,
			messageParameters('sendTemplate', {
				wabaId: locator(WABA_ID),
				template: locator('appointment_reminder|en_US', 'list'),
				templateParameters: {
					mappingMode: 'defineBelow',
					value: { body_customer_name: 'Ana', body_date: 'May 3', body_time: '10:00' },
					schema: [],
				},
			}),
			continueOnFail,
		);
		const [result] = jsonOf(outputs[0]);
		expect(statusOf(result)).toBe('failed');
		expect(String(result.error)).toMatch(/could not be read \(no data in it\)/);
		expect(messageRequests(sim)).toHaveLength(0);
	});

	it('Send Media whose upload answer is unreadable sends no message (failed: nothing was sent)', async () => {
		sim.control.injectFault({ kind: 'malformedJson', method: 'POST', path: '/media$' });
		const { outputs } = await runWhatsApp(
			sim,
			messageParameters('sendMedia', {
				mediaType: 'document',
				mediaSource: 'binary',
				binaryPropertyName: 'data',
			}),
			{
				items: [
					binaryItem(Buffer.from('%PDF-1.4\n%%EOF\n'), {
						mimeType: 'application/pdf',
						fileName: 'a.pdf',
					}),
				],
				...continueOnFail,
			},
		);
		const [result] = jsonOf(outputs[0]);
		expect(statusOf(result)).toBe('failed');
		expect(String(result.error)).toMatch(/Upload of the media failed, so nothing was sent/);
		expect(messageRequests(sim)).toHaveLength(0);
	});
});

describe('values of the wrong kind from expressions are refused before any request', () => {
	it.each([
		[
			'null',
			'={{ null }}',
			/Text \(item 1\): expected text but the expression gave an empty value/,
		],
		[
			'undefined',
			'={{ undefined }}',
			/Text \(item 1\): expected text but the expression gave no value/,
		],
		[
			'a missing field',
			'={{ $json.missing }}',
			/Text \(item 1\): expected text but the expression gave no value/,
		],
		[
			'an object',
			'={{ { a: 1 } }}',
			/Text \(item 1\): expected text but the expression gave an object/,
		],
		[
			'a list',
			'={{ ["a", "b"] }}',
			/Text \(item 1\): expected text but the expression gave a list/,
		],
	])('Send Text: text from %s', async (_kind, text, pattern) => {
		await expectRefused(messageParameters('sendText', { text }), pattern);
	});

	it.each([
		['a list', '={{ ["a", "b"] }}'],
		['an object', '={{ { id: "wamid.1" } }}'],
	])('Reply To Message ID from %s', async (_kind, value) => {
		await expectRefused(
			messageParameters('sendText', { text: 'Hi', options: { replyToMessageId: value } }),
			/Reply To Message ID \(item 1\): expected text/,
		);
	});

	it('Mark as Read: message id from an object', async () => {
		await expectRefused(
			{ ...messageParameters('markAsRead'), messageId: '={{ { id: "wamid.1" } }}' },
			/Message ID \(item 1\): expected text but the expression gave an object/,
		);
	});

	it.each([
		['an object', '={{ { first: "Ana" } }}', /an object/],
		['a list', '={{ ["a", "b"] }}', /a list/],
		['true', '={{ true }}', /true\/false/],
	])('Send Template: a template parameter from %s', async (_kind, value, pattern) => {
		await expectRefused(
			messageParameters('sendTemplate', {
				wabaId: locator(WABA_ID),
				template: locator('appointment_reminder|en_US', 'list'),
				templateParameters: {
					mappingMode: 'defineBelow',
					value: { body_customer_name: value, body_date: 'May 3', body_time: '10:00' },
					schema: [],
				},
			}),
			pattern,
		);
	});

	it.each([
		['null', '={{ null }}'],
		["''", "={{ '' }}"],
		['[]', '={{ [] }}'],
		['true', '={{ true }}'],
		['text that is not a number', '={{ "north" }}'],
	])('Send Location: latitude from %s', async (_kind, latitude) => {
		await expectRefused(
			messageParameters('sendLocation', { latitude, longitude: 10 }),
			/Latitude \(item 1\): expected a number/,
		);
	});

	it('Send Location: latitude and longitude 0 given as 0 are sent as 0', async () => {
		const { error } = await runWhatsApp(
			sim,
			messageParameters('sendLocation', {
				latitude: '={{ $json.lat }}',
				longitude: '={{ $json.lng }}',
			}),
			{ items: [{ json: { lat: 0, lng: 0 } }] },
		);
		expect(error).toBeUndefined();
		expect(lastBody().location as IDataObject).toEqual({ latitude: 0, longitude: 0 });
	});

	it('Send Location: a location name from an object', async () => {
		await expectRefused(
			messageParameters('sendLocation', {
				latitude: 1,
				longitude: 2,
				options: { locationName: '={{ { a: 1 } }}' },
			}),
			/Location Name \(item 1\): expected text/,
		);
	});

	it('Send Media: a caption from a list', async () => {
		await expectRefused(
			messageParameters('sendMedia', {
				mediaType: 'image',
				mediaSource: 'url',
				mediaUrl: 'https://example.com/a.jpg',
				caption: '={{ ["a", "b"] }}',
			}),
			/Caption \(item 1\): expected text but the expression gave a list/,
		);
	});

	it('Send Media: a file name from null', async () => {
		await expectRefused(
			messageParameters('sendMedia', {
				mediaType: 'document',
				mediaSource: 'url',
				mediaUrl: 'https://example.com/a.pdf',
				fileName: '={{ null }}',
			}),
			/File Name \(item 1\): expected text/,
		);
	});

	it('Send Reaction: an emoji from null (empty would remove the reaction)', async () => {
		await expectRefused(
			messageParameters('sendReaction', { messageId: 'wamid.ABC', emoji: '={{ null }}' }),
			/Emoji \(item 1\): expected text/,
		);
	});

	it('Send Contacts: a formatted name from an object', async () => {
		await expectRefused(
			messageParameters('sendContacts', {
				contactsSource: 'fields',
				contacts: { contact: [{ formattedName: '={{ { a: 1 } }}' }] },
			}),
			/Contact 1 Formatted Name \(item 1\): expected text/,
		);
	});

	it('Send Interactive: a button title from a list, a footer from an object', async () => {
		await expectRefused(
			messageParameters('sendInteractive', {
				interactiveType: 'button',
				bodyText: 'Pick one',
				buttons: { button: [{ id: 'a', title: '={{ ["a", "b"] }}' }] },
			}),
			/Button 1 Title \(item 1\): expected text but the expression gave a list/,
		);
		await expectRefused(
			messageParameters('sendInteractive', {
				interactiveType: 'button',
				bodyText: 'Pick one',
				buttons: { button: [{ id: 'a', title: 'A' }] },
				options: { footerText: '={{ { a: 1 } }}' },
			}),
			/Footer Text \(item 1\): expected text but the expression gave an object/,
		);
	});

	it('the recipient from null', async () => {
		await expectRefused(
			messageParameters('sendText', { to: '={{ null }}', text: 'Hi' }),
			/Recipient Phone Number \(item 1\): expected text/,
		);
	});
});

describe('an added option whose expression gives nothing is refused, not taken as "not added"', () => {
	/** Refused with no request at all (not even a template definition read). */
	async function expectStopped(parameters: INodeParameters, message: string) {
		const { error, outputs } = await runWhatsApp(sim, parameters, {
			items: [{ json: { name: 'Ana' } }],
		});
		expect(outputs.flat()).toHaveLength(0);
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toBe(message);
		expect(`${error?.message} ${String(error?.description)}`).not.toMatch(
			/\bundefined\b|\[object Object\]/,
		);
		expect(sim.control.requests()).toHaveLength(0);
	}
	const template = (options: INodeParameters) =>
		messageParameters('sendTemplate', {
			wabaId: locator(WABA_ID),
			template: locator('appointment_reminder|en_US', 'list'),
			templateParameters: {
				mappingMode: 'defineBelow',
				value: { body_customer_name: 'Ana', body_date: 'May 3', body_time: '10:00' },
				schema: [],
			},
			options,
		});

	it.each([
		[
			'sendText',
			{ text: 'Hi' },
			'maxParallelRequests',
			'Max Parallel Requests',
			'={{ undefined }}',
			'no value',
		],
		[
			'sendText',
			{ text: 'Hi' },
			'messagesPerSecond',
			'Messages Per Second',
			'={{ null }}',
			'an empty value (null)',
		],
		[
			'sendReaction',
			{ messageId: 'wamid.1', emoji: 'x' },
			'messagesPerSecond',
			'Messages Per Second',
			'={{ $json.missing }}',
			'no value',
		],
	])('%s: %s', async (operation, extra, key, label, value, kind) => {
		await expectStopped(
			messageParameters(operation, { ...extra, options: { [key]: value } }),
			`${label} (item 1): was added but the expression gave ${kind}`,
		);
	});

	it.each([
		[
			'componentsJson',
			'={{ undefined }}',
			'Components (JSON) (item 1): was added but the expression gave no value',
		],
		[
			'portfolioLimit',
			'={{ null }}',
			'Portfolio Messaging Limit (item 1): was added but the expression gave an empty value (null)',
		],
		[
			'peopleReachedToday',
			'={{ undefined }}',
			'People Reached in Last 24 Hours (item 1): was added but the expression gave no value',
		],
		[
			'alreadyReached',
			'={{ null }}',
			'Recipient Already Reached Today (item 1): was added but the expression gave an empty value (null)',
		],
		[
			'inServiceWindow',
			'={{ $json.missing }}',
			'Recipient in Service Window (item 1): was added but the expression gave no value',
		],
		[
			'maxParallelRequests',
			'={{ null }}',
			'Max Parallel Requests (item 1): was added but the expression gave an empty value (null)',
		],
	])('Send Template: %s', async (key, value, message) => {
		await expectStopped(template({ [key]: value }), message);
	});

	it.each([
		[
			'maxParallelRequests',
			'={{ { a: 1 } }}',
			'Max Parallel Requests (item 1): expected a number but the expression gave an object',
		],
		[
			'messagesPerSecond',
			'={{ NaN }}',
			'Messages Per Second (item 1): expected a number but the expression gave a number that is not finite',
		],
		[
			'peopleReachedToday',
			'={{ ["a", "b"] }}',
			'People Reached in Last 24 Hours (item 1): expected a number but the expression gave a list',
		],
		[
			'portfolioLimit',
			'={{ "bogusOption" }}',
			'Portfolio Messaging Limit (item 1): "bogusOption" is not one of the choices',
		],
		[
			'inServiceWindow',
			'={{ { a: 1 } }}',
			'Recipient in Service Window (item 1): expected true or false but the expression gave an object',
		],
	])(
		'Send Template: a bad %s is refused before the template definition is read',
		async (key, value, message) => {
			await expectStopped(template({ [key]: value }), message);
		},
	);

	it('Send Interactive: Header Type', async () => {
		await expectStopped(
			messageParameters('sendInteractive', {
				interactiveType: 'button',
				bodyText: 'Pick one',
				buttons: { button: [{ id: 'a', title: 'A' }] },
				options: { headerType: '={{ null }}', headerText: 'Hello' },
			}),
			'Header Type (item 1): was added but the expression gave an empty value (null)',
		);
	});

	it.each([
		['={{ undefined }}', 'no value'],
		['={{ null }}', 'an empty value (null)'],
	])('Send Contacts: a phone type of %s', async (phoneType, kind) => {
		await expectStopped(
			messageParameters('sendContacts', {
				contactsSource: 'fields',
				contacts: { contact: [{ formattedName: 'Ana', phone: '+1 650 555 1234', phoneType }] },
			}),
			`Contact 1 Phone Type (item 1): was added but the expression gave ${kind}`,
		);
	});

	it.each([
		['status', 'Status', '={{ null }}', 'an empty value (null)'],
		['category', 'Category', '={{ undefined }}', 'no value'],
		['language', 'Language', '={{ $json.missing }}', 'no value'],
		['name', 'Name Contains', '={{ null }}', 'an empty value (null)'],
	])(
		'Template > Get Many: filter %s (not dropped, which would list every template)',
		async (key, label, value, kind) => {
			const { error } = await runWhatsApp(sim, {
				resource: 'template',
				operation: 'getMany',
				wabaId: locator(WABA_ID),
				returnAll: true,
				filters: { [key]: value },
			});
			expect(error?.message).toBe(`${label} (item 1): was added but the expression gave ${kind}`);
			expect(String(error?.description)).toContain(
				`Remove the filter ${label} or give ${label} a value.`,
			);
			expect(sim.control.requests()).toHaveLength(0);
		},
	);
});

describe('an operation or resource the node does not have', () => {
	it.each([
		[{ resource: 'message', operation: 'sendFax' }, /Operation "sendFax" is not supported/],
		[{ resource: 'media', operation: 'sendText' }, /Operation "sendText" is not supported/],
		[{ resource: 'contact', operation: 'get' }, /Resource "contact" is not supported/],
	])('%j: a clear error before any request', async (parameters, pattern) => {
		const { error } = await runWhatsApp(sim, { ...parameters, phoneNumberId: locator(PHONE_ID) });
		expect(error?.message).toMatch(pattern);
		expect(sim.control.requests()).toHaveLength(0);
	});
});

describe('recipients, callback data and limits', () => {
	it('a number typed in local format is refused with a clear message, not sent as +910000101', async () => {
		await expectRefused(
			messageParameters('sendText', { to: '={{ $json.phone }}', text: 'Hi' }),
			/Item 1: '910 000 101' looks like a local number without its country code/,
			[{ json: { phone: '910 000 101' } }],
		);
	});

	it.each([
		'+351 910 000 101',
		'00351 910-000-101',
		'(+351) 910 000 101',
		'\u202a+351 910 000 101\u202c\u200e',
		'\u200b351\u2066910000101\u2069\ufeff',
	])('%j is sent to +351910000101', async (phone) => {
		const { error, outputs } = await runWhatsApp(
			sim,
			messageParameters('sendText', { to: '={{ $json.phone }}', text: 'Hi' }),
			{ items: [{ json: { phone } }] },
		);
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toMatchObject({ status: 'accepted', to: `+${RECENT}` });
		expect(lastBody().to).toBe(`+${RECENT}`);
	});

	it('Callback Data over 512 characters is refused before sending; 512 is sent', async () => {
		await expectRefused(
			messageParameters('sendText', {
				text: 'Hi',
				options: { callbackData: '={{ "x".repeat(513) }}' },
			}),
			/Callback Data \(item 1\): is 513 characters long; Meta accepts at most 512/,
		);
		const { error } = await runWhatsApp(
			sim,
			messageParameters('sendText', { text: 'Hi', options: { callbackData: 'y'.repeat(512) } }),
		);
		expect(error).toBeUndefined();
		expect(lastBody().biz_opaque_callback_data).toBe('y'.repeat(512));
	});

	it.each([
		['0', 0],
		['-1', -1],
		['null from an expression', '={{ null }}'],
	])('Template Get Many with limit %s is refused (not an empty result)', async (_kind, limit) => {
		const { error } = await runWhatsApp(sim, {
			resource: 'template',
			operation: 'getMany',
			wabaId: locator(WABA_ID),
			returnAll: false,
			limit,
		});
		expect(error?.message).toMatch(/Limit \(item 1\): (must be at least 1|expected a number)/);
		expect(sim.control.requests()).toHaveLength(0);
	});
});

describe('Media > Download through the address the credential uses', () => {
	it('the media URL is on the origin the node called (localhost here), so the download works', async () => {
		const localhost = sim.baseUrl.replace('127.0.0.1', 'localhost');
		expect(localhost).not.toBe(sim.baseUrl);
		const credentials = { metaBusinessAccessTokenApi: { accessToken: TOKEN, baseUrl: localhost } };
		const uploaded = await executeNode({
			node: new WhatsAppSend(),
			parameters: {
				authentication: 'accessToken',
				resource: 'media',
				operation: 'upload',
				phoneNumberId: locator(PHONE_ID),
				binaryPropertyName: 'data',
			},
			items: [
				binaryItem(Buffer.from('%PDF-1.4\n%%EOF\n'), {
					mimeType: 'application/pdf',
					fileName: 'a.pdf',
				}),
			],
			credentials,
		});
		expect(uploaded.error).toBeUndefined();
		const mediaId = String(uploaded.outputs[0][0].json.id);
		const { outputs, error } = await executeNode({
			node: new WhatsAppSend(),
			parameters: {
				authentication: 'accessToken',
				resource: 'media',
				operation: 'download',
				mediaId,
				binaryPropertyName: 'data',
			},
			credentials,
		});
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toMatchObject({ id: mediaId, mimeType: 'application/pdf' });
		const download = sim.control.requests().find((request) => /attachments/.test(request.path));
		expect(download?.status).toBe(200);
	});
});

describe('a token revoked in the middle of a bulk run', () => {
	/** Revokes the token once `after` sends reached the simulator. */
	function revokeAfter(after: number): () => void {
		const timer = setInterval(() => {
			if (messageRequests(sim).length >= after) {
				sim.control.revokeToken(TOKEN);
				clearInterval(timer);
			}
		}, 2);
		return () => clearInterval(timer);
	}
	const items = recipients.map((waId, n) => ({
		json: { phone: `+${waId}`, text: `Message ${n}` },
	}));
	const parameters = messageParameters('sendText', {
		to: '={{ $json.phone }}',
		text: '={{ $json.text }}',
		options: { messagesPerSecond: 5, maxParallelRequests: 1 },
	});

	it('with Continue On Fail: stops after the first 190, the rest are reported as not sent', async () => {
		const stop = revokeAfter(3);
		const { outputs, error } = await runWhatsApp(sim, parameters, { items, ...continueOnFail });
		stop();
		expect(error).toBeUndefined();
		const results = jsonOf(outputs[0]);
		expect(results).toHaveLength(items.length);
		expect(outputs[0].map((item) => item.pairedItem)).toEqual(items.map((_, item) => ({ item })));
		expect(results.slice(0, 3).map(statusOf)).toEqual(['accepted', 'accepted', 'accepted']);
		expect(results[3]).toMatchObject({ details: { status: 'failed', code: 190 } });
		for (const result of results.slice(4)) {
			expect(statusOf(result)).toBe('failed');
			expect(String(result.error)).toMatch(/Not sent: the access token stopped working/);
			expect(String(result.message)).toMatch(/3 item\(s\) of this run were sent before/);
		}
		expect(messageRequests(sim)).toHaveLength(4);
		expect(sentLog(sim)).toHaveLength(3);
	});

	it('without Continue On Fail: the node fails and says how many were already sent', async () => {
		const stop = revokeAfter(3);
		const { error } = await runWhatsApp(sim, parameters, { items });
		stop();
		expect(JSON.stringify(error)).toMatch(/190/);
		expect(String(error?.description)).toMatch(/3 other item\(s\) of this run were already sent/);
		expect(messageRequests(sim)).toHaveLength(4);
	});
});

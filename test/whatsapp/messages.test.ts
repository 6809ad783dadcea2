/**
 * WhatsApp Send, Message resource: every operation and option against the simulator over real
 * HTTP, Meta's synchronous errors, and input validation that stops before any request.
 */
import type { INodeParameters } from 'n8n-workflow';

import { WhatsAppSend } from '../../nodes/Meta/WhatsApp/WhatsAppSend.node';
import { binaryItem, executeNode } from '../helpers/harness';
import type { RunningSimulator } from '../../simulator';
import { getWhatsAppState, seededInboundMessageId } from '../../simulator/domains/whatsapp';
import { expectNoSecrets } from '../helpers/secrets';
import {
	NEVER,
	OLD,
	OTHER_WABA_TOKEN,
	PHONE_ID,
	RECENT,
	TEST_PHONE_ID,
	TOKEN,
	jsonOf,
	locator,
	messageParameters,
	messageRequests,
	runWhatsApp,
	sentLog,
	useWhatsAppSimulator,
} from './fixtures';

let sim: RunningSimulator;
useWhatsAppSimulator((started) => (sim = started));

function lastBody(): Record<string, any> {
	const requests = messageRequests(sim);
	return requests[requests.length - 1].body as Record<string, any>;
}

describe('Send Text', () => {
	it('sends the text and returns the wamid, status and wa_id', async () => {
		const { outputs, error } = await runWhatsApp(
			sim,
			messageParameters('sendText', { text: 'Your table is ready' }),
		);
		expect(error).toBeUndefined();
		const [item] = jsonOf(outputs[0]);
		const [sent] = sentLog(sim);
		expect(item).toMatchObject({
			status: 'accepted',
			wamid: sent.id,
			to: `+${RECENT}`,
			waId: RECENT,
			type: 'text',
			phoneNumberId: PHONE_ID,
		});
		expect(String(item.wamid)).toMatch(/^wamid\./);
		expect(lastBody()).toEqual({
			messaging_product: 'whatsapp',
			recipient_type: 'individual',
			to: `+${RECENT}`,
			type: 'text',
			text: { preview_url: false, body: 'Your table is ready' },
		});
	});

	it('honours link preview, reply-to and callback data', async () => {
		const inbound = seededInboundMessageId(RECENT);
		await runWhatsApp(
			sim,
			messageParameters('sendText', {
				text: 'See https://aurora.example/menu',
				options: { previewUrl: true, replyToMessageId: inbound, callbackData: 'order-42' },
			}),
		);
		expect(lastBody()).toMatchObject({
			text: { preview_url: true, body: 'See https://aurora.example/menu' },
			context: { message_id: inbound },
			biz_opaque_callback_data: 'order-42',
		});
	});

	it.each([
		['+351 910 000 101', '+351910000101'],
		['00351-910-000-101', '+351910000101'],
		['(351) 910.000.101', '+351910000101'],
		['351910000101', '+351910000101'],
	])('normalises the recipient %s to E.164', async (input, expected) => {
		const { outputs } = await runWhatsApp(
			sim,
			messageParameters('sendText', { to: input, text: 'hi' }),
		);
		expect(outputs[0][0].json.to).toBe(expected);
		expect(lastBody().to).toBe(expected);
	});

	it('stops before any request when the recipient cannot be a phone number', async () => {
		const { error } = await runWhatsApp(
			sim,
			messageParameters('sendText', { to: 'call me maybe', text: 'hi' }),
		);
		expect(error?.message).toMatch(/Item 1: 'call me maybe' is not a phone number/);
		expect(messageRequests(sim)).toHaveLength(0);
	});

	it('stops before any request when the text is longer than 4,096 characters', async () => {
		const { error } = await runWhatsApp(
			sim,
			messageParameters('sendText', { text: 'x'.repeat(4097) }),
		);
		expect(error?.message).toMatch(
			/Text \(item 1\): is 4097 characters long; Meta accepts at most 4096/,
		);
		expect(sim.control.requests()).toHaveLength(0);
	});
});

describe('authentication', () => {
	it('sends with a Facebook Login (OAuth2) credential, bearer token, no token in the output', async () => {
		const userToken = 'EAADemoUserLongLived';
		const { outputs, error, run } = await executeNode({
			node: WhatsAppSend,
			parameters: {
				authentication: 'oAuth2',
				...messageParameters('sendText', { text: 'via OAuth2' }),
			},
			credentials: {
				metaBusinessOAuth2Api: {
					oauthTokenData: { access_token: userToken },
					baseUrl: sim.baseUrl,
					clientId: '1234567890123456',
					clientSecret: 'demo0app0secret0aurora0000000001',
				},
			},
		});
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toMatchObject({ status: 'accepted', waId: RECENT });
		expect(sentLog(sim)).toHaveLength(1);
		expectNoSecrets({ outputs, run }, [userToken, 'demo0app0secret0aurora0000000001']);
	});
});

describe("Meta's errors come back with code and hint", () => {
	it('131047: outside the 24-hour window a text is refused, and the hint says to use a template', async () => {
		const { error } = await runWhatsApp(
			sim,
			messageParameters('sendText', { to: `+${OLD}`, text: 'hi' }),
		);
		expect(error?.message).toBe('More than 24 hours since the customer last wrote');
		expect(String(error?.description)).toMatch(/template/i);
		expect(String(error?.description)).toContain('Meta says: (#131047) Re-engagement message.');
		expect(sentLog(sim)).toHaveLength(0);
	});

	it('131030 and 132000 hints say what to fix', async () => {
		const allowList = await runWhatsApp(
			sim,
			messageParameters('sendText', {
				phoneNumberId: locator(TEST_PHONE_ID),
				to: '+15550100101',
				text: 'hi',
			}),
			{ settings: { onError: 'continueRegularOutput' } },
		);
		expect(String(allowList.outputs[0][0].json.message)).toMatch(/allowed list/i);
		const params = await runWhatsApp(
			sim,
			messageParameters('sendTemplate', {
				wabaId: locator('102000000000001'),
				template: locator('order_update|en_US'),
				templateParameters: { mappingMode: 'defineBelow', value: null },
				options: { componentsJson: '[{"type":"body","parameters":[{"type":"text","text":"a"}]}]' },
			}),
			{ settings: { onError: 'continueRegularOutput' } },
		);
		expect(params.outputs[0][0].json).toMatchObject({ details: { code: 132000 } });
		expect(String(params.outputs[0][0].json.message)).toMatch(/expected number of params \(1\)/);
	});

	it('131047 with Continue On Fail: one error item with the code, nothing sent', async () => {
		const { outputs } = await runWhatsApp(
			sim,
			messageParameters('sendText', { to: `+${NEVER}`, text: 'hi' }),
			{
				settings: { onError: 'continueRegularOutput' },
			},
		);
		const [item] = jsonOf(outputs[0]);
		expect(item).toMatchObject({ details: { status: 'failed', code: 131047, to: `+${NEVER}` } });
		expect(sentLog(sim)).toHaveLength(0);
	});

	it('131047 reaches the error output in the same shape as the regular output, for an IF on details.code', async () => {
		const parameters = messageParameters('sendText', { to: '={{ $json.phone }}', text: 'hi' });
		const items = [{ json: { phone: `+${RECENT}` } }, { json: { phone: `+${NEVER}` } }];
		const regular = await runWhatsApp(sim, parameters, {
			items,
			settings: { onError: 'continueRegularOutput' },
		});
		const routed = await runWhatsApp(sim, parameters, {
			items,
			settings: { onError: 'continueErrorOutput' },
		});
		expect(regular.error).toBeUndefined();
		expect(routed.error).toBeUndefined();
		expect(jsonOf(routed.outputs[0])).toEqual([
			expect.objectContaining({ status: 'accepted', to: `+${RECENT}` }),
		]);
		expect(routed.outputs[1].map((item) => item.pairedItem)).toEqual([{ item: 1 }]);
		const expected = {
			error: expect.stringMatching(/\S/),
			message: expect.stringMatching(/\S/),
			details: {
				status: 'failed',
				code: 131047,
				fbtraceId: expect.any(String),
				title: expect.any(String),
				docsUrl: expect.stringMatching(/^https:\/\//),
				itemIndex: 1,
				to: `+${NEVER}`,
				type: 'text',
				phoneNumberId: PHONE_ID,
			},
		};
		const [regularItem] = jsonOf(regular.outputs[0]).slice(1);
		expect(Object.keys(regularItem).sort()).toEqual(['details', 'error', 'message']);
		expect(regularItem).toEqual(expected);
		// n8n merges the input item under the error item on the error output.
		expect(jsonOf(routed.outputs[1])).toEqual([{ phone: `+${NEVER}`, ...expected }]);
		expect(sentLog(sim)).toHaveLength(2);
	});

	it('131030: a test number only reaches its allowed list', async () => {
		const { outputs } = await runWhatsApp(
			sim,
			messageParameters('sendText', {
				phoneNumberId: locator(TEST_PHONE_ID),
				to: '+15550100101',
				text: 'hi',
			}),
			{ settings: { onError: 'continueRegularOutput' } },
		);
		expect(outputs[0][0].json).toMatchObject({ details: { status: 'failed', code: 131030 } });
	});

	it('131021: the recipient cannot be the sender', async () => {
		const { outputs } = await runWhatsApp(
			sim,
			messageParameters('sendText', { to: '+351 910 000 001', text: 'hi' }),
			{
				settings: { onError: 'continueRegularOutput' },
			},
		);
		expect(outputs[0][0].json).toMatchObject({ details: { status: 'failed', code: 131021 } });
	});

	it('200: a token without messaging access to this number', async () => {
		const { outputs, error } = await runWhatsApp(
			sim,
			messageParameters('sendText', { text: 'hi' }),
			{
				token: OTHER_WABA_TOKEN,
				settings: { onError: 'continueRegularOutput' },
			},
		);
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toMatchObject({ details: { status: 'failed', code: 200 } });
		expect(String(outputs[0][0].json.message)).toMatch(/Business Settings/);
		expectNoSecrets({ outputs }, [OTHER_WABA_TOKEN, TOKEN]);
	});

	it('190: a revoked token', async () => {
		sim.control.revokeToken(TOKEN, 460);
		const { outputs } = await runWhatsApp(sim, messageParameters('sendText', { text: 'hi' }), {
			settings: { onError: 'continueRegularOutput' },
		});
		expect(outputs[0][0].json).toMatchObject({
			details: { status: 'failed', code: 190, subcode: 460 },
		});
		expect(String(outputs[0][0].json.message)).not.toBe('');
		expectNoSecrets({ outputs }, [TOKEN]);
	});
});

describe('Send Media', () => {
	it.each([
		['image', '/fixtures/photo.jpg', { caption: 'Today' }],
		['video', '/fixtures/clip.mp4?duration=5', { caption: 'Today' }],
		['audio', '/fixtures/note.ogg', {}],
		['sticker', '/fixtures/s.webp?width=512&height=512&bytes=40000', {}],
		['document', '/fixtures/i.pdf', { caption: 'Today', filename: 'invoice-42.pdf' }],
	])('sends %s by URL (Meta fetches it)', async (mediaType, path, extra) => {
		const url = `${sim.fixturesBaseUrl}${path}`;
		const expected = { link: url, ...extra };
		const { outputs, error } = await runWhatsApp(
			sim,
			messageParameters('sendMedia', {
				mediaType,
				mediaSource: 'url',
				mediaUrl: url,
				caption: 'Today',
				fileName: 'invoice-42.pdf',
			}),
		);
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toMatchObject({ status: 'accepted', type: mediaType });
		expect(lastBody()).toMatchObject({ type: mediaType, [mediaType]: expected });
		expect(lastBody()[mediaType]).toEqual(expected);
	});

	it('131053 per item for links Meta cannot use, with the catalogue hint; good links are sent', async () => {
		const link = (path: string) => `${sim.fixturesBaseUrl}/fixtures/${path}`;
		const items = [
			{ json: { url: link('ok.jpg') } },
			{ json: { url: link('missing.jpg') } },
			{ json: { url: link('page.jpg?contentType=text%2Fhtml') } },
			{ json: { url: link(`huge.jpg?bytes=${6 * 1024 * 1024}`) } },
		];
		const { outputs } = await runWhatsApp(
			sim,
			messageParameters('sendMedia', {
				mediaType: 'image',
				mediaSource: 'url',
				mediaUrl: '={{ $json.url }}',
			}),
			{ items, settings: { onError: 'continueRegularOutput' } },
		);
		const out = jsonOf(outputs[0]);
		expect(out).toHaveLength(4);
		expect(out[0]).toMatchObject({ status: 'accepted', type: 'image' });
		for (const failed of out.slice(1)) {
			expect(failed).toMatchObject({ details: { status: 'failed', code: 131053 } });
			expect(String(failed.message)).toMatch(/MIME type/);
		}
		expect(outputs[0].map((item) => item.pairedItem)).toEqual(
			[0, 1, 2, 3].map((item) => ({ item })),
		);
		expect(sentLog(sim)).toHaveLength(1);
		expect(messageRequests(sim)).toHaveLength(4);
	});

	it('a link Meta cannot use is accepted and reported later when the simulator reports media errors asynchronously', async () => {
		getWhatsAppState(sim.control.world()).mediaErrorMode = 'async';
		const { outputs, error } = await runWhatsApp(
			sim,
			messageParameters('sendMedia', {
				mediaType: 'image',
				mediaSource: 'url',
				mediaUrl: `${sim.fixturesBaseUrl}/fixtures/missing.jpg`,
			}),
		);
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toMatchObject({ status: 'accepted', wamid: sentLog(sim)[0].id });
		expect(sentLog(sim)[0].asyncError).toBe(131053);
	});

	it('refuses a URL that is not a web address before any request', async () => {
		const { error } = await runWhatsApp(
			sim,
			messageParameters('sendMedia', {
				mediaType: 'image',
				mediaSource: 'url',
				mediaUrl: 'ftp://x/y.jpg',
			}),
		);
		expect(error?.message).toMatch(/"Media URL" is not a web address/);
		expect(sim.control.requests()).toHaveLength(0);
	});

	it('100: a media id that this number did not upload is refused by Meta', async () => {
		const { outputs } = await runWhatsApp(
			sim,
			messageParameters('sendMedia', {
				mediaType: 'image',
				mediaSource: 'mediaId',
				mediaId: '999999',
			}),
			{ settings: { onError: 'continueRegularOutput' } },
		);
		expect(outputs[0][0].json).toMatchObject({ details: { status: 'failed', code: 100 } });
	});
});

describe('Send Interactive', () => {
	it('sends reply buttons with header and footer', async () => {
		const { outputs, error } = await runWhatsApp(
			sim,
			messageParameters('sendInteractive', {
				interactiveType: 'button',
				bodyText: 'Confirm your booking?',
				buttons: {
					button: [
						{ id: 'yes', title: 'Yes' },
						{ id: 'no', title: 'No' },
					],
				},
				options: { headerText: 'Booking #42', footerText: 'Cafe Aurora' },
			}),
		);
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toMatchObject({ status: 'accepted', interactiveType: 'button' });
		expect(lastBody().interactive).toEqual({
			type: 'button',
			header: { type: 'text', text: 'Booking #42' },
			body: { text: 'Confirm your booking?' },
			footer: { text: 'Cafe Aurora' },
			action: {
				buttons: [
					{ type: 'reply', reply: { id: 'yes', title: 'Yes' } },
					{ type: 'reply', reply: { id: 'no', title: 'No' } },
				],
			},
		});
	});

	describe('reply buttons with a media header', () => {
		const buttons = { button: [{ id: 'yes', title: 'Yes' }] };
		const send = (options: INodeParameters, interactiveType = 'button') =>
			runWhatsApp(
				sim,
				messageParameters('sendInteractive', {
					interactiveType,
					bodyText: 'Your menu',
					buttons,
					...(interactiveType === 'list'
						? {
								listButtonText: 'Go',
								sections: { section: [{ rows: { row: [{ id: 'a', title: 'A' }] } }] },
							}
						: {}),
					options,
				}),
				{ settings: { onError: 'continueRegularOutput' } },
			);

		it.each([
			['image', 'menu.jpg', {}],
			['video', 'tour.mp4', {}],
			['document', 'menu.pdf', { filename: 'menu.pdf' }],
		])('sends a header of type %s by URL (Meta fetches it)', async (headerType, file, extra) => {
			const link = `${sim.fixturesBaseUrl}/fixtures/${file}`;
			const { outputs, error } = await send({
				headerType,
				headerMedia: link,
				headerFileName: 'menu.pdf',
			});
			expect(error).toBeUndefined();
			expect(outputs[0][0].json).toMatchObject({ status: 'accepted' });
			expect(lastBody().interactive.header).toEqual({
				type: headerType,
				[headerType]: { link, ...extra },
			});
			expect(sentLog(sim)).toHaveLength(1);
		});

		it('sends an image header by media ID', async () => {
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
						binaryItem(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0, 0xff, 0xd9]), {
							mimeType: 'image/jpeg',
							fileName: 'm.jpg',
						}),
					],
				},
			);
			const id = String(outputs[0][0].json.id);
			const { error } = await send({ headerType: 'image', headerMedia: id });
			expect(error).toBeUndefined();
			expect(lastBody().interactive.header).toEqual({ type: 'image', image: { id } });
		});

		it('131053 when Meta cannot use the header media', async () => {
			const { outputs } = await send({
				headerType: 'video',
				headerMedia: `${sim.fixturesBaseUrl}/fixtures/menu.jpg`,
			});
			expect(outputs[0][0].json).toMatchObject({ details: { status: 'failed', code: 131053 } });
			expect(sentLog(sim)).toHaveLength(0);
		});

		it.each([
			['no media', { headerType: 'image' }, /Header Media \(item 1\): is empty/],
			[
				'not a URL or ID',
				{ headerType: 'image', headerMedia: 'menu.jpg' },
				/"Header Media" must be an https URL or a media ID/,
			],
			[
				'header text with a media type',
				{ headerType: 'image', headerMedia: '123', headerText: 'Hi' },
				/"Header Text" does not go with Header Type "image"/,
			],
			[
				'media with header type text',
				{ headerMedia: '123' },
				/"Header Media" needs Header Type Image, Video or Document/,
			],
		])('refuses %s before any request', async (_name, options, message) => {
			const { outputs } = await send(options);
			expect(String(outputs[0][0].json.error)).toMatch(message);
			expect(sim.control.requests()).toHaveLength(0);
		});

		it('refuses a media header on a list before any request', async () => {
			const { outputs } = await send({ headerType: 'video', headerMedia: '123' }, 'list');
			expect(String(outputs[0][0].json.error)).toMatch(
				/A video header needs Interactive Type "Reply Buttons"/,
			);
			expect(sim.control.requests()).toHaveLength(0);
		});
	});

	it('sends a list with sections and rows', async () => {
		const { error } = await runWhatsApp(
			sim,
			messageParameters('sendInteractive', {
				interactiveType: 'list',
				bodyText: 'Pick a slot',
				listButtonText: 'Slots',
				sections: {
					section: [
						{
							title: 'Morning',
							rows: { row: [{ id: 'm9', title: '9:00', description: 'Early' }] },
						},
						{ title: 'Evening', rows: { row: [{ id: 'e7', title: '19:00' }] } },
					],
				},
			}),
		);
		expect(error).toBeUndefined();
		expect(lastBody().interactive).toEqual({
			type: 'list',
			body: { text: 'Pick a slot' },
			action: {
				button: 'Slots',
				sections: [
					{ title: 'Morning', rows: [{ id: 'm9', title: '9:00', description: 'Early' }] },
					{ title: 'Evening', rows: [{ id: 'e7', title: '19:00' }] },
				],
			},
		});
	});

	it('sends a call-to-action URL button', async () => {
		const { error } = await runWhatsApp(
			sim,
			messageParameters('sendInteractive', {
				interactiveType: 'ctaUrl',
				bodyText: 'Track your order',
				ctaDisplayText: 'Track',
				ctaUrl: 'https://aurora.example/track/42',
			}),
		);
		expect(error).toBeUndefined();
		expect(lastBody().interactive).toEqual({
			type: 'cta_url',
			body: { text: 'Track your order' },
			action: {
				name: 'cta_url',
				parameters: { display_text: 'Track', url: 'https://aurora.example/track/42' },
			},
		});
	});

	it.each([
		[
			'more than 3 buttons',
			{
				interactiveType: 'button',
				buttons: { button: [1, 2, 3, 4].map((n) => ({ id: `b${n}`, title: `B${n}` })) },
			},
			/4 buttons; WhatsApp allows at most 3/,
		],
		[
			'a button title over 20 characters',
			{
				interactiveType: 'button',
				buttons: { button: [{ id: 'a', title: 'A very long button title' }] },
			},
			/Button 1 Title \(item 1\): is 24 characters long; Meta accepts at most 20/,
		],
		[
			'more than 10 rows',
			{
				interactiveType: 'list',
				listButtonText: 'Go',
				sections: {
					section: [
						{
							title: 'All',
							rows: {
								row: Array.from({ length: 11 }, (_, n) => ({ id: `r${n}`, title: `R${n}` })),
							},
						},
					],
				},
			},
			/11 rows; a list allows at most 10/,
		],
		[
			'a row title over 24 characters',
			{
				interactiveType: 'list',
				listButtonText: 'Go',
				sections: {
					section: [{ title: 'All', rows: { row: [{ id: 'r', title: 'x'.repeat(25) }] } }],
				},
			},
			/Section 1 Row 1 Title \(item 1\): is 25 characters long/,
		],
		[
			'several sections without titles',
			{
				interactiveType: 'list',
				listButtonText: 'Go',
				sections: {
					section: [
						{ rows: { row: [{ id: 'a', title: 'A' }] } },
						{ rows: { row: [{ id: 'b', title: 'B' }] } },
					],
				},
			},
			/Section 1 Title \(item 1\): is empty/,
		],
		[
			'a CTA label over 20 characters',
			{ interactiveType: 'ctaUrl', ctaDisplayText: 'x'.repeat(21), ctaUrl: 'https://a.example' },
			/Button Text \(item 1\): is 21 characters long/,
		],
	])('stops before any request with %s', async (_name, parameters, message) => {
		const { error } = await runWhatsApp(
			sim,
			messageParameters('sendInteractive', { bodyText: 'Body', ...parameters }),
		);
		expect(error?.message).toMatch(message);
		expect(sim.control.requests()).toHaveLength(0);
	});
});

describe('Send Location, Contacts, Reaction, Mark as Read', () => {
	it('sends a location with name and address', async () => {
		const { error } = await runWhatsApp(
			sim,
			messageParameters('sendLocation', {
				latitude: 38.7223,
				longitude: -9.1393,
				options: { locationName: 'Cafe Aurora', address: 'Rua Augusta 1, Lisboa' },
			}),
		);
		expect(error).toBeUndefined();
		expect(lastBody().location).toEqual({
			latitude: 38.7223,
			longitude: -9.1393,
			name: 'Cafe Aurora',
			address: 'Rua Augusta 1, Lisboa',
		});
	});

	it('sends contacts from fields', async () => {
		const { error } = await runWhatsApp(
			sim,
			messageParameters('sendContacts', {
				contactsSource: 'fields',
				contacts: {
					contact: [
						{
							formattedName: 'Jane Doe',
							firstName: 'Jane',
							phone: '+16505551234',
							phoneType: 'WORK',
							email: 'jane@example.com',
							company: 'Aurora',
						},
					],
				},
			}),
		);
		expect(error).toBeUndefined();
		expect(lastBody().contacts).toEqual([
			{
				name: { formatted_name: 'Jane Doe', first_name: 'Jane' },
				phones: [{ phone: '+16505551234', type: 'WORK' }],
				emails: [{ email: 'jane@example.com', type: 'WORK' }],
				org: { company: 'Aurora' },
			},
		]);
	});

	it('sends contacts from JSON, and refuses invalid JSON before any request', async () => {
		const contacts = [{ name: { formatted_name: 'Bob' }, phones: [{ phone: '+15550001' }] }];
		const ok = await runWhatsApp(
			sim,
			messageParameters('sendContacts', {
				contactsSource: 'json',
				contactsJson: JSON.stringify(contacts),
			}),
		);
		expect(ok.error).toBeUndefined();
		expect(lastBody().contacts).toEqual(contacts);
		sim.control.reset();
		const bad = await runWhatsApp(
			sim,
			messageParameters('sendContacts', { contactsSource: 'json', contactsJson: '[{"name": ' }),
		);
		expect(bad.error?.message).toMatch(/"Contacts \(JSON\)" is not valid JSON/);
		expect(sim.control.requests()).toHaveLength(0);
	});

	it('reacts to a message, and a reaction without message id stops before any request', async () => {
		const inbound = seededInboundMessageId(RECENT);
		const { outputs, error } = await runWhatsApp(
			sim,
			messageParameters('sendReaction', { messageId: inbound, emoji: '🎉' }),
		);
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toMatchObject({
			status: 'accepted',
			type: 'reaction',
			reactedTo: inbound,
		});
		expect(lastBody().reaction).toEqual({ message_id: inbound, emoji: '🎉' });
		sim.control.reset();
		const missing = await runWhatsApp(
			sim,
			messageParameters('sendReaction', { messageId: ' ', emoji: '👍' }),
		);
		expect(missing.error?.message).toMatch(/Message ID \(item 1\): is empty/);
		expect(sim.control.requests()).toHaveLength(0);
	});

	it('marks a message as read with the typing indicator', async () => {
		const inbound = seededInboundMessageId(RECENT);
		const { outputs, error } = await runWhatsApp(sim, {
			resource: 'message',
			operation: 'markAsRead',
			phoneNumberId: locator(PHONE_ID),
			messageId: inbound,
			options: { typingIndicator: true },
		});
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toMatchObject({ status: 'read', success: true, messageId: inbound });
		expect(lastBody()).toEqual({
			messaging_product: 'whatsapp',
			status: 'read',
			message_id: inbound,
			typing_indicator: { type: 'text' },
		});
		const reads = sim.control.world().state.whatsapp.reads;
		expect(reads).toEqual([expect.objectContaining({ messageId: inbound, typingIndicator: true })]);
	});

	it('131009: marking an unknown message as read', async () => {
		const { outputs } = await runWhatsApp(
			sim,
			{
				resource: 'message',
				operation: 'markAsRead',
				phoneNumberId: locator(PHONE_ID),
				messageId: 'wamid.unknown',
			},
			{ settings: { onError: 'continueRegularOutput' } },
		);
		expect(outputs[0][0].json).toMatchObject({ details: { status: 'failed', code: 131009 } });
	});
});

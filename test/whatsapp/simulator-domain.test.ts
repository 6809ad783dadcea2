/**
 * The simulator's WhatsApp domain over plain HTTP: Meta's success shapes and each emulated error
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/reference), independent of the node.
 */
import { startSimulator } from '../../simulator';
import type { RunningSimulator } from '../../simulator';
import {
	addInboundMessage,
	getWhatsAppState,
	seededInboundMessageId,
} from '../../simulator/domains/whatsapp';
import {
	MANAGE_ONLY_TOKEN,
	NEVER,
	OLD,
	OTHER_WABA_TOKEN,
	PHONE_ID,
	RECENT,
	TEST_PHONE_ID,
	TOKEN,
	WABA_ID,
	sentLog,
	useWhatsAppSimulator,
	whatsappScenario,
} from './fixtures';

let sim: RunningSimulator;
useWhatsAppSimulator((started) => (sim = started));

async function graph(
	method: string,
	path: string,
	options: { body?: unknown; token?: string | null; form?: FormData } = {},
): Promise<{ status: number; body: any }> {
	const headers: Record<string, string> = {};
	if (options.token !== null) headers.Authorization = `Bearer ${options.token ?? TOKEN}`;
	let body: BodyInit | undefined;
	if (options.form) body = options.form;
	else if (options.body !== undefined) {
		headers['Content-Type'] = 'application/json';
		body = JSON.stringify(options.body);
	}
	const response = await fetch(`${sim.baseUrl}/v26.0${path}`, { method, headers, body });
	const text = await response.text();
	let parsed: unknown = text;
	try {
		parsed = JSON.parse(text);
	} catch {
		// binary or plain text
	}
	return { status: response.status, body: parsed };
}

const send = (payload: Record<string, unknown>, phoneId = PHONE_ID, token?: string) =>
	graph('POST', `/${phoneId}/messages`, {
		body: { messaging_product: 'whatsapp', to: `+${RECENT}`, ...payload },
		token,
	});

describe('WABA, phone numbers, templates, subscribed apps', () => {
	it('phone_numbers edge with fields', async () => {
		const { status, body } = await graph(
			'GET',
			`/${WABA_ID}/phone_numbers?fields=id,display_phone_number,verified_name,quality_rating,status,code_verification_status,name_status,platform_type,throughput,whatsapp_business_manager_messaging_limit,account_mode`,
		);
		expect(status).toBe(200);
		expect(body.data).toContainEqual({
			id: PHONE_ID,
			display_phone_number: '+351 910 000 001',
			verified_name: 'Cafe Aurora',
			quality_rating: 'GREEN',
			status: 'CONNECTED',
			code_verification_status: 'VERIFIED',
			name_status: 'APPROVED',
			platform_type: 'CLOUD_API',
			throughput: { level: 'STANDARD' },
			whatsapp_business_manager_messaging_limit: 'TIER_10K',
			account_mode: 'LIVE',
		});
		expect(body.data.find((phone: any) => phone.id === TEST_PHONE_ID).account_mode).toBe('SANDBOX');
	});

	it('message_templates filters by status, category, language and name, with paging', async () => {
		const approved = await graph(
			'GET',
			`/${WABA_ID}/message_templates?status=APPROVED&category=UTILITY&language=en_US`,
		);
		const expected = [...sim.control.world().templates.values()]
			.filter(
				(t) =>
					t.wabaId === WABA_ID &&
					t.status === 'APPROVED' &&
					t.category === 'UTILITY' &&
					t.language === 'en_US',
			)
			.map((t) => t.name);
		expect(expected.length).toBeGreaterThan(1);
		expect(approved.body.data.map((template: any) => template.name).sort()).toEqual(
			expected.sort(),
		);
		expect(approved.body.data[0]).toEqual(
			expect.objectContaining({
				id: expect.any(String),
				status: 'APPROVED',
				components: expect.any(Array),
			}),
		);
		const byName = await graph(
			'GET',
			`/${WABA_ID}/message_templates?name=promo&fields=name,status`,
		);
		const names = byName.body.data.map((template: any) => template.name);
		expect(names).toEqual(expect.arrayContaining(['low_quality_promo', 'banned_promo']));
		expect(names.every((name: string) => name.includes('promo'))).toBe(true);
		expect(byName.body.data).toContainEqual(
			expect.objectContaining({ name: 'banned_promo', status: 'DISABLED' }),
		);
		const firstPage = await graph('GET', `/${WABA_ID}/message_templates?fields=name&limit=2`);
		expect(firstPage.body.data).toHaveLength(2);
		expect(firstPage.body.paging.cursors.after).toEqual(expect.any(String));
		const second = await graph(
			'GET',
			`/${WABA_ID}/message_templates?fields=name&limit=2&after=${encodeURIComponent(firstPage.body.paging.cursors.after)}`,
		);
		expect(second.body.data[0].name).not.toBe(firstPage.body.data[0].name);
	});

	it('subscribed_apps: GET, DELETE then POST', async () => {
		const listed = await graph('GET', `/${WABA_ID}/subscribed_apps`);
		expect(listed.body.data).toEqual([
			{
				whatsapp_business_api_data: expect.objectContaining({
					id: '1234567890123456',
					name: 'Aurora Automations',
				}),
			},
		]);
		expect((await graph('DELETE', `/${WABA_ID}/subscribed_apps`)).body).toEqual({ success: true });
		expect((await graph('GET', `/${WABA_ID}/subscribed_apps`)).body.data).toEqual([]);
		expect((await graph('POST', `/${WABA_ID}/subscribed_apps`)).body).toEqual({ success: true });
		expect((await graph('GET', `/${WABA_ID}/subscribed_apps`)).body.data).toHaveLength(1);
	});

	it('200 when the token has no WhatsApp access to that WABA (granular targets)', async () => {
		const { status, body } = await graph('GET', `/${WABA_ID}/phone_numbers`, {
			token: OTHER_WABA_TOKEN,
		});
		expect(status).toBe(403);
		expect(body.error).toMatchObject({ code: 200 });
	});
});

describe('POST /{phone-number-id}/messages', () => {
	it('text: contacts[{input, wa_id}] and a wamid', async () => {
		const { status, body } = await send({ type: 'text', text: { body: 'hi' } });
		expect(status).toBe(200);
		expect(body).toEqual({
			messaging_product: 'whatsapp',
			contacts: [{ input: `+${RECENT}`, wa_id: RECENT }],
			messages: [{ id: expect.stringMatching(/^wamid\.[A-Za-z0-9+/=]+$/) }],
		});
		expect(sentLog(sim)).toEqual([
			expect.objectContaining({ id: body.messages[0].id, to: RECENT, type: 'text' }),
		]);
	});

	it('template: message_status accepted', async () => {
		const { body } = await send({
			to: `+${NEVER}`,
			type: 'template',
			template: {
				name: 'appointment_reminder',
				language: { code: 'en_US' },
				components: [
					{
						type: 'body',
						parameters: [
							{ type: 'text', text: 'Ana', parameter_name: 'customer_name' },
							{ type: 'text', text: 'May 3', parameter_name: 'date' },
							{ type: 'text', text: '10:00', parameter_name: 'time' },
						],
					},
				],
			},
		});
		expect(body.messages[0]).toEqual({ id: expect.any(String), message_status: 'accepted' });
	});

	it.each(
		[
			['missing to', { to: '', type: 'text', text: { body: 'x' } }, 131008],
			['bad phone', { to: '+12ab', type: 'text', text: { body: 'x' } }, 131009],
			['unsupported type', { type: 'hologram', hologram: {} }, 131051],
			['missing text body', { type: 'text', text: {} }, 131008],
			['text too long', { type: 'text', text: { body: 'x'.repeat(4097) } }, 100],
			['bad media URI', { type: 'image', image: { link: 'not a url' } }, 100],
			['unknown media id', { type: 'image', image: { id: '123' } }, 100],
			['id and link', { type: 'image', image: { id: '1', link: 'https://a.example/x.jpg' } }, 100],
			[
				'4 buttons',
				{
					type: 'interactive',
					interactive: {
						type: 'button',
						body: { text: 'b' },
						action: {
							buttons: [1, 2, 3, 4].map((n) => ({
								type: 'reply',
								reply: { id: `${n}`, title: `${n}` },
							})),
						},
					},
				},
				100,
			],
			[
				'list with 11 rows',
				{
					type: 'interactive',
					interactive: {
						type: 'list',
						body: { text: 'b' },
						action: {
							button: 'go',
							sections: [
								{ rows: Array.from({ length: 11 }, (_, n) => ({ id: `${n}`, title: `${n}` })) },
							],
						},
					},
				},
				100,
			],
			['location without longitude', { type: 'location', location: { latitude: 1 } }, 131008],
			['contact without formatted_name', { type: 'contacts', contacts: [{ name: {} }] }, 131008],
			['reaction without message_id', { type: 'reaction', reaction: { emoji: '👍' } }, 131008],
			['to == from', { to: '+351910000001', type: 'text', text: { body: 'x' } }, 131021],
			[
				'template count mismatch',
				{
					type: 'template',
					template: { name: 'order_update', language: { code: 'en_US' }, components: [] },
				},
				132000,
			],
			[
				'template not approved',
				{ type: 'template', template: { name: 'draft_offer', language: { code: 'en_US' } } },
				132001,
			],
			[
				'template wrong language',
				{ type: 'template', template: { name: 'appointment_reminder', language: { code: 'de' } } },
				132001,
			],
			[
				'template paused',
				{ type: 'template', template: { name: 'low_quality_promo', language: { code: 'en_US' } } },
				132015,
			],
			[
				'template disabled',
				{ type: 'template', template: { name: 'banned_promo', language: { code: 'en_US' } } },
				132016,
			],
			['outside the 24-hour window', { to: `+${OLD}`, type: 'text', text: { body: 'x' } }, 131047],
		].map(
			([name, payload, code]) => [name, code, payload] as [string, number, Record<string, unknown>],
		),
	)('%s -> %i', async (_name, code, payload) => {
		const { status, body } = await send(payload);
		expect(status).toBe(400);
		expect(body.error).toMatchObject({
			code,
			message: expect.stringMatching(new RegExp(`^\\(#${code}\\) `)),
		});
		expect(body.error.fbtrace_id).toEqual(expect.any(String));
		expect(sentLog(sim)).toHaveLength(0);
	});

	it('132000 names the expected count in error_data.details', async () => {
		const { body } = await send({
			type: 'template',
			template: {
				name: 'order_update',
				language: { code: 'en_US' },
				components: [
					{ type: 'header', parameters: [{ type: 'text', text: '#1' }] },
					{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }] },
				],
			},
		});
		expect(body.error.error_data).toEqual({
			messaging_product: 'whatsapp',
			details:
				'body: number of localizable_params (1) does not match the expected number of params (3)',
		});
	});

	it('131030 on a test number for recipients off its allowed list', async () => {
		const { body } = await send(
			{ to: '+15550100101', type: 'text', text: { body: 'x' } },
			TEST_PHONE_ID,
		);
		expect(body.error.code).toBe(131030);
		const allowed = await send(
			{ to: `+${RECENT}`, type: 'text', text: { body: 'x' } },
			TEST_PHONE_ID,
		);
		expect(allowed.status).toBe(200);
	});

	it('200 for a token without whatsapp_business_messaging', async () => {
		const { body } = await send({ type: 'text', text: { body: 'x' } }, PHONE_ID, MANAGE_ONLY_TOKEN);
		expect(body.error.code).toBe(200);
	});

	it('131047 asynchronously when the module is switched to async mode', async () => {
		getWhatsAppState(sim.control.world()).reEngagementMode = 'async';
		const { status } = await send({ to: `+${OLD}`, type: 'text', text: { body: 'x' } });
		expect(status).toBe(200);
		expect(sentLog(sim)[0].asyncError).toBe(131047);
	});

	it("131047 and 131053 are asynchronous by default (without the 'sync' setting these tests use)", async () => {
		const plain = await startSimulator(
			whatsappScenario((scenario) => delete scenario.settings?.whatsappFailureMode),
		);
		try {
			const post = async (payload: Record<string, unknown>) =>
				await fetch(`${plain.baseUrl}/v26.0/${PHONE_ID}/messages`, {
					method: 'POST',
					headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
					body: JSON.stringify({ messaging_product: 'whatsapp', ...payload }),
				});
			expect((await post({ to: `+${OLD}`, type: 'text', text: { body: 'x' } })).status).toBe(200);
			const image = { link: `${plain.fixturesBaseUrl}/fixtures/missing.jpg` };
			expect((await post({ to: `+${RECENT}`, type: 'image', image })).status).toBe(200);
			expect(sentLog(plain).map((message) => message.asyncError)).toEqual([131047, 131053]);
		} finally {
			await plain.stop();
		}
	});

	describe('media links are fetched and checked like Meta does', () => {
		const fixture = (path: string) => `${sim.fixturesBaseUrl}/fixtures/${path}`;
		const buttonsWithHeader = (header: Record<string, unknown>) => ({
			type: 'interactive',
			interactive: {
				type: 'button',
				header,
				body: { text: 'b' },
				action: { buttons: [{ type: 'reply', reply: { id: 'y', title: 'Yes' } }] },
			},
		});

		it.each([
			['image', 'photo.jpg?width=800&height=600'],
			['image', 'photo.png'],
			['video', 'clip.mp4?duration=8'],
			['audio', 'note.ogg'],
			['audio', 'note.mp3'],
			['document', 'invoice.pdf'],
			['document', 'notes.txt'],
			['sticker', 'sticker.webp?width=512&height=512&bytes=90000'],
		])('accepts a usable %s (%s)', async (type, path) => {
			const { status } = await send({ type, [type]: { link: fixture(path) } });
			expect(status).toBe(200);
			expect(sentLog(sim)).toHaveLength(1);
		});

		it.each([
			['unreachable (404)', 'image', 'missing.jpg', /http code 404/],
			[
				'mislabelled MIME type',
				'image',
				'photo.jpg?contentType=text%2Fhtml',
				/mime type text\/html/,
			],
			[
				'bytes that are not the declared type',
				'image',
				'photo.png?contentType=image%2Fjpeg',
				/content \(png\) does not match/,
			],
			['a MOV sent as video', 'video', 'clip.mov', /mime type video\/quicktime/],
			[
				'a PDF sent as image',
				'image',
				'invoice.pdf',
				/Unsupported image mime type application\/pdf/,
			],
			[
				'an image over 5 MB',
				'image',
				`big.jpg?bytes=${5 * 1024 * 1024 + 1}`,
				/maximum for this type is 5242880 bytes/,
			],
			[
				'a static sticker over 100 KB',
				'sticker',
				'sticker.webp?bytes=150000',
				/maximum for this type is 102400 bytes/,
			],
			['a GIF sent as sticker', 'sticker', 'anim.gif', /Unsupported sticker mime type image\/gif/],
		])('131053 for %s', async (_name, type, path, details) => {
			const { status, body } = await send({ type, [type]: { link: fixture(path) } });
			expect(status).toBe(400);
			expect(body.error).toMatchObject({ code: 131053, message: '(#131053) Media upload error' });
			expect(body.error.error_data.details).toMatch(details);
			expect(sentLog(sim)).toHaveLength(0);
		});

		it('131053 for a template header link Meta cannot fetch', async () => {
			const { body } = await send({
				type: 'template',
				template: {
					name: 'invoice_ready',
					language: { code: 'en_US' },
					components: [
						{
							type: 'header',
							parameters: [{ type: 'document', document: { link: fixture('missing.pdf') } }],
						},
					],
				},
			});
			expect(body.error.code).toBe(131053);
			const ok = await send({
				type: 'template',
				template: {
					name: 'invoice_ready',
					language: { code: 'en_US' },
					components: [
						{
							type: 'header',
							parameters: [{ type: 'document', document: { link: fixture('i.pdf') } }],
						},
					],
				},
			});
			expect(ok.status).toBe(200);
		});

		it('checks interactive header media: image header accepted, video header of a JPEG refused', async () => {
			const ok = await send(
				buttonsWithHeader({ type: 'image', image: { link: fixture('h.jpg') } }),
			);
			expect(ok.status).toBe(200);
			const bad = await send(
				buttonsWithHeader({ type: 'video', video: { link: fixture('h.jpg') } }),
			);
			expect(bad.body.error.code).toBe(131053);
			const noMedia = await send(buttonsWithHeader({ type: 'document' }));
			expect(noMedia.body.error.code).toBe(131008);
			const badType = await send(
				buttonsWithHeader({ type: 'audio', audio: { link: fixture('a.ogg') } }),
			);
			expect(badType.body.error.code).toBe(100);
			const longText = await send(buttonsWithHeader({ type: 'text', text: 'x'.repeat(61) }));
			expect(longText.body.error.code).toBe(100);
			expect(sentLog(sim)).toHaveLength(1);
		});

		it('131053 asynchronously when the module is switched to async media errors', async () => {
			getWhatsAppState(sim.control.world()).mediaErrorMode = 'async';
			const { status, body } = await send({
				type: 'image',
				image: { link: fixture('missing.jpg') },
			});
			expect(status).toBe(200);
			expect(body.messages[0].id).toEqual(expect.any(String));
			expect(sentLog(sim)[0]).toMatchObject({
				asyncError: 131053,
				asyncErrorDetails: expect.stringMatching(/404/),
			});
		});

		it('caches a fetched link like Meta (about 10 minutes)', async () => {
			const link = fixture('cached.jpg');
			expect((await send({ type: 'image', image: { link } })).status).toBe(200);
			expect(getWhatsAppState(sim.control.world()).fetchedLinks.has(link)).toBe(true);
			expect((await send({ type: 'image', image: { link } })).status).toBe(200);
			expect(getWhatsAppState(sim.control.world()).fetchedLinks.size).toBe(1);
		});
	});

	it('an inbound message opens the window', async () => {
		addInboundMessage(sim.control.world(), { phoneNumberId: PHONE_ID, from: NEVER, text: 'hello' });
		const { status } = await send({ to: `+${NEVER}`, type: 'text', text: { body: 'x' } });
		expect(status).toBe(200);
	});

	it('130429 past the number throughput, with the configured HTTP status', async () => {
		sim.control.setSettings({ throughputPerSecond: 3, whatsappThrottleHttpStatus: 429 });
		const results = await Promise.all(
			Array.from({ length: 6 }, () => send({ type: 'text', text: { body: 'x' } })),
		);
		const throttled = results.filter((result) => result.body.error?.code === 130429);
		expect(throttled.length).toBeGreaterThanOrEqual(3);
		expect(throttled[0].status).toBe(429);
		expect(sentLog(sim)).toHaveLength(6 - throttled.length);
	});

	it('131056 past the pair-rate burst to one recipient', async () => {
		sim.control.setSettings({ pairRateBurst: 2, pairRateWindowMs: 60000 });
		await send({ type: 'text', text: { body: '1' } });
		await send({ type: 'text', text: { body: '2' } });
		const third = await send({ type: 'text', text: { body: '3' } });
		expect(third.body.error.code).toBe(131056);
		const other = await send({ to: '+15550100101', type: 'text', text: { body: '1' } });
		expect(other.status).toBe(200);
	});

	it('mark as read: success, typing indicator, and 131009 for unknown ids', async () => {
		const read = await graph('POST', `/${PHONE_ID}/messages`, {
			body: {
				messaging_product: 'whatsapp',
				status: 'read',
				message_id: seededInboundMessageId(RECENT),
				typing_indicator: { type: 'text' },
			},
		});
		expect(read.body).toEqual({ success: true });
		const unknown = await graph('POST', `/${PHONE_ID}/messages`, {
			body: { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.nope' },
		});
		expect(unknown.body.error.code).toBe(131009);
	});
});

describe('media', () => {
	function form(content: Buffer, mimeType: string, fileName: string): FormData {
		const data = new FormData();
		data.append('messaging_product', 'whatsapp');
		data.append('type', mimeType);
		data.append('file', new Blob([new Uint8Array(content)], { type: mimeType }), fileName);
		return data;
	}

	it('upload, get (URL valid 5 minutes, Bearer required), download, delete', async () => {
		const content = Buffer.from('%PDF-1.4 test');
		const uploaded = await graph('POST', `/${PHONE_ID}/media`, {
			form: form(content, 'application/pdf', 'a.pdf'),
		});
		expect(uploaded.body).toEqual({ id: expect.stringMatching(/^\d+$/) });
		const id = uploaded.body.id;
		const got = await graph('GET', `/${id}`);
		expect(got.body).toEqual({
			messaging_product: 'whatsapp',
			url: expect.any(String),
			mime_type: 'application/pdf',
			sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
			file_size: content.length,
			id,
		});
		const withToken = await fetch(got.body.url, { headers: { Authorization: `Bearer ${TOKEN}` } });
		expect(withToken.status).toBe(200);
		expect(Buffer.from(await withToken.arrayBuffer()).equals(content)).toBe(true);
		expect((await fetch(got.body.url)).status).toBe(404);
		sim.control.advanceClock(5 * 60 * 1000 + 1000);
		expect(
			(await fetch(got.body.url, { headers: { Authorization: `Bearer ${TOKEN}` } })).status,
		).toBe(404);
		expect((await graph('GET', `/${id}?phone_number_id=${TEST_PHONE_ID}`)).body.error.code).toBe(
			100,
		);
		expect((await graph('DELETE', `/${id}`)).body).toEqual({ success: true });
		expect((await graph('GET', `/${id}`)).body.error).toMatchObject({
			code: 100,
			error_subcode: 33,
		});
	});

	it('refuses unsupported types and oversized files', async () => {
		const gif = await graph('POST', `/${PHONE_ID}/media`, {
			form: form(Buffer.from('GIF89a'), 'image/gif', 'a.gif'),
		});
		expect(gif.body.error.code).toBe(100);
		const big = await graph('POST', `/${PHONE_ID}/media`, {
			form: form(Buffer.alloc(600 * 1024), 'image/webp', 's.webp'),
		});
		expect(big.body.error.code).toBe(131053);
	});

	it('a media id only works for the number that uploaded it', async () => {
		const uploaded = await graph('POST', `/${PHONE_ID}/media`, {
			form: form(Buffer.from([0xff, 0xd8, 0xff]), 'image/jpeg', 'a.jpg'),
		});
		const own = await send({ type: 'image', image: { id: uploaded.body.id } });
		expect(own.status).toBe(200);
		const other = await send(
			{ to: `+${RECENT}`, type: 'image', image: { id: uploaded.body.id } },
			TEST_PHONE_ID,
		);
		expect(other.body.error).toMatchObject({
			code: 100,
			error_data: {
				details: `${uploaded.body.id} is not a valid whatsapp business account media attachment ID`,
			},
		});
	});
});

import nock from 'nock';

import {
	META_ERROR_CATALOGUE,
	createMetaApiError,
	describeMetaError,
	getMetaErrorInfo,
	lookupMetaError,
	lookupMetaErrorBySubcode,
	withCallHint,
} from '../../nodes/Meta/shared/errors';
import { BASE, isolateNetwork, probe } from './helpers';

isolateNetwork();

/**
 * Every code and code/subcode pair on Meta's error pages (generic Graph codes, token subcodes,
 * Instagram publishing, rate limits, WhatsApp), transcribed by hand.
 */
const META_DOCUMENTED_CODES: Array<[number, number?]> = [
	// Generic Graph codes
	[1],
	[2],
	[3],
	[4],
	[10],
	[17],
	[32],
	[100],
	[100, 33],
	[102],
	[190],
	[200],
	[250],
	[299],
	[341],
	[368],
	[506],
	[613],
	[613, 1996],
	[1609005],
	// Code 190 subcodes
	[190, 458],
	[190, 459],
	[190, 460],
	[190, 463],
	[190, 464],
	[190, 467],
	[190, 492],
	// Instagram publishing (and the observed subcodes)
	[-2, 2207003],
	[-2, 2207020],
	[-1, 2207001],
	[-1, 2207032],
	[-1, 2207053],
	[1, 2207057],
	[4, 2207051],
	[9, 2207042],
	[24, 2207006],
	[24, 2207008],
	[25, 2207050],
	[100, 2207023],
	[100, 2207028],
	[100, 2207035],
	[100, 2207036],
	[100, 2207037],
	[100, 2207040],
	[352, 2207026],
	[9004, 2207052],
	[9007, 2207027],
	[36000, 2207004],
	[36001, 2207005],
	[36003, 2207009],
	[36004, 2207010],
	[-1, 2207077],
	[-1, 2207081],
	[-1, 2207082],
	[-1, 2207085],
	// Business use case rate limits
	[80000],
	[80001],
	[80002],
	[80003],
	[80004],
	[80005],
	[80006],
	[80007],
	[80008],
	[80009],
	[80014],
	// WhatsApp Cloud API
	[0],
	[33],
	[130403],
	[130429],
	[130472],
	[130497],
	[131000],
	[131005],
	[131008],
	[131009],
	[131016],
	[131021],
	[131026],
	[131030],
	[131031],
	[131037],
	[131042],
	[131045],
	[131047],
	[131048],
	[131049],
	[131050],
	[131051],
	[131052],
	[131053],
	[131055],
	[131056],
	[131057],
	[131063],
	[131064],
	[132000],
	[132001],
	[132005],
	[132007],
	[132012],
	[132015],
	[132016],
	[132018],
	[132068],
	[132069],
	[133000],
	[133004],
	[133005],
	[133006],
	[133008],
	[133009],
	[133010],
	[133015],
	[133016],
	[134011],
	[134100],
	[134101],
	[134102],
	[135000],
	[2388019],
	[2494100],
];

describe('catalogue coverage', () => {
	it.each(
		META_DOCUMENTED_CODES.map(([code, subcode]) => [
			`${code}${subcode !== undefined ? `/${subcode}` : ''}`,
			code,
			subcode,
		]),
	)(
		'%s has an entry with a title, a non-empty hint, a retry class and a docs URL',
		(_key, code, subcode) => {
			const found = lookupMetaError(code as number, subcode as number | undefined);
			expect(found).toBeDefined();
			expect(found?.title.length).toBeGreaterThan(3);
			expect(found?.hint.length).toBeGreaterThan(30);
			expect(['transient', 'throttled', 'never']).toContain(found?.retry);
			expect(found?.docsUrl).toMatch(/^https:\/\/developers\.facebook\.com\//);
			expect(describeMetaError(code as number, subcode as number | undefined).known).toBe(true);
		},
	);

	it('lists each code-only reference entry under its own key (not only through a fallback)', () => {
		const codeOnly = META_DOCUMENTED_CODES.filter(
			([code, subcode]) => subcode === undefined && code !== 250 && code !== 299,
		);
		for (const [code] of codeOnly) {
			expect(META_ERROR_CATALOGUE[String(code)]).toBeDefined();
		}
	});

	it('a subcode refines its code, and unknown subcodes fall back to the code', () => {
		expect(lookupMetaError(190, 463)?.title).toBe('Access token expired');
		expect(lookupMetaError(190, 999999)?.title).toBe('Access token invalid or expired');
		expect(lookupMetaError(4)?.retry).toBe('throttled');
		expect(lookupMetaError(4, 2207051)?.retry).toBe('never');
		expect(lookupMetaError(80012)?.retry).toBe('throttled');
	});

	it('describes an unknown code generically', () => {
		expect(describeMetaError(987654)).toMatchObject({
			known: false,
			retry: 'never',
			title: 'Meta error 987654',
		});
	});
});

/** [code, subcode, expected title, fragment of the hint] — asserted through a real HTTP answer. */
const MAPPING: Array<[number, number | undefined, string, string]> = [
	[1, undefined, 'Meta had a temporary problem', 'lower Limit'],
	[2, undefined, 'Meta service temporarily unavailable', 'briefly down'],
	[3, undefined, 'The app cannot use this feature', 'App Dashboard'],
	[4, undefined, 'App request limit reached', 'app-level rate limit'],
	[10, undefined, 'Permission denied', 'Advanced Access'],
	[17, undefined, 'User request limit reached', 'run less often'],
	[32, undefined, 'Page request limit reached', 'Page or System User token'],
	[100, undefined, 'Invalid parameter', 'appsecret_proof'],
	[100, 33, 'Object not found or not accessible', 'Assign people'],
	[102, undefined, 'Session is no longer valid', 'Generate New Token'],
	[190, undefined, 'Access token invalid or expired', 'generated with "Never"'],
	[200, undefined, 'Missing permission or asset access', 'full control'],
	[272, undefined, 'Missing permission or asset access', 'Business Settings'],
	[341, undefined, 'Application limit reached', 'temporarily limited'],
	[368, undefined, 'Temporarily blocked for a policy violation', 'Account Quality'],
	[506, undefined, 'Duplicate post', 'Change the text'],
	[613, undefined, 'Calls exceeded the rate limit', 'spread the calls'],
	[613, 1996, 'Inconsistent request volume', 'evenly'],
	[1609005, undefined, 'Error posting link', 'public'],
	[190, 458, 'App not authorized by the user', 'removed the app'],
	[190, 459, 'Facebook account checkpointed', 'security check'],
	[190, 460, 'Password changed', 'password was changed'],
	[190, 463, 'Access token expired', 'about 60 days'],
	[190, 464, 'Facebook account not confirmed', 'confirm it on facebook.com'],
	[190, 467, 'Access token revoked', 'logged out'],
	[190, 492, 'No role on the Page any more', 'Page access'],
	[-2, 2207003, 'Timed out downloading the media', 'no redirects'],
	[-2, 2207020, 'Media container expired', 'within 24 hours'],
	[-1, 2207001, 'Instagram server error', 'try again later'],
	[-1, 2207032, 'Failed to create the media', 'media requirements'],
	[-1, 2207053, 'Unknown upload error', 'H.264'],
	[1, 2207057, 'Thumbnail offset outside the video', 'milliseconds'],
	[4, 2207051, 'Action blocked by Instagram', 'spam'],
	[9, 2207042, 'Daily publishing limit reached', 'quota'],
	[24, 2207006, 'Media not found', 'never created'],
	[24, 2207008, 'Container not ready or expired', '30 seconds to 2 minutes'],
	[25, 2207050, 'Instagram account restricted', 'Instagram app'],
	[100, 2207023, 'Unsupported media type', 'Reel'],
	[100, 2207028, 'Wrong number of carousel items', 'between 2 and 10'],
	[100, 2207035, 'Product tag positions on a video', 'Remove the positions'],
	[100, 2207036, 'Product tag positions missing', 'x and y'],
	[100, 2207037, 'Invalid product tags', 'catalog'],
	[100, 2207040, 'Too many mentions', 'more than 20'],
	[352, 2207026, 'Unsupported video format', 'MP4'],
	[9004, 2207052, 'Media could not be fetched from the URL', 'binary data'],
	[9007, 2207027, 'Media not ready for publishing', 'FINISHED'],
	[36000, 2207004, 'Image too large', '8 MB'],
	[36001, 2207005, 'Unsupported image format', 'JPEG'],
	[36003, 2207009, 'Aspect ratio not supported', '4:5'],
	[36004, 2207010, 'Caption too long', '2,200 characters'],
	[80001, undefined, 'Page rate limit reached', 'Facebook Page'],
	[80002, undefined, 'Instagram rate limit reached', 'Instagram account'],
	[80007, undefined, 'WhatsApp Business Account rate limit reached', 'slow the workflow down'],
	[80008, undefined, 'WhatsApp Business Management rate limit reached', '200 per hour'],
	[0, undefined, 'Authentication failed', 'expired or was invalidated'],
	[33, undefined, 'Phone number deleted', 'WhatsApp Manager > Phone numbers'],
	[130403, undefined, 'Recipient blocked by the business', 'Unblock'],
	[130429, undefined, 'WhatsApp throughput limit reached', 'messages per second'],
	[131005, undefined, 'Access denied', 'whatsapp_business_messaging'],
	[131009, undefined, 'Parameter value not valid', 'international number'],
	[131026, undefined, 'Message undeliverable', 'another way'],
	[131030, undefined, 'Recipient not in the allowed list', 'API Setup'],
	[131042, undefined, 'Payment problem', 'Payment settings'],
	[131047, undefined, 'More than 24 hours since the customer last wrote', 'approved template'],
	[131049, undefined, 'Meta chose not to deliver', 'at least 24 hours'],
	[131056, undefined, 'Too many messages to the same user', 'other recipients'],
	[132000, undefined, 'Wrong number of template parameters', '{{n}}'],
	[132001, undefined, 'Template does not exist in this language', 'APPROVED'],
	[132015, undefined, 'Template paused', 'low quality'],
	[133010, undefined, 'Phone number not registered', '/register'],
	[2388019, undefined, 'Message template limit reached', '250'],
];

describe('ranges and subcodes as table data', () => {
	it('code ranges are rows of the table, used only when the code has no row of its own', () => {
		expect(META_ERROR_CATALOGUE['200..299']).toBeDefined();
		expect(META_ERROR_CATALOGUE['80000..80014']).toBeDefined();
		expect(lookupMetaError(250)).toBe(META_ERROR_CATALOGUE['200..299']);
		expect(lookupMetaError(80012)).toBe(META_ERROR_CATALOGUE['80000..80014']);
		expect(lookupMetaError(80004)).toBe(META_ERROR_CATALOGUE['80004']);
		expect(lookupMetaError(300)).toBeUndefined();
		expect(lookupMetaError(79999)).toBeUndefined();
		expect(lookupMetaError(80015)).toBeUndefined();
	});

	it('codes and subcodes given as numeric text are read as numbers; anything else finds nothing', () => {
		expect(lookupMetaError('190' as never, '463' as never)?.title).toBe('Access token expired');
		expect(lookupMetaError(Number.NaN)).toBeUndefined();
		expect(lookupMetaError(null as never)).toBeUndefined();
	});

	it('lookupMetaErrorBySubcode finds a subcode known without its code', () => {
		expect(lookupMetaErrorBySubcode(2207026)).toBe(META_ERROR_CATALOGUE['352/2207026']);
		expect(lookupMetaErrorBySubcode(2207077)).toBe(META_ERROR_CATALOGUE['*/2207077']);
		expect(lookupMetaErrorBySubcode(463)).toBe(META_ERROR_CATALOGUE['190/463']);
		expect(lookupMetaErrorBySubcode(999999)).toBeUndefined();
		expect(lookupMetaErrorBySubcode(undefined)).toBeUndefined();
	});

	it('every key of the table is a code, a code/subcode pair, a */subcode row or a from..to range', () => {
		for (const key of Object.keys(META_ERROR_CATALOGUE)) {
			expect(key).toMatch(/^(?:-?\d+(?:\/\d+)?|\*\/\d+|-?\d+\.\.-?\d+)$/);
		}
	});
});

describe('mapping through a real Graph error answer', () => {
	it(`covers at least 40 code/subcode pairs (has ${MAPPING.length})`, () => {
		expect(MAPPING.length).toBeGreaterThanOrEqual(40);
	});

	it.each(MAPPING)('code %s subcode %s -> "%s"', async (code, subcode, title, hintFragment) => {
		const message = `(#${code}) Meta says no`;
		nock(BASE)
			.get('/v26.0/17841400008460056')
			.reply(400, {
				error: {
					message,
					type: 'OAuthException',
					code,
					...(subcode !== undefined ? { error_subcode: subcode } : {}),
					fbtrace_id: 'AbCdEfGh123',
				},
			});
		const { error } = await probe('request', {
			method: 'GET',
			path: '/17841400008460056',
			retry: 'none',
		});
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toBe(title);
		expect(String(error?.description)).toContain(`Meta says: ${message}.`);
		expect(String(error?.httpCode)).toBe('400');
		expect(String(error?.description)).toContain(hintFragment);
		expect(String(error?.description)).toContain(`code ${code}`);
		expect(String(error?.description)).toContain('fbtrace_id AbCdEfGh123');
		expect(getMetaErrorInfo(error)).toMatchObject({
			code,
			subcode,
			fbtraceId: 'AbCdEfGh123',
			title,
			outcome: 'failed',
			httpStatus: 400,
		});
	});

	it("adds Meta's end-user text (error_user_msg) and WhatsApp details to the description", async () => {
		nock(BASE)
			.get('/v26.0/c1')
			.reply(400, {
				error: {
					message: 'Only photo or video can be accepted as media type.',
					type: 'OAuthException',
					code: 9004,
					error_subcode: 2207052,
					error_user_title: 'Media download has failed',
					error_user_msg: 'The media could not be fetched from this URI: https://x.test/a.jpg',
					fbtrace_id: 'T',
				},
			});
		const first = await probe('request', { method: 'GET', path: '/c1' });
		expect(String(first.error?.description)).toContain(
			'Meta says: Only photo or video can be accepted as media type. Media download has failed. The media could not be fetched',
		);
		expect(first.error?.message).toBe('Media could not be fetched from the URL');
		expect(getMetaErrorInfo(first.error)).toMatchObject({ userTitle: 'Media download has failed' });

		nock(BASE)
			.post('/v26.0/123/messages')
			.reply(400, {
				error: {
					message: '(#131030) Recipient phone number not in allowed list',
					type: 'OAuthException',
					code: 131030,
					error_data: {
						messaging_product: 'whatsapp',
						details: 'Recipient phone number not in allowed list',
					},
					fbtrace_id: 'W',
				},
			});
		const second = await probe('request', { method: 'POST', path: '/123/messages', body: {} });
		expect(getMetaErrorInfo(second.error)).toMatchObject({
			code: 131030,
			details: 'Recipient phone number not in allowed list',
		});
	});

	it("maps the upload host's debug_info failure to an error with its message", async () => {
		nock(BASE)
			.post('/ig-api-upload/v26.0/77')
			.reply(400, {
				debug_info: {
					retriable: false,
					type: 'ProcessingFailedError',
					message: '{"success":false,"error":{"message":"unauthorized user request"}}',
				},
			});
		const { error } = await probe('request', {
			method: 'POST',
			path: `${BASE}/ig-api-upload/v26.0/77`,
			authScheme: 'OAuth',
		});
		expect(error?.message).toContain('unauthorized user request');
		expect(getMetaErrorInfo(error)).toMatchObject({
			outcome: 'failed',
			httpStatus: 400,
			type: 'ProcessingFailedError',
		});
	});
});

describe('headlines in our words, punctuation once', () => {
	const node = {
		id: 'n',
		name: 'Meta',
		type: 'n8n-nodes-meta-business.test',
		typeVersion: 1,
		position: [0, 0] as [number, number],
		parameters: {},
	};

	it('no catalogue title or hint has a doubled full stop; titles end without one', () => {
		for (const [key, found] of Object.entries(META_ERROR_CATALOGUE)) {
			expect({ key, title: found.title }).not.toEqual({
				key,
				title: expect.stringMatching(/\.\.|\.$/),
			});
			expect({ key, hint: found.hint }).not.toEqual({ key, hint: expect.stringMatching(/\.\./) });
		}
	});

	it.each(Object.keys(META_ERROR_CATALOGUE))(
		"%s: the title is the headline, Meta's text (ending in its own full stops) follows once",
		(key) => {
			const [codePart, subcodePart] = key.split('/');
			const code = codePart === '*' ? 1 : Number(codePart.split('..')[0]);
			const subcode = subcodePart !== undefined ? Number(subcodePart) : undefined;
			const error = createMetaApiError(node, {
				metaError: {
					message: `(#${code}) Meta's own text.`,
					type: 'OAuthException',
					code,
					...(subcode !== undefined ? { error_subcode: subcode } : {}),
					error_user_title: 'A title with its stop.',
					error_user_msg: 'A message with its stop..',
					fbtrace_id: 'T',
				},
				httpStatus: 400,
			});
			expect(error.message).toBe(lookupMetaError(code, subcode)?.title);
			expect(error.description).toContain(`Meta says: (#${code}) Meta's own text.`);
			expect(error.description).toContain('A title with its stop. A message with its stop.');
			expect(error.description).not.toMatch(/\.\./);
			expect(getMetaErrorInfo(error)?.message).toBe(`(#${code}) Meta's own text.`);
		},
	);

	it("withCallHint puts call-specific advice first and keeps Meta's words and numbers", () => {
		const error = createMetaApiError(node, {
			metaError: {
				message: 'Only photo or video.',
				code: 9004,
				error_subcode: 2207052,
				fbtrace_id: 'X',
			},
			httpStatus: 400,
		});
		withCallHint(error, 'Use a public image URL.');
		expect(error.message).toBe('Media could not be fetched from the URL');
		expect(error.description).toBe(
			'Use a public image URL. Meta says: Only photo or video. (code 9004, subcode 2207052, fbtrace_id X)',
		);
		expect(getMetaErrorInfo(error)?.hint).toBe('Use a public image URL.');
	});

	it("an unknown code keeps Meta's message as the headline", () => {
		const error = createMetaApiError(node, {
			metaError: { message: 'Something new', code: 987654 },
			httpStatus: 400,
		});
		expect(error.message).toBe('Something new');
		expect(error.description).not.toContain('Meta says: Something new');
		expect(error.description).toContain('(code 987654)');
	});
});

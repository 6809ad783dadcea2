/**
 * The simulator engine over real HTTP: routing, auth, appsecret_proof, fields, paging, multi-id
 * reads, batch, body encodings, faults, latency, clock, usage throttling, request log.
 * Expected shapes and codes come from Meta's pages, as summarised in docs/graph-api.md.
 */
import axios from 'axios';
import { createHmac } from 'crypto';

import { appSecretProof } from '../../simulator';
import type { DomainModule, GraphNodeType } from '../../simulator/types';
import {
	APP_ID,
	APP_SECRET,
	APP_TOKEN,
	PAGE_ID,
	SYSTEM_TOKEN,
	USER_ID,
	USER_TOKEN,
	bearer,
	demoWith,
	graphError,
	start,
	type Harness,
} from './helpers';

interface Thing {
	id: string;
	label: string;
	children: Thing[];
}

const things: Thing[] = Array.from({ length: 60 }, (_, i) => ({
	id: String(900000000000100 + i),
	label: `thing ${i}`,
	children: [],
}));
const root: Thing = { id: '900000000000001', label: 'root', children: things };

let counter = 0;

const thingType: GraphNodeType<Thing> = {
	kind: 'TestThing',
	defaultFields: ['id'],
	fields: {
		id: (thing) => thing.id,
		label: (thing) => thing.label,
		children: (thing, ctx) =>
			ctx.edge(
				'TestThing',
				thing.children.map((child) => ctx.ref('TestThing', child)),
			),
		empty: (_thing, ctx) => ctx.edge('TestThing', []),
		config: () => ({ quota_total: 100, quota_duration: 86400 }),
	},
};

/** A test-only domain module: echo routes to observe body parsing and handler result shapes. */
const testModule: DomainModule = {
	name: 'engine-test',
	nodeTypes: [thingType],
	routes: [
		{
			method: 'POST',
			pattern: '/echo/:name',
			handler: (ctx) => ({
				name: ctx.match.name,
				params: ctx.req.params,
				body: ctx.req.body,
				rawBytes: ctx.req.rawBody.length,
				files: ctx.req.files?.map((f) => ({
					field: f.field,
					filename: f.filename,
					contentType: f.contentType,
					text: f.data.toString('utf8'),
				})),
			}),
		},
		{ method: 'POST', pattern: '/counter/increment', handler: () => ({ value: ++counter }) },
		{ method: 'GET', pattern: '/counter', handler: () => ({ value: counter }) },
		{ method: 'GET', pattern: '/things/root', handler: (ctx) => ctx.ref('TestThing', root) },
		{
			method: 'GET',
			pattern: '/things/list',
			handler: (ctx) =>
				ctx.edge(
					'TestThing',
					things.map((t) => ctx.ref('TestThing', t)),
				),
		},
		{
			method: 'GET',
			pattern: '/things/custom',
			handler: () => ({ status: 201, body: { created: true }, headers: { 'x-custom': 'yes' } }),
		},
		{
			method: 'GET',
			pattern: '/:id/kind',
			accepts: (match) => match.id.startsWith('9000'),
			handler: (ctx) => ({ kind: 'thing', id: ctx.match.id }),
		},
		{
			method: 'GET',
			pattern: '/:id/kind',
			handler: (ctx) => ({ kind: 'other', id: ctx.match.id }),
		},
		{ method: 'GET', pattern: '/things/status', handler: () => ({ status: 'FINISHED' }) },
		{
			method: 'GET',
			pattern: '/things/raw',
			handler: () => ({ raw: Buffer.from([1, 2, 3]), contentType: 'application/octet-stream' }),
		},
		{
			method: 'GET',
			pattern: '/things/fail',
			handler: (ctx) =>
				ctx.fail({
					code: 131009,
					message: '(#131009) Parameter value is not valid',
					details: 'bad',
				}),
		},
		{
			method: 'GET',
			pattern: '/things/crash',
			handler: () => {
				throw new Error('boom');
			},
		},
		{ method: 'GET', pattern: '/public/ping', auth: 'none', handler: () => ({ pong: true }) },
		{
			method: 'GET',
			pattern: '/things/scope/:scope',
			handler: (ctx) => {
				ctx.requireScope(
					ctx.match.scope,
					typeof ctx.req.params.target === 'string' ? ctx.req.params.target : undefined,
					ctx.req.params.code === '200' ? 200 : 10,
				);
				return { success: true };
			},
		},
	],
	init(world) {
		world.objects.set(root.id, { kind: 'TestThing', obj: root });
		for (const thing of things) world.objects.set(thing.id, { kind: 'TestThing', obj: thing });
	},
};

let h: Harness;

beforeAll(async () => {
	h = await start('demo', { extraModules: [testModule] });
});

afterAll(async () => {
	await h.sim.stop();
});

beforeEach(() => {
	h.sim.control.reset();
});

describe('routing and token transport', () => {
	it('serves versioned and unversioned paths and reports the version', async () => {
		const versioned = await h.http.get('/v25.0/me', bearer(USER_TOKEN));
		expect(versioned.status).toBe(200);
		expect(versioned.data).toEqual({ name: 'Dana Demo', id: USER_ID });
		expect(versioned.headers['facebook-api-version']).toBe('v25.0');
		expect(versioned.headers['x-fb-trace-id']).toBeTruthy();
		const unversioned = await h.http.get('/me', bearer(USER_TOKEN));
		expect(unversioned.data.id).toBe(USER_ID);
	});

	it('takes the token from query, form body, JSON body, Bearer and OAuth headers', async () => {
		const viaQuery = await h.http.get(`/v26.0/me?access_token=${USER_TOKEN}`);
		const viaForm = await h.http.post('/v26.0/echo/form', `access_token=${USER_TOKEN}&a=1`, {
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		});
		const viaJson = await h.http.post('/v26.0/echo/json', {
			access_token: USER_TOKEN,
			nested: { x: [1, 2] },
		});
		const viaOAuth = await h.http.get('/v26.0/me', {
			headers: { Authorization: `OAuth ${USER_TOKEN}` },
		});
		expect(viaQuery.data.id).toBe(USER_ID);
		expect(viaForm.status).toBe(200);
		expect(viaForm.data.params.a).toBe('1');
		expect(viaJson.status).toBe(200);
		expect(viaJson.data.params.nested).toEqual({ x: [1, 2] });
		expect(viaOAuth.data.id).toBe(USER_ID);
	});

	it('merges query and body parameters with the body winning', async () => {
		const res = await h.http.post(
			'/v26.0/echo/merge?a=query&b=query',
			{ a: 'body' },
			bearer(USER_TOKEN),
		);
		expect(res.data.params).toMatchObject({ a: 'body', b: 'query' });
	});

	it('parses multipart/form-data parts and files', async () => {
		const form = new FormData();
		form.append('messaging_product', 'whatsapp');
		form.append('type', 'image/jpeg');
		form.append('file', new Blob([Buffer.from('JPEGDATA')], { type: 'image/jpeg' }), 'photo.jpg');
		const res = await h.http.post('/v26.0/echo/multipart', form, bearer(USER_TOKEN));
		expect(res.status).toBe(200);
		expect(res.data.params).toMatchObject({ messaging_product: 'whatsapp', type: 'image/jpeg' });
		expect(res.data.files).toEqual([
			{ field: 'file', filename: 'photo.jpg', contentType: 'image/jpeg', text: 'JPEGDATA' },
		]);
	});

	it('keeps raw binary bodies (rupload style)', async () => {
		const res = await h.http.post('/echo/raw', Buffer.alloc(1234, 7), {
			headers: {
				Authorization: `OAuth ${USER_TOKEN}`,
				'Content-Type': 'application/octet-stream',
				offset: '0',
			},
		});
		expect(res.status).toBe(200);
		expect(res.data.rawBytes).toBe(1234);
		expect(res.data.body).toBeUndefined();
	});

	it('rejects a JSON body that does not parse with code 100', async () => {
		const res = await h.http.post('/v26.0/echo/x', '{"a":', {
			headers: { 'Content-Type': 'application/json', ...bearer(USER_TOKEN).headers },
			transformRequest: [(data) => data],
		});
		expect(res.status).toBe(400);
		expect(graphError(res).code).toBe(100);
	});

	it('renders handler results: refs and edges with fields, SimResponse, raw bytes, errors', async () => {
		const ref = await h.http.get(
			'/things/root?fields=label,children.limit(2){label}',
			bearer(USER_TOKEN),
		);
		expect(ref.data.label).toBe('root');
		expect(ref.data.children.data).toEqual([
			{ label: 'thing 0', id: '900000000000100' },
			{ label: 'thing 1', id: '900000000000101' },
		]);
		const edge = await h.http.get('/things/list?fields=label&limit=3', bearer(USER_TOKEN));
		expect(edge.data.data).toHaveLength(3);
		expect(edge.data.paging.next).toContain('/things/list?');
		const custom = await h.http.get('/things/custom', bearer(USER_TOKEN));
		expect(custom.status).toBe(201);
		expect(custom.headers['x-custom']).toBe('yes');
		const plain = await h.http.get('/things/status', bearer(USER_TOKEN));
		expect(plain.status).toBe(200);
		expect(plain.data).toEqual({ status: 'FINISHED' });
		const raw = await h.http.get('/things/raw', {
			...bearer(USER_TOKEN),
			responseType: 'arraybuffer',
		});
		expect(Buffer.from(raw.data)).toEqual(Buffer.from([1, 2, 3]));
		const failed = await h.http.get('/things/fail', bearer(USER_TOKEN));
		expect(failed.status).toBe(400);
		expect(failed.data.error).toMatchObject({
			code: 131009,
			type: 'OAuthException',
			error_data: { messaging_product: 'whatsapp', details: 'bad' },
		});
		const crashed = await h.http.get('/things/crash', bearer(USER_TOKEN));
		expect(crashed.status).toBe(500);
		expect(graphError(crashed)).toMatchObject({
			code: 1,
			message: 'An unknown error has occurred.',
		});
	});

	it('a route guard (accepts) passes non-matching ids on to the next route', async () => {
		expect((await h.http.get('/v26.0/900000000000001/kind', bearer(USER_TOKEN))).data).toEqual({
			kind: 'thing',
			id: '900000000000001',
		});
		expect((await h.http.get(`/v26.0/${PAGE_ID}/kind`, bearer(USER_TOKEN))).data).toEqual({
			kind: 'other',
			id: PAGE_ID,
		});
	});

	it('routes with auth "none" run without a token', async () => {
		const res = await h.http.get('/public/ping');
		expect(res.data).toEqual({ pong: true });
	});
});

describe('authentication errors (token, code 190 subcodes, appsecret_proof)', () => {
	it('missing token: 2500 for /me, 104 for objects, 200 for WhatsApp objects', async () => {
		const me = await h.http.get('/v26.0/me');
		expect(me.status).toBe(400);
		expect(graphError(me)).toMatchObject({
			code: 2500,
			message: 'An active access token must be used to query information about the current user.',
		});
		expect(graphError(await h.http.get(`/v26.0/${PAGE_ID}`)).code).toBe(104);
		expect(graphError(await h.http.get('/v26.0/102000000000001/phone_numbers'))).toMatchObject({
			code: 200,
			message: '(#200) Provide valid app ID',
		});
	});

	it('suppress_http_code=1 answers 200 with the error in the body', async () => {
		const res = await h.http.get('/v26.0/me?suppress_http_code=1', bearer('EAAnotAToken'));
		expect(res.status).toBe(200);
		expect(graphError(res).code).toBe(190);
		expect(res.headers['facebook-api-version']).toBe('v26.0');
	});

	it('unknown token: 190 without subcode and a WWW-Authenticate header', async () => {
		const res = await h.http.get('/v26.0/me', bearer('EAAnotAToken'));
		expect(res.status).toBe(400);
		const error = graphError(res);
		expect(error).toMatchObject({
			code: 190,
			type: 'OAuthException',
			message: 'Invalid OAuth access token - Cannot parse access token',
		});
		expect(error.error_subcode).toBeUndefined();
		expect(error.fbtrace_id).toMatch(/^[A-Za-z0-9_-]{11}$/);
		expect(res.headers['www-authenticate']).toContain('invalid_token');
	});

	it('expired token: 190/463 once the simulated clock passes expires_at', async () => {
		expect((await h.http.get('/v26.0/me', bearer(USER_TOKEN))).status).toBe(200);
		h.sim.control.advanceClock(61 * 24 * 3600 * 1000);
		const error = graphError(await h.http.get('/v26.0/me', bearer(USER_TOKEN)));
		expect(error).toMatchObject({ code: 190, error_subcode: 463 });
		expect(error.message).toMatch(
			/^Error validating access token: Session has expired on .+\. The current time is .+\.$/,
		);
	});

	it('a scenario token with negative expiresIn is already expired', async () => {
		const local = await start(demoWith((s) => (s.tokens[0].expiresIn = -60)));
		try {
			expect(graphError(await local.http.get('/v26.0/me', bearer(USER_TOKEN)))).toMatchObject({
				code: 190,
				error_subcode: 463,
			});
		} finally {
			await local.sim.stop();
		}
	});

	it('revoked token: 190 with the subcode, in process and over the admin API', async () => {
		h.sim.control.revokeToken(USER_TOKEN, 460);
		const error = graphError(await h.http.get('/v26.0/me', bearer(USER_TOKEN)));
		expect(error).toMatchObject({ code: 190, error_subcode: 460 });
		expect(error.message).toContain('changed their password');
		const admin = await h.http.post('/__admin/revoke', {
			token: 'EAADemoSystemUser',
			subcode: 467,
		});
		expect(admin.status).toBe(200);
		expect(graphError(await h.http.get('/v26.0/me', bearer('EAADemoSystemUser')))).toMatchObject({
			code: 190,
			error_subcode: 467,
		});
	});

	it('a Page token whose user lost every task on the Page gives 190/492', async () => {
		const local = await start(demoWith((s) => (s.pages![0].tasks['10150000000000001'] = [])));
		try {
			expect(
				graphError(await local.http.get('/v26.0/me', bearer('EAADemoPageCafeAurora'))),
			).toMatchObject({ code: 190, error_subcode: 492 });
		} finally {
			await local.sim.stop();
		}
	});

	describe('appsecret_proof', () => {
		let strict: Harness;
		beforeAll(async () => {
			strict = await start(
				demoWith((s) => (s.apps[0].requireAppSecret = true)),
				{ extraModules: [testModule] },
			);
		});
		afterAll(async () => strict.sim.stop());

		it('missing proof on a "Require App Secret" app: 100 GraphMethodException', async () => {
			const res = await strict.http.get('/v26.0/me', bearer(USER_TOKEN));
			expect(res.status).toBe(400);
			expect(graphError(res)).toMatchObject({
				code: 100,
				type: 'GraphMethodException',
				message: 'API calls from the server require an appsecret_proof argument',
			});
		});

		it('wrong proof: "Invalid appsecret_proof provided in the API argument"', async () => {
			const res = await strict.http.get(
				`/v26.0/me?appsecret_proof=${'0'.repeat(64)}`,
				bearer(USER_TOKEN),
			);
			expect(graphError(res)).toMatchObject({
				code: 100,
				type: 'GraphMethodException',
				message: 'Invalid appsecret_proof provided in the API argument',
			});
		});

		it('correct proof (query, form body or appsecret_time variant) passes', async () => {
			const proof = createHmac('sha256', APP_SECRET).update(USER_TOKEN).digest('hex');
			expect(proof).toBe(appSecretProof(APP_SECRET, USER_TOKEN));
			expect(
				(await strict.http.get(`/v26.0/me?appsecret_proof=${proof}`, bearer(USER_TOKEN))).status,
			).toBe(200);
			const form = await strict.http.post(
				'/v26.0/echo/p',
				`appsecret_proof=${proof}&access_token=${USER_TOKEN}`,
				{
					headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
				},
			);
			expect(form.status).toBe(200);
			const time = String(Math.floor(Date.now() / 1000));
			const timed = createHmac('sha256', APP_SECRET).update(`${USER_TOKEN}|${time}`).digest('hex');
			expect(
				(
					await strict.http.get(
						`/v26.0/me?appsecret_proof=${timed}&appsecret_time=${time}`,
						bearer(USER_TOKEN),
					)
				).status,
			).toBe(200);
		});

		it('the app token {app-id}|{secret} needs no proof', async () => {
			const res = await strict.http.get(
				`/v26.0/debug_token?input_token=${USER_TOKEN}`,
				bearer(`${APP_ID}|${APP_SECRET}`),
			);
			expect(res.status).toBe(200);
		});
	});

	it('a wrong proof fails even when the app does not require one', async () => {
		const res = await h.http.get('/v26.0/me?appsecret_proof=abc', bearer(USER_TOKEN));
		expect(graphError(res).message).toBe('Invalid appsecret_proof provided in the API argument');
	});

	it('ctx.requireScope: missing, declined and granular-target checks with code 10 or 200', async () => {
		const local = await start(
			demoWith((s) => {
				s.tokens[0].scopes = s.tokens[0].scopes.filter(
					(scope) => scope !== 'instagram_content_publish',
				);
				s.tokens[0].declinedScopes = ['pages_manage_posts'];
				s.tokens[0].granularScopes = [
					{ scope: 'whatsapp_business_messaging', targetIds: ['106000000000001'] },
				];
			}),
			{ extraModules: [testModule] },
		);
		try {
			const missing = graphError(
				await local.http.get('/things/scope/instagram_content_publish', bearer(USER_TOKEN)),
			);
			expect(missing.code).toBe(10);
			const declined = graphError(
				await local.http.get('/things/scope/pages_manage_posts?code=200', bearer(USER_TOKEN)),
			);
			expect(declined.code).toBe(200);
			const outside = await local.http.get(
				'/things/scope/whatsapp_business_messaging?target=106000000000002&code=200',
				bearer(USER_TOKEN),
			);
			expect(graphError(outside).code).toBe(200);
			const inside = await local.http.get(
				'/things/scope/whatsapp_business_messaging?target=106000000000001',
				bearer(USER_TOKEN),
			);
			expect(inside.data).toEqual({ success: true });
		} finally {
			await local.sim.stop();
		}
	});

	it('development-mode apps: users without an app role get code 10 on permissioned calls', async () => {
		const local = await start(
			demoWith((s) => {
				s.apps[0].mode = 'development';
				s.apps[0].roleUserIds = [];
			}),
		);
		try {
			expect((await local.http.get('/v26.0/me', bearer(USER_TOKEN))).status).toBe(200);
			const accounts = graphError(await local.http.get('/v26.0/me/accounts', bearer(USER_TOKEN)));
			expect(accounts.code).toBe(10);
			expect(accounts.message).toBe('(#10) Application does not have permission for this action');
		} finally {
			await local.sim.stop();
		}
	});
});

describe('field selection, expansion, paging (https://developers.facebook.com/docs/graph-api/results)', () => {
	it('returns default fields without fields=, and the selected ones plus id with it', async () => {
		expect((await h.http.get('/v26.0/900000000000001', bearer(USER_TOKEN))).data).toEqual({
			id: '900000000000001',
		});
		const selected = await h.http.get('/v26.0/900000000000001?fields=label', bearer(USER_TOKEN));
		expect(selected.data).toEqual({ label: 'root', id: '900000000000001' });
		// Like Meta, the unrequested id comes after the requested fields.
		expect(Object.keys(selected.data)).toEqual(['label', 'id']);
		const requested = await h.http.get(
			'/v26.0/900000000000001?fields=label,id',
			bearer(USER_TOKEN),
		);
		expect(Object.keys(requested.data)).toEqual(['label', 'id']);
		// Plain-object values (not Graph objects) get no id.
		const config = await h.http.get(
			'/v26.0/900000000000001?fields=config{quota_total}',
			bearer(USER_TOKEN),
		);
		expect(config.data).toEqual({ config: { quota_total: 100 }, id: '900000000000001' });
	});

	it('includes id in nested objects, edge items and multi-id reads, and on the real domains', async () => {
		const nested = await h.http.get(
			`/v26.0/me/accounts?fields=name,instagram_business_account{username}&limit=1`,
			bearer(USER_TOKEN),
		);
		expect(nested.data.data[0]).toMatchObject({
			id: PAGE_ID,
			instagram_business_account: { id: expect.any(String) },
		});
		const me = await h.http.get('/v26.0/me?fields=name', bearer(USER_TOKEN));
		expect(me.data).toEqual({ name: 'Dana Demo', id: USER_ID });
	});

	it('unknown field: 100 "Tried accessing nonexisting field (x) on node type (Y)"', async () => {
		const error = graphError(await h.http.get('/v26.0/me?fields=id,nope', bearer(USER_TOKEN)));
		expect(error).toMatchObject({
			code: 100,
			message: '(#100) Tried accessing nonexisting field (nope) on node type (User)',
		});
	});

	it('a malformed fields expression is a 2500 syntax error', async () => {
		expect(graphError(await h.http.get('/v26.0/me?fields=id,{', bearer(USER_TOKEN))).code).toBe(
			2500,
		);
	});

	it('nested expansion with .limit() and plain-object children', async () => {
		const res = await h.http.get(
			'/v26.0/900000000000001?fields=id,config{quota_total},children.limit(2){id,label},empty',
			bearer(USER_TOKEN),
		);
		expect(res.data.config).toEqual({ quota_total: 100 });
		expect(res.data.children.data).toEqual([
			{ id: '900000000000100', label: 'thing 0' },
			{ id: '900000000000101', label: 'thing 1' },
		]);
		expect(res.data.children.paging.cursors).toEqual({
			before: expect.any(String),
			after: expect.any(String),
		});
		const next = new URL(res.data.children.paging.next);
		expect(next.pathname).toBe('/v26.0/900000000000001/children');
		expect(next.searchParams.get('fields')).toBe('id,label');
		expect(next.searchParams.get('limit')).toBe('2');
		expect(res.data.empty).toEqual({ data: [] });
		const follow = await axios.get(res.data.children.paging.next);
		expect(follow.data.data[0]).toEqual({ id: '900000000000102', label: 'thing 2' });
	});

	it('.fields() modifier is an alternative to braces', async () => {
		const res = await h.http.get(
			'/v26.0/900000000000001?fields=children.limit(1).fields(label)',
			bearer(USER_TOKEN),
		);
		expect(res.data.children.data).toEqual([{ label: 'thing 0', id: '900000000000100' }]);
	});

	it('edge reads page with limit/after, next is absolute and absent on the last page', async () => {
		const seen: string[] = [];
		let url: string | undefined =
			`${h.sim.baseUrl}/v26.0/900000000000001/children?fields=id&limit=25&access_token=${USER_TOKEN}`;
		let pages = 0;
		while (url) {
			const res: {
				data: {
					data: Array<{ id: string }>;
					paging: { cursors: { after: string }; next?: string };
				};
			} = await axios.get(url);
			pages++;
			seen.push(...res.data.data.map((item: { id: string }) => item.id));
			expect(res.data.paging.cursors.after).toEqual(expect.any(String));
			url = res.data.paging.next;
			if (url) expect(url.startsWith(h.sim.baseUrl + '/v26.0/')).toBe(true);
		}
		expect(pages).toBe(3);
		expect(seen).toEqual(things.map((t) => t.id));
		const second = await h.http.get(
			'/v26.0/900000000000001/children?limit=25&after=' +
				encodeURIComponent(
					(await h.http.get('/v26.0/900000000000001/children?limit=25', bearer(USER_TOKEN))).data
						.paging.cursors.after,
				),
			bearer(USER_TOKEN),
		);
		expect(second.data.data[0].id).toBe(things[25].id);
		expect(second.data.paging.previous).toContain('before=');
	});

	it('default page size is 25', async () => {
		const res = await h.http.get('/v26.0/900000000000001/children', bearer(USER_TOKEN));
		expect(res.data.data).toHaveLength(25);
	});

	it('ids= multi-id reads return an object keyed by id; unknown ids give 803', async () => {
		const res = await h.http.get(
			`/v26.0/?ids=900000000000100,900000000000101&fields=label`,
			bearer(USER_TOKEN),
		);
		expect(res.data).toEqual({
			'900000000000100': { label: 'thing 0', id: '900000000000100' },
			'900000000000101': { label: 'thing 1', id: '900000000000101' },
		});
		const error = graphError(
			await h.http.get('/v26.0/?ids=900000000000100,555', bearer(USER_TOKEN)),
		);
		expect(error).toMatchObject({
			code: 803,
			message: '(#803) Some of the aliases you requested do not exist: 555',
		});
	});

	it('unknown object: 100/33 GraphMethodException; unknown edge: 100; deeper path: 2500', async () => {
		const unknown = graphError(await h.http.get('/v26.0/31337', bearer(USER_TOKEN)));
		expect(unknown).toMatchObject({ code: 100, error_subcode: 33, type: 'GraphMethodException' });
		expect(unknown.message).toContain("Object with ID '31337' does not exist");
		const post = graphError(await h.http.post('/v26.0/31337/whatever', {}, bearer(USER_TOKEN)));
		expect(post.message).toMatch(/^Unsupported post request/);
		expect(graphError(await h.http.get('/v26.0/me/nothing', bearer(USER_TOKEN)))).toMatchObject({
			code: 100,
			message: '(#100) Tried accessing nonexisting field (nothing) on node type (User)',
		});
		expect(graphError(await h.http.get('/v26.0/me/a/b', bearer(USER_TOKEN))).code).toBe(2500);
	});
});

describe('batch requests (https://developers.facebook.com/docs/graph-api/batch-requests)', () => {
	it('runs operations, returns JSON-string bodies, headers unless include_headers=false', async () => {
		const batch = [
			{ method: 'GET', relative_url: 'me?fields=id,name' },
			{ method: 'GET', relative_url: '/v26.0/900000000000001?fields=label' },
			{ method: 'GET', relative_url: '31337' },
		];
		const res = await h.http.post('/v26.0/', {
			batch: JSON.stringify(batch),
			access_token: USER_TOKEN,
		});
		expect(res.status).toBe(200);
		expect(res.data).toHaveLength(3);
		expect(res.data[0].code).toBe(200);
		expect(typeof res.data[0].body).toBe('string');
		expect(JSON.parse(res.data[0].body)).toEqual({ id: USER_ID, name: 'Dana Demo' });
		expect(res.data[0].headers).toEqual(
			expect.arrayContaining([{ name: 'Content-Type', value: 'text/javascript; charset=UTF-8' }]),
		);
		expect(JSON.parse(res.data[1].body)).toEqual({ label: 'root', id: '900000000000001' });
		expect(res.data[2].code).toBe(400);
		expect(JSON.parse(res.data[2].body).error).toMatchObject({ code: 100, error_subcode: 33 });
		const noHeaders = await h.http.post(
			'/v26.0/',
			`batch=${encodeURIComponent(JSON.stringify(batch))}&include_headers=false`,
			{
				headers: {
					'Content-Type': 'application/x-www-form-urlencoded',
					Authorization: `Bearer ${USER_TOKEN}`,
				},
			},
		);
		expect(noHeaders.data[0].headers).toBeUndefined();
		expect(JSON.parse(noHeaders.data[0].body).id).toBe(USER_ID);
	});

	it('resolves {result=name:$.data.*.id} and omits referenced responses (null)', async () => {
		const batch = [
			{ method: 'GET', name: 'kids', relative_url: '900000000000001/children?limit=3' },
			{ method: 'GET', relative_url: '?ids={result=kids:$.data.*.id}&fields=label' },
			{
				method: 'GET',
				name: 'kept',
				omit_response_on_success: false,
				relative_url: '900000000000001/children?limit=1',
			},
			{ method: 'GET', relative_url: '{result=kept:$.data[0].id}?fields=label' },
		];
		const res = await h.http.post('/v26.0/', {
			batch,
			access_token: USER_TOKEN,
			include_headers: false,
		});
		expect(res.data[0]).toBeNull();
		expect(JSON.parse(res.data[1].body)).toEqual({
			'900000000000100': { label: 'thing 0', id: '900000000000100' },
			'900000000000101': { label: 'thing 1', id: '900000000000101' },
			'900000000000102': { label: 'thing 2', id: '900000000000102' },
		});
		expect(JSON.parse(res.data[2].body).data).toHaveLength(1);
		expect(JSON.parse(res.data[3].body)).toEqual({ label: 'thing 0', id: '900000000000100' });
	});

	it('POST operations with form bodies and per-operation tokens; per-op errors', async () => {
		const batch = [
			{ method: 'POST', relative_url: 'echo/one', body: 'caption=hi%20there&n=2' },
			{ method: 'GET', relative_url: `me?access_token=EAADemoSystemUser` },
			{ method: 'GET', relative_url: 'me?access_token=EAAbad' },
		];
		const res = await h.http.post('/v26.0/', {
			batch,
			access_token: USER_TOKEN,
			include_headers: false,
		});
		expect(JSON.parse(res.data[0].body).params).toMatchObject({ caption: 'hi there', n: '2' });
		expect(JSON.parse(res.data[1].body).id).toBe('61550000000000001');
		expect(res.data[2].code).toBe(400);
		expect(JSON.parse(res.data[2].body).error.code).toBe(190);
	});

	it('chains POST operations with form bodies through {result=name:$.id} (Instagram carousel in one call)', async () => {
		const image = `${h.sim.fixturesBaseUrl}/fixtures/image.jpg?width=1080&height=1350`;
		const ig = '17841400000000001';
		const batch = [
			{
				method: 'POST',
				name: 'first',
				relative_url: `${ig}/media`,
				body: `image_url=${encodeURIComponent(image)}&is_carousel_item=true`,
			},
			{
				method: 'POST',
				name: 'second',
				relative_url: `${ig}/media`,
				body: `image_url=${encodeURIComponent(image)}&is_carousel_item=true`,
			},
			{
				method: 'POST',
				name: 'carousel',
				relative_url: `${ig}/media`,
				body: 'media_type=CAROUSEL&caption=Two%20photos&children={result=first:$.id},{result=second:$.id}',
			},
			{
				method: 'POST',
				name: 'published',
				omit_response_on_success: false,
				relative_url: `${ig}/media_publish?creation_id={result=carousel:$.id}`,
			},
			{ method: 'GET', relative_url: '{result=published:$.id}?fields=media_type,caption' },
		];
		const res = await h.http.post('/v26.0/', {
			batch,
			access_token: USER_TOKEN,
			include_headers: false,
		});
		expect(res.status).toBe(200);
		expect(res.data.slice(0, 3)).toEqual([null, null, null]);
		expect(res.data[3].code).toBe(200);
		const publishedId = JSON.parse(res.data[3].body).id;
		expect(publishedId).toMatch(/^\d+$/);
		expect(JSON.parse(res.data[4].body)).toEqual({
			media_type: 'CAROUSEL_ALBUM',
			caption: 'Two photos',
			id: publishedId,
		});
		const log = h.sim.control.requests().at(-1);
		expect(log?.batch?.map((op) => `${op.method} ${op.path} ${op.status}`)).toEqual([
			`POST /${ig}/media 200`,
			`POST /${ig}/media 200`,
			`POST /${ig}/media 200`,
			`POST /${ig}/media_publish 200`,
			`GET /${publishedId} 200`,
		]);
	});

	it('an operation referencing a failed one fails with code 1; the failed one keeps its own error', async () => {
		const ig = '17841400000000001';
		const batch = [
			{
				method: 'POST',
				name: 'broken',
				relative_url: `${ig}/media`,
				body: 'image_url=https%3A%2F%2F127.0.0.1%3A1%2Fnothing.jpg',
			},
			{
				method: 'POST',
				relative_url: `${ig}/media_publish`,
				body: 'creation_id={result=broken:$.id}',
			},
		];
		const res = await h.http.post('/v26.0/', {
			batch,
			access_token: USER_TOKEN,
			include_headers: false,
		});
		expect(res.data[0].code).toBe(400);
		expect(JSON.parse(res.data[0].body).error).toMatchObject({
			code: 9004,
			error_subcode: 2207052,
		});
		expect(res.data[1].code).toBe(400);
		expect(JSON.parse(res.data[1].body).error).toMatchObject({ code: 1 });
	});

	it('more than 50 operations: error code 1', async () => {
		const batch = Array.from({ length: 51 }, () => ({ method: 'GET', relative_url: 'me' }));
		const res = await h.http.post('/v26.0/', { batch, access_token: USER_TOKEN });
		expect(res.status).toBe(400);
		expect(graphError(res)).toMatchObject({
			code: 1,
			message: '(#1) Too many requests in batch message. Maximum batch size is 50',
		});
	});

	it('a batch that is not a JSON array is a 100', async () => {
		expect(
			graphError(await h.http.post('/v26.0/', { batch: 'nope', access_token: USER_TOKEN })).code,
		).toBe(100);
	});

	it('logs one request with a per-operation summary', async () => {
		h.sim.control.clearRequests();
		await h.http.post('/v26.0/', {
			batch: [{ relative_url: 'me' }, { relative_url: '31337' }],
			access_token: USER_TOKEN,
		});
		const log = h.sim.control.requests();
		expect(log).toHaveLength(1);
		expect(log[0].batch).toEqual([
			{ method: 'GET', path: '/me', status: 200 },
			{ method: 'GET', path: '/31337', status: 400, errorCode: 100 },
		]);
	});
});

describe('faults, latency, clock', () => {
	it('http500 and http503 with Meta error bodies, once by default', async () => {
		h.sim.control.injectFault({ kind: 'http500', path: '^/me$' });
		const first = await h.http.get('/v26.0/me', bearer(USER_TOKEN));
		expect(first.status).toBe(500);
		expect(graphError(first)).toMatchObject({ code: 1, is_transient: true });
		expect((await h.http.get('/v26.0/me', bearer(USER_TOKEN))).status).toBe(200);
		h.sim.control.injectFault({ kind: 'http503', method: 'GET', times: 2 });
		expect((await h.http.get('/v26.0/me', bearer(USER_TOKEN))).status).toBe(503);
		const second = await h.http.get('/v26.0/me', bearer(USER_TOKEN));
		expect(second.status).toBe(503);
		expect(graphError(second).code).toBe(2);
		expect((await h.http.get('/v26.0/me', bearer(USER_TOKEN))).status).toBe(200);
	});

	it('fault rules filter on method and path', async () => {
		h.sim.control.injectFault({ kind: 'http500', method: 'POST', path: '/counter' });
		expect((await h.http.get('/v26.0/counter', bearer(USER_TOKEN))).status).toBe(200);
		expect((await h.http.get('/v26.0/me', bearer(USER_TOKEN))).status).toBe(200);
		expect((await h.http.post('/v26.0/counter/increment', {}, bearer(USER_TOKEN))).status).toBe(
			500,
		);
	});

	it('reset destroys the connection', async () => {
		h.sim.control.injectFault({ kind: 'reset' });
		await expect(h.http.get('/v26.0/me', bearer(USER_TOKEN))).rejects.toMatchObject({
			code: expect.stringMatching(/ECONNRESET|ERR_BAD_RESPONSE|socket hang up/),
		});
		expect(h.sim.control.requests().at(-1)).toMatchObject({ fault: 'reset', status: 0 });
	});

	it('malformedJson answers 200 with a body that is not JSON', async () => {
		h.sim.control.injectFault({ kind: 'malformedJson' });
		const res = await h.http.get('/v26.0/me', {
			...bearer(USER_TOKEN),
			responseType: 'text',
			transformResponse: (x) => x,
		});
		expect(res.status).toBe(200);
		expect(() => JSON.parse(res.data)).toThrow();
	});

	it('dropAfterProcessing changes state, then drops the connection', async () => {
		const before = (await h.http.get('/v26.0/counter', bearer(USER_TOKEN))).data.value;
		h.sim.control.injectFault({ kind: 'dropAfterProcessing', path: '/counter/increment' });
		await expect(
			h.http.post('/v26.0/counter/increment', {}, bearer(USER_TOKEN)),
		).rejects.toBeTruthy();
		const after = (await h.http.get('/v26.0/counter', bearer(USER_TOKEN))).data.value;
		expect(after).toBe(before + 1);
	});

	it('hang never answers (the client times out); stop() still closes', async () => {
		const local = await start('demo');
		local.sim.control.injectFault({ kind: 'hang' });
		await expect(
			local.http.get('/v26.0/me', { ...bearer(USER_TOKEN), timeout: 300 }),
		).rejects.toMatchObject({ code: 'ECONNABORTED' });
		local.sim.control.injectFault({ kind: 'hang' });
		const pending = local.http.get('/v26.0/me', { ...bearer(USER_TOKEN), timeout: 0 });
		await new Promise((resolve) => setTimeout(resolve, 100));
		await local.sim.stop();
		await expect(pending).rejects.toBeTruthy();
	});

	it('latency delays every answer', async () => {
		h.sim.control.setLatency(150, 20);
		const started = Date.now();
		await h.http.get('/v26.0/me', bearer(USER_TOKEN));
		expect(Date.now() - started).toBeGreaterThanOrEqual(145);
		h.sim.control.setLatency(0);
	});

	it('advanceClock moves world.now()', () => {
		const before = h.sim.control.world().now();
		h.sim.control.advanceClock(3_600_000);
		expect(h.sim.control.world().now() - before).toBeGreaterThanOrEqual(3_600_000);
	});
});

describe('usage headers and throttling (https://developers.facebook.com/docs/graph-api/overview/rate-limiting)', () => {
	it('X-App-Usage appears once set, and 100 % throttles with code 4', async () => {
		h.sim.control.setUsage({ appCallCount: 42 });
		const ok = await h.http.get('/v26.0/me', bearer(USER_TOKEN));
		expect(JSON.parse(ok.headers['x-app-usage'])).toEqual({
			call_count: 42,
			total_time: 42,
			total_cputime: 42,
		});
		h.sim.control.setUsage({ appCallCount: 100 });
		const throttled = await h.http.get('/v26.0/me', bearer(USER_TOKEN));
		expect(graphError(throttled)).toMatchObject({
			code: 4,
			message: '(#4) Application request limit reached',
			is_transient: true,
		});
	});

	it('Business Use Case throttling per object with estimated_time_to_regain_access', async () => {
		h.sim.control.setUsage({
			businessUseCase: {
				objectId: PAGE_ID,
				type: 'pages',
				callCount: 100,
				estimatedTimeToRegainAccess: 5,
			},
		});
		const throttled = await h.http.get(`/v26.0/${PAGE_ID}`, bearer(USER_TOKEN));
		expect(graphError(throttled).code).toBe(80001);
		const header = JSON.parse(throttled.headers['x-business-use-case-usage']);
		expect(header[PAGE_ID][0]).toMatchObject({
			type: 'pages',
			call_count: 100,
			estimated_time_to_regain_access: 5,
		});
		// Other objects are not throttled.
		expect((await h.http.get('/v26.0/104000000000002', bearer(USER_TOKEN))).status).toBe(200);
		// A Page token's /me is that Page.
		expect(graphError(await h.http.get('/v26.0/me', bearer('EAADemoPageCafeAurora'))).code).toBe(
			80001,
		);
		h.sim.control.advanceClock(6 * 60_000);
		const regained = await h.http.get(`/v26.0/${PAGE_ID}`, bearer(USER_TOKEN));
		expect(regained.status).toBe(200);
		expect(
			JSON.parse(regained.headers['x-business-use-case-usage'])[PAGE_ID][0]
				.estimated_time_to_regain_access,
		).toBe(0);
	});

	it('maps BUC types to their codes (instagram 80002, whatsapp_business_management 80008)', async () => {
		h.sim.control.setUsage({
			businessUseCase: {
				objectId: '102000000000001',
				type: 'whatsapp_business_management',
				callCount: 120,
			},
		});
		expect(graphError(await h.http.get('/v26.0/106000000000001', bearer(USER_TOKEN))).code).toBe(
			80008,
		);
		h.sim.control.setUsage({
			businessUseCase: { objectId: '900000000000001', type: 'instagram', callCount: 100 },
		});
		expect(graphError(await h.http.get('/v26.0/900000000000001', bearer(USER_TOKEN))).code).toBe(
			80002,
		);
	});
});

describe('request log', () => {
	it('records method, path, version, params, body, status and error code with secrets redacted', async () => {
		h.sim.control.clearRequests();
		await h.http.post(`/v26.0/echo/log?access_token=${USER_TOKEN}&appsecret_proof=abc`, {
			caption: 'hello',
			client_secret: APP_SECRET,
		});
		await h.http.get('/v26.0/me', bearer('EAAbad'));
		const log = h.sim.control.requests();
		expect(log).toHaveLength(2);
		expect(log[0]).toMatchObject({
			method: 'POST',
			path: '/echo/log',
			version: 'v26.0',
			status: 400,
		});
		expect(log[0].params).toMatchObject({
			access_token: '[REDACTED]',
			appsecret_proof: '[REDACTED]',
			caption: 'hello',
			client_secret: '[REDACTED]',
		});
		expect(log[1]).toMatchObject({ path: '/me', status: 400, errorCode: 190 });
		expect(log[1].headers).toMatchObject({ authorization: 'Bearer [REDACTED]' });
		expect(log[0].headers?.['content-type']).toContain('application/json');
		const text = JSON.stringify(log);
		expect(text).not.toContain(USER_TOKEN);
		expect(text).not.toContain(APP_SECRET);
		expect(text).not.toContain('EAAbad');
	});
});

describe('request log redaction: real secrets only', () => {
	it('keeps ordinary fields named code (template language, country) readable', async () => {
		h.sim.control.clearRequests();
		const template = {
			name: 'order_ready',
			language: { code: 'en_US' },
			components: [{ type: 'body', parameters: [{ type: 'text', text: 'A1' }] }],
		};
		await h.http.post(
			'/v26.0/echo/template',
			{ messaging_product: 'whatsapp', type: 'template', template, code: 'PT' },
			bearer(USER_TOKEN),
		);
		const [entry] = h.sim.control.requests();
		expect(entry.body).toEqual({
			messaging_product: 'whatsapp',
			type: 'template',
			template,
			code: 'PT',
		});
		expect(entry.params).toMatchObject({ template: { language: { code: 'en_US' } }, code: 'PT' });
		expect(entry.headers).toMatchObject({ authorization: 'Bearer [REDACTED]' });
	});

	it('redacts the OAuth authorization code, client_secret and exchanged tokens on OAuth endpoints', async () => {
		h.sim.control.clearRequests();
		const oauthCode = 'AQDsecretAuthorizationCode0001';
		await h.http.get(
			`/v26.0/oauth/access_token?client_id=${APP_ID}&client_secret=${APP_SECRET}&redirect_uri=https%3A%2F%2Fn8n.local%2Fcb&code=${oauthCode}`,
		);
		await h.http.get(
			`/v26.0/oauth/access_token?grant_type=fb_exchange_token&client_id=${APP_ID}&client_secret=${APP_SECRET}&fb_exchange_token=${USER_TOKEN}`,
		);
		await h.http.post(
			'/oauth/access_token',
			`client_id=${APP_ID}&client_secret=${APP_SECRET}&grant_type=authorization_code&code=${oauthCode}&refresh_token=EAArefresh0000000001`,
			{
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			},
		);
		const log = h.sim.control.requests();
		expect(log).toHaveLength(3);
		expect(log[0].params).toMatchObject({
			client_id: APP_ID,
			code: '[REDACTED]',
			client_secret: '[REDACTED]',
			redirect_uri: 'https://n8n.local/cb',
		});
		expect(log[1].params).toMatchObject({
			grant_type: 'fb_exchange_token',
			fb_exchange_token: '[REDACTED]',
		});
		expect(log[2].body).toMatchObject({
			code: '[REDACTED]',
			client_secret: '[REDACTED]',
			refresh_token: '[REDACTED]',
			grant_type: 'authorization_code',
		});
		const text = JSON.stringify(log);
		for (const secret of [oauthCode, APP_SECRET, USER_TOKEN, 'EAArefresh0000000001'])
			expect(text).not.toContain(secret);
	});

	it('redacts tokens inside URLs (paging.next, percent-encoded), batch JSON and auth schemes in text', async () => {
		const paging = (await h.http.get('/v26.0/900000000000001/children?limit=2', bearer(USER_TOKEN)))
			.data.paging.next as string;
		expect(paging).toContain(`access_token=${USER_TOKEN}`);
		h.sim.control.clearRequests();
		await h.http.post(
			'/v26.0/echo/urls',
			{
				next: paging,
				encoded: encodeURIComponent(paging),
				note: `header was Bearer ${USER_TOKEN} then OAuth ${APP_TOKEN}`,
				debug: `input_token=${USER_TOKEN}&appsecret_proof=${'a'.repeat(64)}`,
			},
			bearer(USER_TOKEN),
		);
		const batch = [
			{ method: 'GET', relative_url: `me?access_token=${SYSTEM_TOKEN}` },
			{
				method: 'POST',
				relative_url: 'echo/op',
				body: { access_token: SYSTEM_TOKEN, caption: 'hi' },
			},
		];
		await h.http.post(
			'/v26.0/',
			`batch=${encodeURIComponent(JSON.stringify(batch))}&access_token=${USER_TOKEN}`,
			{
				headers: {
					'Content-Type': 'application/x-www-form-urlencoded',
					'X-Debug': `access_token=${USER_TOKEN}`,
				},
			},
		);
		const log = h.sim.control.requests();
		const body = log[0].body as Record<string, string>;
		expect(body.next).toContain('access_token=[REDACTED]');
		expect(body.next).toContain('limit=2');
		expect(body.encoded).toContain('access_token%3D[REDACTED]');
		expect(body.note).toBe('header was Bearer [REDACTED] then OAuth [REDACTED]');
		expect(body.debug).toBe('input_token=[REDACTED]&appsecret_proof=[REDACTED]');
		const batchParam = JSON.parse(String(log[1].params.batch));
		expect(batchParam[0].relative_url).toBe('me?access_token=[REDACTED]');
		expect(batchParam[1].body).toEqual({ access_token: '[REDACTED]', caption: 'hi' });
		expect(log[1].headers?.['x-debug']).toBe('access_token=[REDACTED]');
		const text = JSON.stringify(log);
		for (const secret of [USER_TOKEN, SYSTEM_TOKEN, APP_SECRET, 'a'.repeat(64)])
			expect(text).not.toContain(secret);
	});
});

describe('admin HTTP API', () => {
	it('controls the simulator from another process', async () => {
		const health = await h.http.get('/__admin/health');
		expect(health.data).toMatchObject({ ok: true, scenario: 'demo', baseUrl: h.sim.baseUrl });
		expect((await h.http.post('/__admin/faults', { kind: 'http503', path: '^/me$' })).status).toBe(
			200,
		);
		expect((await h.http.get('/__admin/faults')).data.data).toEqual([
			{ kind: 'http503', path: '^/me$', remaining: 1 },
		]);
		expect((await h.http.get('/v26.0/me', bearer(USER_TOKEN))).status).toBe(503);
		await h.http.post('/__admin/faults', { kind: 'http500' });
		await h.http.delete('/__admin/faults');
		expect((await h.http.get('/v26.0/me', bearer(USER_TOKEN))).status).toBe(200);

		const requests = await h.http.get('/__admin/requests?path=^/me$');
		expect(requests.data.data.length).toBeGreaterThanOrEqual(2);
		expect(JSON.stringify(requests.data)).not.toContain(USER_TOKEN);
		await h.http.delete('/__admin/requests');
		expect((await h.http.get('/__admin/requests')).data.data).toEqual([]);

		const latency = await h.http.post('/__admin/latency', { latencyMs: 5, jitterMs: 1 });
		expect(latency.data.settings).toMatchObject({ latencyMs: 5, jitterMs: 1 });
		const settings = await h.http.post('/__admin/settings', { throughputPerSecond: 7 });
		expect(settings.data.throughputPerSecond).toBe(7);
		expect(h.sim.control.world().settings.throughputPerSecond).toBe(7);

		const clockBefore = (await h.http.get('/__admin/clock')).data;
		const clockAfter = (await h.http.post('/__admin/clock', { advanceMs: 86_400_000 })).data;
		expect(clockAfter.offsetMs - clockBefore.offsetMs).toBe(86_400_000);

		await h.http.post('/__admin/usage', { appCallCount: 100 });
		expect(graphError(await h.http.get('/v26.0/me', bearer(USER_TOKEN))).code).toBe(4);

		const state = await h.http.get('/__admin/state');
		expect(state.status).toBe(200);
		expect(state.data).toHaveProperty('identity');

		expect((await h.http.post('/__admin/reset', {})).data).toEqual({
			success: true,
			scenario: 'demo',
		});
		expect((await h.http.get('/v26.0/me', bearer(USER_TOKEN))).status).toBe(200);
		expect(h.sim.control.world().settings.throughputPerSecond).toBe(80);
		expect((await h.http.get('/__admin/nope')).status).toBe(404);
	});

	it('reset can switch scenario (by object in process)', async () => {
		h.sim.control.reset(demoWith((s) => (s.users[0].name = 'Renamed User')));
		expect((await h.http.get('/v26.0/me', bearer(USER_TOKEN))).data.name).toBe('Renamed User');
		h.sim.control.reset('demo');
		expect((await h.http.get('/v26.0/me', bearer(USER_TOKEN))).data.name).toBe('Dana Demo');
	});

	it('mutations do not survive reset (scenario is copied per world)', async () => {
		h.sim.control.revokeToken(USER_TOKEN);
		h.sim.control.reset();
		expect((await h.http.get('/v26.0/me', bearer(USER_TOKEN))).status).toBe(200);
	});
});

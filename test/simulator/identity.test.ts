/**
 * Identity endpoints over real HTTP, against Meta's token, permission and business portfolio endpoints.
 */
import {
	APP_ID,
	APP_SECRET,
	APP_TOKEN,
	BUSINESS_ID,
	CLIENT_WABA_ID,
	IG_BUSINESS_ID,
	IG_CREATOR_ID,
	IG_LOGIN_TOKEN,
	PAGE2_ID,
	PAGE3_ID,
	PAGE_ID,
	PAGE_TOKEN,
	SYSTEM_TOKEN,
	SYSTEM_USER_ID,
	USER_ID,
	USER_TOKEN,
	WABA_ID,
	bearer,
	demoWith,
	graphError,
	start,
	type Harness,
} from './helpers';

let h: Harness;
beforeAll(async () => {
	h = await start('demo');
});
afterAll(async () => h.sim.stop());
beforeEach(() => h.sim.control.reset());

describe('/me', () => {
	it('is the user for USER and SYSTEM_USER tokens', async () => {
		expect((await h.http.get('/v26.0/me', bearer(USER_TOKEN))).data).toEqual({
			name: 'Dana Demo',
			id: USER_ID,
		});
		expect((await h.http.get('/v26.0/me?fields=id,name', bearer(SYSTEM_TOKEN))).data).toEqual({
			id: SYSTEM_USER_ID,
			name: 'Aurora Automation System User',
		});
	});

	it('is the Page for a Page token', async () => {
		const res = await h.http.get('/v26.0/me?fields=id,name,category,tasks', bearer(PAGE_TOKEN));
		expect(res.data).toEqual({
			id: PAGE_ID,
			name: 'Cafe Aurora',
			category: 'Cafe',
			tasks: ['ANALYZE', 'ADVERTISE', 'MESSAGING', 'MODERATE', 'CREATE_CONTENT', 'MANAGE'],
		});
	});

	it('is the Instagram account for an Instagram Login token', async () => {
		const res = await h.http.get('/v26.0/me?fields=id', bearer(IG_LOGIN_TOKEN));
		expect(res.status).toBe(200);
		expect(res.data.id).toBe(IG_CREATOR_ID);
	});

	it('an app token has no /me: 2500', async () => {
		expect(graphError(await h.http.get('/v26.0/me', bearer(APP_TOKEN))).code).toBe(2500);
	});
});

describe('/me/accounts (https://developers.facebook.com/docs/graph-api/reference/user/accounts)', () => {
	it('lists the Pages the user has a role on, with tasks, Page tokens and linked Instagram accounts', async () => {
		const res = await h.http.get(
			'/v26.0/me/accounts?fields=id,name,access_token,tasks,category,instagram_business_account{id,username}&limit=100',
			bearer(USER_TOKEN),
		);
		expect(res.status).toBe(200);
		expect(res.data.data.map((page: { id: string }) => page.id)).toEqual([
			PAGE_ID,
			PAGE2_ID,
			PAGE3_ID,
		]);
		const [cafe, studio, events] = res.data.data;
		expect(cafe).toMatchObject({
			id: PAGE_ID,
			access_token: PAGE_TOKEN,
			instagram_business_account: { id: IG_BUSINESS_ID, username: 'cafe.aurora' },
		});
		expect(studio.tasks).toEqual(['ANALYZE', 'MESSAGING', 'MODERATE', 'CREATE_CONTENT']);
		expect(studio.access_token).toMatch(/^EAAPage/);
		expect(studio.instagram_business_account.id).toBe(IG_CREATOR_ID);
		expect(events).not.toHaveProperty('instagram_business_account');
		expect(res.data.paging.cursors).toEqual({
			before: expect.any(String),
			after: expect.any(String),
		});
		expect(res.data.paging.next).toBeUndefined();
	});

	it('a derived Page token works as a PAGE token, never expires (long-lived user token) and is stable', async () => {
		const first = await h.http.get('/v26.0/me/accounts?fields=id,access_token', bearer(USER_TOKEN));
		const studioToken = first.data.data[1].access_token;
		const again = await h.http.get('/v26.0/me/accounts?fields=id,access_token', bearer(USER_TOKEN));
		expect(again.data.data[1].access_token).toBe(studioToken);
		expect((await h.http.get('/v26.0/me', bearer(studioToken))).data.id).toBe(PAGE2_ID);
		const debug = await h.http.get(
			`/v26.0/debug_token?input_token=${studioToken}`,
			bearer(APP_TOKEN),
		);
		expect(debug.data.data).toMatchObject({
			type: 'PAGE',
			profile_id: PAGE2_ID,
			expires_at: 0,
			user_id: USER_ID,
			is_valid: true,
		});
	});

	it('omits access_token for a user with a role but no task; settings.pageTokenTasks narrows it further', async () => {
		const local = await start(
			demoWith((s) => {
				s.pages![2].tasks['10150000000000001'] = [];
				s.pages![1].tasks['10150000000000001'] = ['MODERATE', 'ANALYZE'];
				s.settings = { pageTokenTasks: ['MANAGE', 'CREATE_CONTENT'] };
			}),
		);
		try {
			const res = await local.http.get(
				'/v26.0/me/accounts?fields=id,tasks,access_token',
				bearer(USER_TOKEN),
			);
			const byId = Object.fromEntries(res.data.data.map((page: { id: string }) => [page.id, page]));
			expect(byId[PAGE_ID].access_token).toBeDefined();
			expect(byId[PAGE2_ID]).toEqual({ id: PAGE2_ID, tasks: ['MODERATE', 'ANALYZE'] });
			expect(byId[PAGE3_ID]).toEqual({ id: PAGE3_ID });
		} finally {
			await local.sim.stop();
		}
	});

	it('granular pages_show_list: only the selected Pages', async () => {
		const local = await start(
			demoWith(
				(s) => (s.tokens[0].granularScopes = [{ scope: 'pages_show_list', targetIds: [PAGE2_ID] }]),
			),
		);
		try {
			const res = await local.http.get('/v26.0/me/accounts', bearer(USER_TOKEN));
			expect(res.data.data).toEqual([{ name: 'Aurora Studio', id: PAGE2_ID }]);
		} finally {
			await local.sim.stop();
		}
	});

	it('without pages_show_list the list is empty (declined counts as missing)', async () => {
		const local = await start(demoWith((s) => (s.tokens[0].declinedScopes = ['pages_show_list'])));
		try {
			expect((await local.http.get('/v26.0/me/accounts', bearer(USER_TOKEN))).data).toEqual({
				data: [],
			});
		} finally {
			await local.sim.stop();
		}
	});

	it('pages with a personal Instagram account show no instagram_business_account', async () => {
		const local = await start(demoWith((s) => (s.instagramAccounts![0].accountType = 'PERSONAL')));
		try {
			const res = await local.http.get(
				`/v26.0/${PAGE_ID}?fields=id,instagram_business_account,connected_instagram_account`,
				bearer(USER_TOKEN),
			);
			expect(res.data).toEqual({ id: PAGE_ID });
		} finally {
			await local.sim.stop();
		}
	});

	it('limit + after pages through the Pages', async () => {
		const first = await h.http.get('/v26.0/me/accounts?limit=2', bearer(USER_TOKEN));
		expect(first.data.data).toHaveLength(2);
		const next = await h.http.get(first.data.paging.next.replace(h.sim.baseUrl, ''));
		expect(next.data.data.map((page: { id: string }) => page.id)).toEqual([PAGE3_ID]);
		expect(next.data.paging.next).toBeUndefined();
	});
});

describe('/{page-id}', () => {
	it('reads Page fields incl. access_token for a task holder', async () => {
		const res = await h.http.get(
			`/v26.0/${PAGE_ID}?fields=id,name,access_token,instagram_business_account,connected_instagram_account,has_location,business`,
			bearer(USER_TOKEN),
		);
		expect(res.data).toEqual({
			id: PAGE_ID,
			name: 'Cafe Aurora',
			access_token: PAGE_TOKEN,
			instagram_business_account: { id: IG_BUSINESS_ID },
			connected_instagram_account: { id: IG_BUSINESS_ID },
			has_location: true,
			business: { id: BUSINESS_ID, name: 'Aurora Group' },
		});
	});

	it('an app token reads a Page without access_token', async () => {
		const res = await h.http.get(`/v26.0/${PAGE_ID}?fields=id,access_token`, bearer(APP_TOKEN));
		expect(res.data).toEqual({ id: PAGE_ID });
	});
});

describe('/debug_token (https://developers.facebook.com/docs/graph-api/reference/debug_token)', () => {
	it('USER token: absolute expiry times, scopes, granular scopes', async () => {
		const res = await h.http.get(
			`/v26.0/debug_token?input_token=${USER_TOKEN}&access_token=${encodeURIComponent(APP_TOKEN)}`,
		);
		const data = res.data.data;
		const start = h.sim.control.world().startedAt;
		expect(data).toMatchObject({
			app_id: APP_ID,
			type: 'USER',
			application: 'Aurora Automations',
			is_valid: true,
			user_id: USER_ID,
			expires_at: start + 5184000,
			data_access_expires_at: start + 7776000,
			issued_at: start - 3600,
		});
		expect(data.scopes).toContain('instagram_content_publish');
		expect(data.granular_scopes).toEqual(
			expect.arrayContaining([
				{ scope: 'pages_show_list' },
				{ scope: 'whatsapp_business_messaging' },
			]),
		);
		expect(data.granular_scopes).not.toEqual(expect.arrayContaining([{ scope: 'public_profile' }]));
		expect(data).not.toHaveProperty('profile_id');
	});

	it('granular target ids, declined scopes left out of scopes', async () => {
		const local = await start(
			demoWith((s) => {
				s.tokens[0].granularScopes = [
					{ scope: 'instagram_content_publish', targetIds: [IG_BUSINESS_ID] },
				];
				s.tokens[0].declinedScopes = ['email'];
			}),
		);
		try {
			const data = (
				await local.http.get(`/v26.0/debug_token?input_token=${USER_TOKEN}`, bearer(USER_TOKEN))
			).data.data;
			expect(data.granular_scopes).toEqual(
				expect.arrayContaining([
					{ scope: 'instagram_content_publish', target_ids: [IG_BUSINESS_ID] },
				]),
			);
			expect(data.scopes).not.toContain('email');
		} finally {
			await local.sim.stop();
		}
	});

	it('PAGE, SYSTEM_USER and APP tokens', async () => {
		const page = (
			await h.http.get(`/v26.0/debug_token?input_token=${PAGE_TOKEN}`, bearer(APP_TOKEN))
		).data.data;
		expect(page).toMatchObject({
			type: 'PAGE',
			profile_id: PAGE_ID,
			expires_at: 0,
			user_id: USER_ID,
		});
		const system = (
			await h.http.get(`/v26.0/debug_token?input_token=${SYSTEM_TOKEN}`, bearer(SYSTEM_TOKEN))
		).data.data;
		expect(system).toMatchObject({
			type: 'SYSTEM_USER',
			expires_at: 0,
			data_access_expires_at: 0,
			is_valid: true,
			user_id: SYSTEM_USER_ID,
		});
		const app = (
			await h.http.get(
				`/v26.0/debug_token?input_token=${encodeURIComponent(APP_TOKEN)}`,
				bearer(APP_TOKEN),
			)
		).data.data;
		expect(app).toEqual({
			app_id: APP_ID,
			type: 'APP',
			application: 'Aurora Automations',
			expires_at: 0,
			is_valid: true,
			scopes: [],
		});
	});

	it('invalid tokens come back with HTTP 200, is_valid false and an embedded error', async () => {
		h.sim.control.revokeToken(SYSTEM_TOKEN, 460);
		const revoked = await h.http.get(
			`/v26.0/debug_token?input_token=${SYSTEM_TOKEN}`,
			bearer(APP_TOKEN),
		);
		expect(revoked.status).toBe(200);
		expect(revoked.data.data).toMatchObject({
			is_valid: false,
			error: { code: 190, subcode: 460 },
		});
		h.sim.control.advanceClock(61 * 24 * 3600 * 1000);
		const expired = (
			await h.http.get(`/v26.0/debug_token?input_token=${USER_TOKEN}`, bearer(APP_TOKEN))
		).data.data;
		expect(expired).toMatchObject({ is_valid: false, error: { code: 190, subcode: 463 } });
		expect(expired.error.message).toMatch(/Session has expired/);
		const unknown = (
			await h.http.get('/v26.0/debug_token?input_token=EAAgarbage', bearer(APP_TOKEN))
		).data.data;
		expect(unknown).toMatchObject({ is_valid: false, error: { code: 190 }, scopes: [] });
	});

	it('calling with the expired token itself fails at the top level (190/463)', async () => {
		h.sim.control.advanceClock(61 * 24 * 3600 * 1000);
		const res = await h.http.get(
			`/v26.0/debug_token?input_token=${USER_TOKEN}`,
			bearer(USER_TOKEN),
		);
		expect(graphError(res)).toMatchObject({ code: 190, error_subcode: 463 });
	});

	it("input_token is required; another app's token is rejected", async () => {
		expect(graphError(await h.http.get('/v26.0/debug_token', bearer(APP_TOKEN)))).toMatchObject({
			code: 100,
			message: '(#100) The parameter input_token is required',
		});
		const local = await start(
			demoWith((s) =>
				s.apps.push({ id: '999000000000001', name: 'Other', mode: 'live', secret: 'other-secret' }),
			),
		);
		try {
			const res = await local.http.get(
				`/v26.0/debug_token?input_token=${USER_TOKEN}`,
				bearer('999000000000001|other-secret'),
			);
			expect(graphError(res).code).toBe(100);
		} finally {
			await local.sim.stop();
		}
	});
});

describe('/me/permissions (https://developers.facebook.com/docs/graph-api/reference/user/permissions)', () => {
	it('lists granted and declined permissions without paging', async () => {
		const local = await start(
			demoWith((s) => (s.tokens[0].declinedScopes = ['instagram_content_publish'])),
		);
		try {
			const res = await local.http.get('/v26.0/me/permissions', bearer(USER_TOKEN));
			expect(res.data.paging).toBeUndefined();
			expect(res.data.data).toEqual(
				expect.arrayContaining([
					{ permission: 'pages_show_list', status: 'granted' },
					{ permission: 'instagram_content_publish', status: 'declined' },
				]),
			);
			expect(
				res.data.data.filter(
					(row: { permission: string }) => row.permission === 'instagram_content_publish',
				),
			).toHaveLength(1);
			const one = await local.http.get(
				'/v26.0/me/permissions/instagram_content_publish',
				bearer(USER_TOKEN),
			);
			expect(one.data).toEqual({
				data: [{ permission: 'instagram_content_publish', status: 'declined' }],
			});
		} finally {
			await local.sim.stop();
		}
	});

	it('DELETE one permission removes it; DELETE all de-authorises the app (190/458)', async () => {
		expect(
			(await h.http.delete(`/v26.0/${USER_ID}/permissions/email`, bearer(USER_TOKEN))).data,
		).toEqual({ success: true });
		const rows = (await h.http.get('/v26.0/me/permissions', bearer(USER_TOKEN))).data.data;
		expect(rows.map((row: { permission: string }) => row.permission)).not.toContain('email');
		expect((await h.http.delete('/v26.0/me/permissions', bearer(USER_TOKEN))).data).toEqual({
			success: true,
		});
		expect(graphError(await h.http.get('/v26.0/me', bearer(USER_TOKEN)))).toMatchObject({
			code: 190,
			error_subcode: 458,
		});
	});

	it('a Page token has no permissions edge', async () => {
		expect(graphError(await h.http.get('/v26.0/me/permissions', bearer(PAGE_TOKEN))).code).toBe(
			100,
		);
	});
});

describe('business portfolios (https://developers.facebook.com/docs/marketing-api/reference/business)', () => {
	it("/me/businesses lists the user's portfolios and needs business_management", async () => {
		const res = await h.http.get(
			'/v26.0/me/businesses?fields=id,name,verification_status',
			bearer(SYSTEM_TOKEN),
		);
		expect(res.data.data).toEqual([
			{ id: BUSINESS_ID, name: 'Aurora Group', verification_status: 'verified' },
		]);
		const local = await start(
			demoWith(
				(s) =>
					(s.tokens[0].scopes = s.tokens[0].scopes.filter(
						(scope) => scope !== 'business_management',
					)),
			),
		);
		try {
			expect(
				graphError(await local.http.get('/v26.0/me/businesses', bearer(USER_TOKEN))).code,
			).toBe(10);
		} finally {
			await local.sim.stop();
		}
	});

	it('owned and client WhatsApp Business Accounts, owned and client Pages', async () => {
		const owned = await h.http.get(
			`/v26.0/${BUSINESS_ID}/owned_whatsapp_business_accounts?fields=id`,
			bearer(SYSTEM_TOKEN),
		);
		expect(owned.data.data).toEqual([{ id: WABA_ID }]);
		const client = await h.http.get(
			`/v26.0/${BUSINESS_ID}/client_whatsapp_business_accounts?fields=id`,
			bearer(SYSTEM_TOKEN),
		);
		expect(client.data.data).toEqual([{ id: CLIENT_WABA_ID }]);
		const pages = await h.http.get(
			`/v26.0/${BUSINESS_ID}/owned_pages?fields=id`,
			bearer(SYSTEM_TOKEN),
		);
		expect(pages.data.data).toEqual([{ id: PAGE_ID }, { id: PAGE2_ID }, { id: PAGE3_ID }]);
		expect(
			(await h.http.get(`/v26.0/${BUSINESS_ID}/client_pages`, bearer(SYSTEM_TOKEN))).data,
		).toEqual({ data: [] });
		const ig = await h.http.get(
			`/v26.0/${BUSINESS_ID}/owned_instagram_accounts?fields=id`,
			bearer(SYSTEM_TOKEN),
		);
		expect(ig.data.data).toEqual([{ id: IG_BUSINESS_ID }, { id: IG_CREATOR_ID }]);
	});

	it('one-shot expansion: /me?fields=businesses{owned_whatsapp_business_accounts{id}}', async () => {
		const res = await h.http.get(
			'/v26.0/me?fields=id,businesses{id,owned_whatsapp_business_accounts{id},client_whatsapp_business_accounts{id}}',
			bearer(USER_TOKEN),
		);
		expect(res.data.businesses.data[0]).toMatchObject({
			id: BUSINESS_ID,
			owned_whatsapp_business_accounts: { data: [{ id: WABA_ID }] },
			client_whatsapp_business_accounts: { data: [{ id: CLIENT_WABA_ID }] },
		});
	});

	it('granular whatsapp_business_management narrows the WABA edges', async () => {
		const local = await start(
			demoWith(
				(s) =>
					(s.tokens[1].granularScopes = [
						{ scope: 'whatsapp_business_management', targetIds: [CLIENT_WABA_ID] },
					]),
			),
		);
		try {
			const owned = await local.http.get(
				`/v26.0/${BUSINESS_ID}/owned_whatsapp_business_accounts?fields=id`,
				bearer(SYSTEM_TOKEN),
			);
			expect(owned.data).toEqual({ data: [] });
		} finally {
			await local.sim.stop();
		}
	});

	it('a business the user is not part of does not exist for them (100/33)', async () => {
		const local = await start(demoWith((s) => (s.businesses![0].userIds = [])));
		try {
			expect(
				graphError(await local.http.get(`/v26.0/${BUSINESS_ID}`, bearer(USER_TOKEN))),
			).toMatchObject({ code: 100, error_subcode: 33 });
		} finally {
			await local.sim.stop();
		}
	});
});

describe('/{app-id}', () => {
	it('returns basic app fields', async () => {
		const res = await h.http.get(`/v26.0/${APP_ID}?fields=id,name,link`, bearer(APP_TOKEN));
		expect(res.data).toEqual({
			id: APP_ID,
			name: 'Aurora Automations',
			link: `https://www.facebook.com/games/?app_id=${APP_ID}`,
		});
	});
});

describe('OAuth token endpoints (https://developers.facebook.com/docs/facebook-login/guides/access-tokens/get-long-lived)', () => {
	it('fb_exchange_token mints a 60-day token that works', async () => {
		const res = await h.http.get('/v26.0/oauth/access_token', {
			params: {
				grant_type: 'fb_exchange_token',
				client_id: APP_ID,
				client_secret: APP_SECRET,
				fb_exchange_token: USER_TOKEN,
			},
		});
		expect(res.data).toEqual({
			access_token: expect.stringMatching(/^EAA/),
			token_type: 'bearer',
			expires_in: 5183944,
		});
		expect((await h.http.get('/v26.0/me', bearer(res.data.access_token))).data.id).toBe(USER_ID);
		const debug = (
			await h.http.get(`/v26.0/debug_token?input_token=${res.data.access_token}`, bearer(APP_TOKEN))
		).data.data;
		const now = Math.floor(h.sim.control.world().now() / 1000);
		expect(Math.abs(debug.expires_at - (now + 60 * 24 * 3600))).toBeLessThanOrEqual(2);
	});

	it('wrong secret: code 1; unknown app: 101; expired input token: 190/463', async () => {
		const wrong = await h.http.get('/v26.0/oauth/access_token', {
			params: {
				grant_type: 'fb_exchange_token',
				client_id: APP_ID,
				client_secret: 'nope',
				fb_exchange_token: USER_TOKEN,
			},
		});
		expect(graphError(wrong)).toMatchObject({
			code: 1,
			message: 'Error validating client secret.',
		});
		const unknownApp = await h.http.get('/v26.0/oauth/access_token', {
			params: { grant_type: 'client_credentials', client_id: '42', client_secret: 'x' },
		});
		expect(graphError(unknownApp).code).toBe(101);
		h.sim.control.advanceClock(61 * 24 * 3600 * 1000);
		const expired = await h.http.get('/v26.0/oauth/access_token', {
			params: {
				grant_type: 'fb_exchange_token',
				client_id: APP_ID,
				client_secret: APP_SECRET,
				fb_exchange_token: USER_TOKEN,
			},
		});
		expect(graphError(expired)).toMatchObject({ code: 190, error_subcode: 463 });
	});

	it('client_credentials gives an app token usable for debug_token', async () => {
		const res = await h.http.get('/v26.0/oauth/access_token', {
			params: { grant_type: 'client_credentials', client_id: APP_ID, client_secret: APP_SECRET },
		});
		expect(res.data).toEqual({
			access_token: expect.stringMatching(new RegExp(`^${APP_ID}\\|`)),
			token_type: 'bearer',
		});
		expect(
			(
				await h.http.get(
					`/v26.0/debug_token?input_token=${USER_TOKEN}`,
					bearer(res.data.access_token),
				)
			).data.data.is_valid,
		).toBe(true);
	});

	it('code exchange: scenario codes are single-use', async () => {
		const params = {
			client_id: APP_ID,
			client_secret: APP_SECRET,
			redirect_uri: 'https://n8n.example/rest/oauth2-credential/callback',
			code: 'AQDemoAuthorizationCode',
		};
		const first = await h.http.get('/v26.0/oauth/access_token', { params });
		expect(first.data).toMatchObject({ token_type: 'bearer', expires_in: 5183944 });
		expect((await h.http.get('/v26.0/me', bearer(first.data.access_token))).data.id).toBe(USER_ID);
		expect(graphError(await h.http.get('/v26.0/oauth/access_token', { params }))).toMatchObject({
			code: 100,
			error_subcode: 36009,
		});
		expect(
			graphError(
				await h.http.get('/v26.0/oauth/access_token', { params: { ...params, code: 'bogus' } }),
			),
		).toMatchObject({ code: 100, error_subcode: 36007 });
	});

	it('login dialog redirects with a code carrying the requested scopes; redirect_uri must match', async () => {
		const redirectUri = 'http://localhost:5678/rest/oauth2-credential/callback';
		const dialog = await h.http.get('/v26.0/dialog/oauth', {
			params: {
				client_id: APP_ID,
				redirect_uri: redirectUri,
				state: 'xyz',
				scope: 'pages_show_list,instagram_basic',
			},
			maxRedirects: 0,
		});
		expect(dialog.status).toBe(302);
		const location = new URL(dialog.headers.location);
		expect(location.origin + location.pathname).toBe(redirectUri);
		expect(location.searchParams.get('state')).toBe('xyz');
		const code = location.searchParams.get('code') as string;
		const mismatch = await h.http.post(
			'/v26.0/oauth/access_token',
			new URLSearchParams({
				client_id: APP_ID,
				client_secret: APP_SECRET,
				redirect_uri: 'https://elsewhere.example/cb',
				code,
			}).toString(),
			{
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			},
		);
		expect(graphError(mismatch)).toMatchObject({ code: 100, error_subcode: 36008 });
		const ok = await h.http.post(
			'/v26.0/oauth/access_token',
			new URLSearchParams({
				client_id: APP_ID,
				client_secret: APP_SECRET,
				redirect_uri: redirectUri,
				code,
			}).toString(),
			{
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			},
		);
		const token = ok.data.access_token;
		// OAuth2 clients may send the app's id and secret as HTTP Basic auth instead.
		const second = await h.http.get('/v26.0/dialog/oauth', {
			params: { client_id: APP_ID, redirect_uri: redirectUri },
			maxRedirects: 0,
		});
		const secondCode = new URL(second.headers.location).searchParams.get('code') as string;
		const basic = await h.http.post(
			'/v26.0/oauth/access_token',
			new URLSearchParams({
				grant_type: 'authorization_code',
				redirect_uri: redirectUri,
				code: secondCode,
			}).toString(),
			{
				headers: {
					'Content-Type': 'application/x-www-form-urlencoded',
					Authorization: `Basic ${Buffer.from(`${APP_ID}:${APP_SECRET}`).toString('base64')}`,
				},
			},
		);
		expect(basic.data).toMatchObject({ access_token: expect.any(String), token_type: 'bearer' });
		const debug = (await h.http.get(`/v26.0/debug_token?input_token=${token}`, bearer(APP_TOKEN)))
			.data.data;
		expect(debug.scopes).toEqual(['pages_show_list', 'instagram_basic']);
	});

	it('Instagram Login: ig_exchange_token and ig_refresh_token', async () => {
		const exchanged = await h.http.get('/access_token', {
			params: {
				grant_type: 'ig_exchange_token',
				client_secret: APP_SECRET,
				access_token: IG_LOGIN_TOKEN,
			},
		});
		expect(exchanged.data).toEqual({
			access_token: expect.stringMatching(/^IGAA/),
			token_type: 'bearer',
			expires_in: 5183944,
		});
		expect(
			(await h.http.get('/v26.0/me?fields=id', bearer(exchanged.data.access_token))).data.id,
		).toBe(IG_CREATOR_ID);
		const wrongSecret = await h.http.get('/access_token', {
			params: { grant_type: 'ig_exchange_token', client_secret: 'x', access_token: IG_LOGIN_TOKEN },
		});
		expect(graphError(wrongSecret).code).toBe(1);
		// The scenario token was issued two days ago: refreshable.
		const refreshed = await h.http.get('/refresh_access_token', {
			params: { grant_type: 'ig_refresh_token', access_token: IG_LOGIN_TOKEN },
		});
		expect(refreshed.data).toEqual({
			access_token: expect.stringMatching(/^IGAA/),
			token_type: 'bearer',
			expires_in: 5183944,
		});
		// A token minted just now is not 24 hours old yet.
		const tooYoung = await h.http.get('/refresh_access_token', {
			params: { grant_type: 'ig_refresh_token', access_token: refreshed.data.access_token },
		});
		expect(graphError(tooYoung).code).toBe(100);
		h.sim.control.advanceClock(25 * 3600 * 1000);
		expect(
			(
				await h.http.get('/refresh_access_token', {
					params: { grant_type: 'ig_refresh_token', access_token: refreshed.data.access_token },
				})
			).status,
		).toBe(200);
	});
});

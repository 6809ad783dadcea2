/**
 * Identity domain (simulator engineer): users, Pages, business portfolios, apps, tokens.
 * Facebook Login and its tokens (https://developers.facebook.com/docs/facebook-login/guides/access-tokens),
 * debug_token (https://developers.facebook.com/docs/graph-api/reference/debug_token), /me/accounts,
 * permissions, Instagram Login token exchange and the business portfolio edges
 * (https://developers.facebook.com/docs/marketing-api/reference/business).
 */
import { createHash } from 'crypto';

import {
	SIXTY_DAYS,
	dataAccessExpiresAt,
	expiresAt,
	grantCovers,
	isTargetableScope,
	issuedAt,
	lookupToken,
	mintToken,
	tokenProblem,
} from '../engine/auth';
import { missingParameter } from '../engine/errors';
import { nowSeconds } from '../engine/world';
import type {
	DomainModule,
	GraphNodeType,
	Principal,
	RouteContext,
	ScenarioApp,
	ScenarioBusiness,
	PageTask,
	ScenarioPage,
	ScenarioToken,
	ScenarioUser,
	Scenario,
	World,
} from '../types';

/**
 * One edge (or field) Meta refuses on its own, for example a business portfolio's
 * `owned_instagram_accounts` asked for with a WhatsApp-only token. Meta checks the permission of
 * every edge of a field expansion separately (https://developers.facebook.com/docs/graph-api/guides/field-expansion);
 * what it answers when only one nested edge is refused is not documented, so it is configurable:
 * `request` (default, what Asset Check users reported) fails the whole read with the edge's
 * error, `omit` leaves the edge out of an otherwise complete answer.
 */
export interface EdgeRefusal {
	/** Node kind of this domain: 'User', 'Page', 'Business' or 'App'. */
	node: string;
	/** The edge or field, e.g. 'owned_instagram_accounts' or 'owner_business'. */
	edge: string;
	/** Refused only to tokens without this permission (e.g. 'instagram_basic'). */
	unlessScope?: string;
	/** Refused only to these tokens (default: every token, subject to `unlessScope`). */
	tokens?: string[];
	/** Meta's error code: 10 (permission) or 200 (permission on the object); default 10. */
	code?: number;
	subcode?: number;
	message?: string;
	effect?: 'request' | 'omit';
}

/** Scenario keys this domain reads besides the shared contract. */
export interface IdentityScenario extends Scenario {
	refusedEdges?: EdgeRefusal[];
}

/** Seconds Meta reports for a fresh 60-day token
 *  (https://developers.facebook.com/docs/facebook-login/guides/access-tokens/get-long-lived). */
const LONG_LIVED_EXPIRES_IN = 5183944;

interface IdentityState {
	/** `${pageId}|${callerToken}` -> Page token minted for that caller. */
	pageTokens: Map<string, string>;
	/** Authorization codes (scenario ones plus those the login dialog minted). */
	codes: Map<
		string,
		{ template: ScenarioToken; redirectUri?: string; used: boolean; expiresAtMs?: number }
	>;
}

function state(world: World): IdentityState {
	return world.state.identity as IdentityState;
}

/** The user whose roles count for the caller (USER, SYSTEM_USER, and PAGE tokens' users). */
function viewerUserId(ctx: RouteContext): string | undefined {
	return ctx.principal().tokenRecord.userId;
}

function userTasks(page: ScenarioPage, userId: string | undefined): string[] | undefined {
	if (!userId) return undefined;
	const tasks = page.tasks[userId];
	return tasks && tasks.length ? tasks : undefined;
}

function isLongLived(world: World, record: ScenarioToken): boolean {
	const expiry = expiresAt(world, record);
	return expiry === 0 || expiry - nowSeconds(world) > 2 * 24 * 3600;
}

/**
 * The Page token a caller gets in `access_token` (https://developers.facebook.com/docs/pages-api/getting-started): derived from the caller's
 * token (same app, user, scopes); never expires when the user token is long-lived.
 */
function pageTokenFor(ctx: RouteContext, page: ScenarioPage): string {
	const world = ctx.world;
	const principal = ctx.principal();
	if (principal.tokenRecord.type === 'PAGE' && principal.tokenRecord.pageId === page.id)
		return principal.token;
	const key = `${page.id}|${principal.token}`;
	const known = state(world).pageTokens.get(key);
	if (known) return known;
	const source = principal.tokenRecord;
	let token: string;
	if (
		page.pageToken &&
		(!world.tokens.has(page.pageToken) ||
			world.tokens.get(page.pageToken)?.userId === source.userId)
	) {
		token = page.pageToken;
		if (!world.tokens.has(token)) {
			world.tokens.set(token, {
				...structuredClone(source),
				token,
				type: 'PAGE',
				pageId: page.id,
				expiresIn: isLongLived(world, source) ? 0 : source.expiresIn,
			});
		}
	} else {
		const template: Omit<ScenarioToken, 'token'> = {
			...structuredClone(source),
			type: 'PAGE',
			pageId: page.id,
		};
		const remaining = expiresAt(world, source) ? expiresAt(world, source) - nowSeconds(world) : 0;
		token = mintToken(
			world,
			template,
			'EAAPage',
			isLongLived(world, source) ? 0 : Math.max(1, remaining),
		).token;
	}
	state(world).pageTokens.set(key, token);
	return token;
}

function linkedInstagram(ctx: RouteContext, page: ScenarioPage): unknown {
	if (!page.instagramAccountId) return undefined;
	const account = ctx.world.instagramAccounts.get(page.instagramAccountId);
	if (!account || account.accountType === 'PERSONAL') return undefined;
	return ctx.ref('IGUser', account);
}

function isOwnUser(ctx: RouteContext, user: ScenarioUser): boolean {
	const principal = ctx.principal();
	return principal.tokenRecord.type !== 'PAGE' && principal.tokenRecord.userId === user.id;
}

function requireOwnUser(ctx: RouteContext, user: ScenarioUser, edge: string): void {
	if (!isOwnUser(ctx, user)) {
		ctx.fail({ code: 100, message: `(#100) Cannot access the ${edge} edge of another user` });
	}
}

/** Pages the user holds a role on (a `tasks` entry, even an empty one), narrowed by a granular
 *  pages_show_list grant. */
function pagesOf(ctx: RouteContext, user: ScenarioUser): ScenarioPage[] {
	const record = ctx.principal().tokenRecord;
	return [...ctx.world.pages.values()].filter(
		(page) => page.tasks[user.id] !== undefined && grantCovers(record, 'pages_show_list', page.id),
	);
}

function hasScope(record: ScenarioToken, scope: string): boolean {
	return record.scopes.includes(scope) && !(record.declinedScopes ?? []).includes(scope);
}

function businessesOf(ctx: RouteContext, user: ScenarioUser): ScenarioBusiness[] {
	const record = ctx.principal().tokenRecord;
	return [...ctx.world.businesses.values()].filter(
		(business) =>
			business.userIds.includes(user.id) && grantCovers(record, 'business_management', business.id),
	);
}

function permissionRows(record: ScenarioToken): Array<{ permission: string; status: string }> {
	const declined = record.declinedScopes ?? [];
	const rows = record.scopes
		.filter((scope) => !declined.includes(scope))
		.map((permission) => ({ permission, status: 'granted' }));
	return rows.concat(declined.map((permission) => ({ permission, status: 'declined' })));
}

const userType: GraphNodeType<ScenarioUser> = {
	kind: 'User',
	defaultFields: ['name', 'id'],
	fields: {
		id: (user) => user.id,
		name: (user) => user.name,
		first_name: (user) => user.name.split(' ')[0],
		last_name: (user) => user.name.split(' ').slice(1).join(' ') || undefined,
		short_name: (user) => user.name.split(' ')[0],
		accounts: (user, ctx) => {
			requireOwnUser(ctx, user, 'accounts');
			// Without pages_show_list Meta answers with an empty list, not an error: the classic
			// "OAuth worked but /me/accounts is empty" symptom.
			if (!hasScope(ctx.principal().tokenRecord, 'pages_show_list')) return ctx.edge('Page', []);
			ctx.requireScope('pages_show_list');
			return ctx.edge(
				'Page',
				pagesOf(ctx, user).map((page) => ctx.ref('Page', page)),
			);
		},
		businesses: (user, ctx) => {
			requireOwnUser(ctx, user, 'businesses');
			ctx.requireScope('business_management');
			return ctx.edge(
				'Business',
				businessesOf(ctx, user).map((business) => ctx.ref('Business', business)),
			);
		},
		permissions: (user, ctx) => {
			requireOwnUser(ctx, user, 'permissions');
			const rows = permissionRows(ctx.principal().tokenRecord);
			const only = ctx.match.permission;
			return ctx.edge(undefined, only ? rows.filter((row) => row.permission === only) : rows, {
				paging: false,
			});
		},
	},
};

const pageType: GraphNodeType<ScenarioPage> = {
	kind: 'Page',
	defaultFields: ['name', 'id'],
	fields: {
		id: (page) => page.id,
		name: (page) => page.name,
		category: (page) => page.category ?? 'Local business',
		category_list: (page) => [{ id: '2500', name: page.category ?? 'Local business' }],
		link: (page) => `https://www.facebook.com/${page.id}`,
		is_published: () => true,
		fan_count: () => 1200,
		followers_count: () => 1350,
		verification_status: () => 'not_verified',
		tasks: (page, ctx) => userTasks(page, viewerUserId(ctx)),
		access_token: (page, ctx) => {
			// Decision (https://developers.facebook.com/docs/pages-api/getting-started): a Page token is returned to users holding ANY task on the
			// Page (settings.pageTokenTasks narrows that); otherwise the field is omitted. Publishing to Instagram
			// still needs MANAGE or CREATE_CONTENT, which the Instagram domain checks.
			if (ctx.principal().tokenRecord.type === 'APP') return undefined;
			const tasks = userTasks(page, viewerUserId(ctx));
			if (!tasks) return undefined;
			const needed = ctx.world.settings.pageTokenTasks;
			if (needed?.length && !tasks.some((task) => needed.includes(task as PageTask)))
				return undefined;
			return pageTokenFor(ctx, page);
		},
		instagram_business_account: (page, ctx) => linkedInstagram(ctx, page),
		connected_instagram_account: (page, ctx) => linkedInstagram(ctx, page),
		has_location: (page) => !!page.hasLocation,
		location: (page) =>
			page.hasLocation
				? {
						city: 'Lisbon',
						country: 'Portugal',
						latitude: 38.7223,
						longitude: -9.1393,
						street: 'Rua Augusta 1',
						zip: '1100-048',
					}
				: undefined,
		business: (page, ctx) => {
			const business = page.businessId ? ctx.world.businesses.get(page.businessId) : undefined;
			return business ? ctx.ref('Business', business) : undefined;
		},
	},
};

function requireBusinessScope(ctx: RouteContext, business: ScenarioBusiness): void {
	ctx.requireScope('business_management', business.id);
}

function wabaEdge(ctx: RouteContext, ids: string[] | undefined): unknown {
	const record = ctx.principal().tokenRecord;
	const refs = (ids ?? [])
		.map((id) => ctx.world.wabas.get(id))
		.filter((waba): waba is NonNullable<typeof waba> => !!waba)
		.filter((waba) => grantCovers(record, 'whatsapp_business_management', waba.id))
		.map((waba) => ctx.ref('WABA', waba));
	return ctx.edge('WABA', refs);
}

function pageEdge(ctx: RouteContext, ids: string[] | undefined): unknown {
	const refs = (ids ?? [])
		.map((id) => ctx.world.pages.get(id))
		.filter((page): page is ScenarioPage => !!page)
		.map((page) => ctx.ref('Page', page));
	return ctx.edge('Page', refs);
}

const businessType: GraphNodeType<ScenarioBusiness> = {
	kind: 'Business',
	defaultFields: ['id', 'name'],
	authorize(business, ctx) {
		const principal = ctx.principal();
		const userId = principal.tokenRecord.userId;
		if (principal.tokenRecord.type === 'APP' || !userId || !business.userIds.includes(userId)) {
			ctx.fail({
				code: 100,
				subcode: 33,
				type: 'GraphMethodException',
				message: `Unsupported get request. Object with ID '${business.id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
			});
		}
	},
	fields: {
		id: (business) => business.id,
		name: (business) => business.name,
		verification_status: (business) => business.verificationStatus ?? 'not_verified',
		link: (business) => `https://business.facebook.com/settings/info?business_id=${business.id}`,
		owned_whatsapp_business_accounts: (business, ctx) => {
			requireBusinessScope(ctx, business);
			return wabaEdge(ctx, business.ownedWabaIds);
		},
		client_whatsapp_business_accounts: (business, ctx) => {
			requireBusinessScope(ctx, business);
			return wabaEdge(ctx, business.clientWabaIds);
		},
		owned_pages: (business, ctx) => {
			requireBusinessScope(ctx, business);
			return pageEdge(ctx, business.ownedPageIds);
		},
		client_pages: (business, ctx) => {
			requireBusinessScope(ctx, business);
			return pageEdge(ctx, business.clientPageIds);
		},
		owned_instagram_accounts: (business, ctx) => {
			requireBusinessScope(ctx, business);
			const accounts = (business.ownedPageIds ?? [])
				.map((id) => ctx.world.pages.get(id)?.instagramAccountId)
				.map((id) => (id ? ctx.world.instagramAccounts.get(id) : undefined))
				.filter((account) => !!account)
				.map((account) => ctx.ref('IGUser', account));
			return ctx.edge('IGUser', accounts);
		},
	},
};

const appType: GraphNodeType<ScenarioApp> = {
	kind: 'App',
	defaultFields: ['link', 'name', 'id'],
	fields: {
		id: (app) => app.id,
		name: (app) => app.name,
		link: (app) => `https://www.facebook.com/games/?app_id=${app.id}`,
		category: () => 'Business',
		namespace: (app) => app.name.toLowerCase().replace(/[^a-z0-9]+/g, '_'),
		company: (app) => app.name,
		// Added by the Asset Check engineer: the business portfolio the app belongs to (omitted
		// when none, as Meta omits empty fields). Plain object: readable without a business role.
		owner_business: (app, ctx) => {
			const business = app.businessId ? ctx.world.businesses.get(app.businessId) : undefined;
			return business ? { id: business.id, name: business.name } : undefined;
		},
	},
};

// ---------------------------------------------------------------------------------------------
// debug_token (https://developers.facebook.com/docs/graph-api/reference/debug_token)
// ---------------------------------------------------------------------------------------------

function debugData(world: World, record: ScenarioToken): Record<string, unknown> {
	const app = world.apps.get(record.appId);
	const problem = tokenProblem(world, record);
	const data: Record<string, unknown> = {
		app_id: record.appId,
		type: record.type === 'INSTAGRAM' ? 'USER' : record.type,
		application: app?.name ?? '',
	};
	if (record.type !== 'APP') {
		data.data_access_expires_at = dataAccessExpiresAt(world, record);
		data.expires_at = expiresAt(world, record);
	} else {
		data.expires_at = 0;
	}
	data.is_valid = !problem;
	if (record.type !== 'APP') data.issued_at = issuedAt(world, record);
	if (problem) {
		data.error = {
			code: problem.code,
			message: problem.message,
			...(problem.subcode ? { subcode: problem.subcode } : {}),
		};
	}
	if (record.type === 'PAGE' && record.pageId) data.profile_id = record.pageId;
	const declined = record.declinedScopes ?? [];
	const scopes = record.scopes.filter((scope) => !declined.includes(scope));
	data.scopes = scopes;
	if (record.type !== 'APP') {
		const granular = record.granularScopes ?? [];
		data.granular_scopes = scopes.filter(isTargetableScope).map((scope) => {
			const grant = granular.find((g) => g.scope === scope);
			return grant?.targetIds ? { scope, target_ids: grant.targetIds } : { scope };
		});
	}
	const userId = record.type === 'INSTAGRAM' ? record.instagramAccountId : record.userId;
	if (userId && record.type !== 'APP') data.user_id = userId;
	return data;
}

function debugToken(ctx: RouteContext): unknown {
	const caller = ctx.principal();
	const input = ctx.req.params.input_token;
	if (typeof input !== 'string' || input === '') ctx.fail(missingParameter('input_token'));
	const record = lookupToken(ctx.world, input);
	if (!record) {
		return {
			data: {
				error: { code: 190, message: 'Invalid OAuth access token - Cannot parse access token' },
				is_valid: false,
				scopes: [],
			},
		};
	}
	if (record.appId !== caller.app.id) {
		ctx.fail({
			code: 100,
			type: 'GraphMethodException',
			message: '(#100) The App_id in the input_token did not match the Viewing App',
		});
	}
	return { data: debugData(ctx.world, record) };
}

// ---------------------------------------------------------------------------------------------
// OAuth (https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow,
// https://developers.facebook.com/docs/instagram-platform/reference/access_token)
// ---------------------------------------------------------------------------------------------

function param(ctx: RouteContext, name: string): string | undefined {
	const value = ctx.req.params[name];
	return typeof value === 'string' && value !== '' ? value : undefined;
}

/** client_id / client_secret from the parameters or, as OAuth2 clients often send them, from an
 *  `Authorization: Basic base64(id:secret)` header. */
function clientCredentials(ctx: RouteContext): { id?: string; secret?: string } {
	const header = ctx.req.headers.authorization;
	const basic = header ? /^Basic\s+(.+)$/i.exec(header.trim()) : null;
	if (basic) {
		const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
		const colon = decoded.indexOf(':');
		if (colon > 0) {
			return {
				id: decodeURIComponent(decoded.slice(0, colon)),
				secret: decodeURIComponent(decoded.slice(colon + 1)),
			};
		}
	}
	return { id: param(ctx, 'client_id'), secret: param(ctx, 'client_secret') };
}

function appFromClient(ctx: RouteContext, requireSecret: boolean): ScenarioApp {
	const credentials = clientCredentials(ctx);
	const clientId = param(ctx, 'client_id') ?? credentials.id;
	if (!clientId) ctx.fail({ code: 101, message: 'Missing client_id parameter.' });
	const app = ctx.world.apps.get(clientId);
	if (!app)
		ctx.fail({ code: 101, message: 'Error validating application. Invalid application ID.' });
	if (requireSecret) {
		const secret = param(ctx, 'client_secret') ?? credentials.secret;
		if (!secret) ctx.fail({ code: 1, status: 400, message: 'Missing client_secret parameter.' });
		if (secret !== app.secret)
			ctx.fail({ code: 1, status: 400, message: 'Error validating client secret.' });
	}
	return app;
}

function usableToken(
	ctx: RouteContext,
	token: string | undefined,
	paramName: string,
): ScenarioToken {
	if (!token) ctx.fail(missingParameter(paramName));
	const record = lookupToken(ctx.world, token);
	if (!record)
		ctx.fail({ code: 190, message: 'Invalid OAuth access token - Cannot parse access token' });
	const problem = tokenProblem(ctx.world, record);
	if (problem) ctx.fail(problem);
	return record;
}

function oauthAccessToken(ctx: RouteContext): unknown {
	const grantType = param(ctx, 'grant_type');
	const world = ctx.world;
	if (grantType === 'fb_exchange_token') {
		const app = appFromClient(ctx, true);
		const source = usableToken(ctx, param(ctx, 'fb_exchange_token'), 'fb_exchange_token');
		if (source.appId !== app.id)
			ctx.fail({
				code: 190,
				message: 'Error validating access token: The token was issued for another application.',
			});
		const minted = mintToken(world, source, 'EAALong', SIXTY_DAYS);
		return { access_token: minted.token, token_type: 'bearer', expires_in: LONG_LIVED_EXPIRES_IN };
	}
	if (grantType === 'client_credentials') {
		const app = appFromClient(ctx, true);
		const token = `${app.id}|${createHash('sha256').update(app.secret).digest('base64url').slice(0, 27)}`;
		if (!world.tokens.has(token))
			world.tokens.set(token, { token, type: 'APP', appId: app.id, scopes: [] });
		return { access_token: token, token_type: 'bearer' };
	}
	if (grantType && grantType !== 'authorization_code') {
		ctx.fail({ code: 100, message: `(#100) Unsupported grant_type: ${grantType}` });
	}
	const app = appFromClient(ctx, true);
	const code = param(ctx, 'code');
	if (!code) ctx.fail(missingParameter('code'));
	const entry = state(world).codes.get(code);
	if (!entry) ctx.fail({ code: 100, subcode: 36007, message: 'Invalid verification code format.' });
	if (entry.used)
		ctx.fail({ code: 100, subcode: 36009, message: 'This authorization code has been used.' });
	// Embedded Signup codes live 30 s (set by the onboarding domain); Meta's exact answer is not published.
	if (entry.expiresAtMs !== undefined && ctx.now() > entry.expiresAtMs) {
		ctx.fail({ code: 100, subcode: 36007, message: 'This authorization code has expired.' });
	}
	if (entry.template.appId !== app.id)
		ctx.fail({ code: 100, subcode: 36007, message: 'Invalid verification code format.' });
	if (entry.redirectUri && entry.redirectUri !== param(ctx, 'redirect_uri')) {
		ctx.fail({
			code: 100,
			subcode: 36008,
			message:
				'Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request',
		});
	}
	entry.used = true;
	if (entry.template.type === 'INSTAGRAM') {
		// Instagram Login code exchange (api.instagram.com): short-lived token, flat shape
		// (https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/business-login).
		const minted = mintToken(world, entry.template, 'IGAA', 3600);
		return {
			access_token: minted.token,
			user_id: minted.instagramAccountId,
			permissions: minted.scopes,
		};
	}
	const minted = mintToken(world, entry.template, 'EAACode', SIXTY_DAYS);
	return { access_token: minted.token, token_type: 'bearer', expires_in: LONG_LIVED_EXPIRES_IN };
}

/** Simulated login dialog: signs in the scenario's OAuth user at once and redirects with a code. */
function loginDialog(ctx: RouteContext): unknown {
	const world = ctx.world;
	const app = appFromClient(ctx, false);
	const redirectUri = param(ctx, 'redirect_uri');
	if (!redirectUri) ctx.fail(missingParameter('redirect_uri'));
	const instagram = ctx.req.path.startsWith('/oauth/authorize');
	const wantedUser = world.scenario.oauthUserId;
	const candidates = [...world.tokens.values()].filter(
		(token) =>
			token.appId === app.id &&
			token.isValid !== false &&
			(instagram ? token.type === 'INSTAGRAM' : token.type === 'USER'),
	);
	const template =
		candidates.find(
			(token) =>
				!wantedUser || token.userId === wantedUser || token.instagramAccountId === wantedUser,
		) ?? candidates[0];
	const target = new URL(redirectUri);
	const stateParam = param(ctx, 'state');
	if (!template) {
		target.searchParams.set('error', 'access_denied');
		target.searchParams.set('error_reason', 'user_denied');
		target.searchParams.set('error_description', 'Permissions error');
	} else {
		const requested = (param(ctx, 'scope') ?? '').split(/[,\s]+/).filter(Boolean);
		const scopes = requested.length ? requested : template.scopes;
		const code = `AQ${world.newId('7')}${Math.random().toString(36).slice(2, 12)}`;
		state(world).codes.set(code, {
			template: {
				...structuredClone(template),
				scopes,
				declinedScopes: [],
				granularScopes: template.granularScopes?.filter((g) => scopes.includes(g.scope)),
			},
			redirectUri,
			used: false,
		});
		target.searchParams.set('code', code);
	}
	if (stateParam) target.searchParams.set('state', stateParam);
	return { status: 302, headers: { location: target.toString() }, body: {} };
}

function igExchange(ctx: RouteContext): unknown {
	if (param(ctx, 'grant_type') !== 'ig_exchange_token')
		ctx.fail({ code: 100, message: '(#100) grant_type must be ig_exchange_token' });
	const record = usableToken(ctx, param(ctx, 'access_token') ?? bearer(ctx), 'access_token');
	const app = ctx.world.apps.get(record.appId) as ScenarioApp;
	const secret = param(ctx, 'client_secret');
	if (!secret) ctx.fail(missingParameter('client_secret'));
	if (secret !== app.secret)
		ctx.fail({ code: 1, status: 400, message: 'Error validating client secret.' });
	if (record.type !== 'INSTAGRAM')
		ctx.fail({ code: 190, message: 'Invalid OAuth access token - Cannot parse access token' });
	const minted = mintToken(ctx.world, record, 'IGAALong', SIXTY_DAYS);
	return { access_token: minted.token, token_type: 'bearer', expires_in: LONG_LIVED_EXPIRES_IN };
}

function igRefresh(ctx: RouteContext): unknown {
	if (param(ctx, 'grant_type') !== 'ig_refresh_token')
		ctx.fail({ code: 100, message: '(#100) grant_type must be ig_refresh_token' });
	const record = usableToken(ctx, param(ctx, 'access_token') ?? bearer(ctx), 'access_token');
	if (record.type !== 'INSTAGRAM')
		ctx.fail({ code: 190, message: 'Invalid OAuth access token - Cannot parse access token' });
	if (nowSeconds(ctx.world) - issuedAt(ctx.world, record) < 24 * 3600) {
		ctx.fail({
			code: 100,
			message: '(#100) The access token must be at least 24 hours old to be refreshed',
		});
	}
	if (!record.scopes.includes('instagram_business_basic')) {
		ctx.fail({
			code: 10,
			message: "(#10) This endpoint requires the 'instagram_business_basic' permission.",
		});
	}
	const minted = mintToken(ctx.world, record, 'IGAALong', SIXTY_DAYS);
	return { access_token: minted.token, token_type: 'bearer', expires_in: LONG_LIVED_EXPIRES_IN };
}

function bearer(ctx: RouteContext): string | undefined {
	const header = ctx.req.headers.authorization;
	return header ? /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header.trim())?.[1] : undefined;
}

// ---------------------------------------------------------------------------------------------
// Permissions edits (https://developers.facebook.com/docs/facebook-login/guides/permissions/request-revoke)
// ---------------------------------------------------------------------------------------------

function ownUserOrFail(ctx: RouteContext): Principal {
	const principal = ctx.principal();
	const target = ctx.match.userId;
	if (
		principal.tokenRecord.type === 'PAGE' ||
		!principal.user ||
		(target !== 'me' && target !== principal.user.id)
	) {
		ctx.fail({
			code: 100,
			message: '(#100) Permissions can only be removed by the user who granted them',
		});
	}
	return principal;
}

function refusalFor(ctx: RouteContext, node: string, edge: string): EdgeRefusal | undefined {
	const refusals = (ctx.world.scenario as IdentityScenario).refusedEdges ?? [];
	const matching = refusals.filter((rule) => rule.node === node && rule.edge === edge);
	if (matching.length === 0) return undefined;
	const principal = ctx.principal();
	return matching.find(
		(rule) =>
			(!rule.tokens || rule.tokens.includes(principal.token)) &&
			(!rule.unlessScope || !hasScope(principal.tokenRecord, rule.unlessScope)),
	);
}

/** The node type with every field resolver first asking whether the scenario refuses it. */
function withRefusals<T>(type: GraphNodeType<T>): GraphNodeType<T> {
	const fields: GraphNodeType<T>['fields'] = {};
	for (const [name, resolve] of Object.entries(type.fields)) {
		fields[name] = (obj, ctx) => {
			const refusal = refusalFor(ctx, type.kind, name);
			if (!refusal) return resolve(obj, ctx);
			if (refusal.effect === 'omit') return undefined;
			const code = refusal.code ?? 10;
			return ctx.fail({
				code,
				subcode: refusal.subcode,
				message:
					refusal.message ?? `(#${code}) Application does not have permission for this action`,
			});
		};
	}
	return { ...type, fields };
}

export const identityDomain: DomainModule = {
	name: 'identity',
	nodeTypes: [
		withRefusals(userType),
		withRefusals(pageType),
		withRefusals(businessType),
		withRefusals(appType),
	],
	routes: [
		{ method: 'GET', pattern: '/debug_token', handler: debugToken },
		{ method: 'GET', pattern: '/oauth/access_token', handler: oauthAccessToken, auth: 'none' },
		{ method: 'POST', pattern: '/oauth/access_token', handler: oauthAccessToken, auth: 'none' },
		{ method: 'GET', pattern: '/dialog/oauth', handler: loginDialog, auth: 'none' },
		{ method: 'GET', pattern: '/oauth/authorize', handler: loginDialog, auth: 'none' },
		{ method: 'GET', pattern: '/access_token', handler: igExchange, auth: 'none' },
		{ method: 'GET', pattern: '/refresh_access_token', handler: igRefresh, auth: 'none' },
		{
			method: 'GET',
			pattern: '/:userId/permissions/:permission',
			handler: (ctx) => {
				const principal = ownUserOrFail(ctx);
				const rows = permissionRows(principal.tokenRecord).filter(
					(row) => row.permission === ctx.match.permission,
				);
				return { data: rows };
			},
		},
		{
			method: 'DELETE',
			pattern: '/:userId/permissions/:permission',
			handler: (ctx) => {
				const record = ownUserOrFail(ctx).tokenRecord;
				record.scopes = record.scopes.filter((scope) => scope !== ctx.match.permission);
				record.declinedScopes = (record.declinedScopes ?? []).filter(
					(scope) => scope !== ctx.match.permission,
				);
				record.granularScopes = record.granularScopes?.filter(
					(grant) => grant.scope !== ctx.match.permission,
				);
				return { success: true };
			},
		},
		{
			method: 'DELETE',
			pattern: '/:userId/permissions',
			handler: (ctx) => {
				const record = ownUserOrFail(ctx).tokenRecord;
				// De-authorising the app invalidates every token of that user for the app.
				for (const token of ctx.world.tokens.values()) {
					if (token.appId === record.appId && token.userId === record.userId) {
						token.isValid = false;
						token.invalidSubcode = 458;
					}
				}
				return { success: true };
			},
		},
	],
	init(world) {
		const codes: IdentityState['codes'] = new Map();
		for (const entry of world.scenario.oauthCodes ?? []) {
			const template = world.tokens.get(entry.tokenFrom);
			if (template)
				codes.set(entry.code, { template, redirectUri: entry.redirectUri, used: false });
		}
		world.state.identity = { pageTokens: new Map(), codes } satisfies IdentityState;
	},
};

/**
 * Token resolution like Meta (docs/graph-api.md: Base URLs and the token, appsecret_proof, Error envelope): where the token comes from, which
 * error an unusable token gives, appsecret_proof, development-mode apps, scope checks.
 */
import { createHmac, timingSafeEqual } from 'crypto';

import type {
	GraphErrorSpec,
	Principal,
	ScenarioApp,
	ScenarioToken,
	SimRequest,
	TokenInvalidSubcode,
	World,
} from '../types';
import { nowSeconds } from './world';

const SIXTY_DAYS = 60 * 24 * 3600;

export function tokenFromRequest(req: SimRequest): string | undefined {
	const param = req.params.access_token;
	if (typeof param === 'string' && param !== '') return param;
	const header = req.headers.authorization;
	if (header) {
		const match = /^(Bearer|OAuth)\s+(.+)$/i.exec(header.trim());
		if (match) return match[2].trim();
	}
	return undefined;
}

export function expiresAt(world: World, token: ScenarioToken): number {
	return token.expiresIn ? world.startedAt + token.expiresIn : 0;
}

export function dataAccessExpiresAt(world: World, token: ScenarioToken): number {
	return token.dataAccessExpiresIn ? world.startedAt + token.dataAccessExpiresIn : 0;
}

export function issuedAt(world: World, token: ScenarioToken): number {
	return world.startedAt - (token.issuedAgo ?? 3600);
}

function metaDate(unixSeconds: number): string {
	// Meta: "Tuesday, 03-Nov-26 09:00:00 PST" (we print UTC)
	const date = new Date(unixSeconds * 1000);
	const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
	const months = [
		'Jan',
		'Feb',
		'Mar',
		'Apr',
		'May',
		'Jun',
		'Jul',
		'Aug',
		'Sep',
		'Oct',
		'Nov',
		'Dec',
	];
	const pad = (n: number): string => String(n).padStart(2, '0');
	return `${days[date.getUTCDay()]}, ${pad(date.getUTCDate())}-${months[date.getUTCMonth()]}-${String(date.getUTCFullYear()).slice(2)} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} UTC`;
}

const INVALID_MESSAGES: Record<TokenInvalidSubcode, (token: ScenarioToken) => string> = {
	458: (t) =>
		`Error validating access token: User ${t.userId ?? ''} has not authorized application ${t.appId}.`,
	459: () =>
		'Error validating access token: You cannot access the app till you log in to www.facebook.com and follow the instructions given.',
	460: () =>
		'Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.',
	463: () => 'Error validating access token: Session has expired.',
	464: () =>
		'Error validating access token: Sessions for the user are not allowed because the user is not a confirmed user.',
	467: () =>
		'Error validating access token: The user has not authorized application or the session was invalidated (logged out).',
	492: (t) =>
		`Error validating access token: The user associated with this Page token no longer has an appropriate role on Page ${t.pageId ?? ''}.`,
};

/** Why a token is unusable right now (or undefined when it is fine). */
export function tokenProblem(world: World, token: ScenarioToken): GraphErrorSpec | undefined {
	if (token.isValid === false) {
		const subcode = token.invalidSubcode;
		return {
			code: 190,
			subcode,
			message: subcode
				? INVALID_MESSAGES[subcode](token)
				: 'Invalid OAuth access token - Cannot parse access token',
		};
	}
	const expiry = expiresAt(world, token);
	const now = nowSeconds(world);
	if (expiry && now >= expiry) {
		return {
			code: 190,
			subcode: 463,
			message: `Error validating access token: Session has expired on ${metaDate(expiry)}. The current time is ${metaDate(now)}.`,
		};
	}
	if (token.type === 'PAGE' && token.pageId && token.userId) {
		const page = world.pages.get(token.pageId);
		if (page && !page.tasks[token.userId]?.length) {
			return { code: 190, subcode: 492, message: INVALID_MESSAGES[492](token) };
		}
	}
	if (!world.apps.has(token.appId)) {
		return {
			code: 190,
			message: 'Error validating application. Application has been deleted.',
			subcode: 458,
		};
	}
	return undefined;
}

/**
 * Looks a bearer string up. Besides the scenario's tokens, `{app-id}|{app-secret}` works as an
 * app token (`{app-id}|{app-secret}`, https://developers.facebook.com/docs/facebook-login/guides/access-tokens#apptokens), like on Meta.
 */
export function lookupToken(world: World, token: string): ScenarioToken | undefined {
	const known = world.tokens.get(token);
	if (known) return known;
	const pipe = token.indexOf('|');
	if (pipe > 0) {
		const app = world.apps.get(token.slice(0, pipe));
		if (app && token.slice(pipe + 1) === app.secret) {
			return { token, type: 'APP', appId: app.id, scopes: [] };
		}
	}
	return undefined;
}

export function computeProof(secret: string, token: string, time?: string): string {
	return createHmac('sha256', secret)
		.update(time ? `${token}|${time}` : token)
		.digest('hex');
}

function checkProof(
	world: World,
	req: SimRequest,
	app: ScenarioApp,
	token: string,
	type: string,
): void {
	const proof = req.params.appsecret_proof;
	if (typeof proof !== 'string' || proof === '') {
		if (app.requireAppSecret && type !== 'APP') {
			throw {
				code: 100,
				type: 'GraphMethodException',
				message: 'API calls from the server require an appsecret_proof argument',
			} satisfies GraphErrorSpec;
		}
		return;
	}
	const time =
		typeof req.params.appsecret_time === 'string' ? req.params.appsecret_time : undefined;
	const expected = computeProof(app.secret, token, time);
	const ok =
		proof.length === expected.length &&
		timingSafeEqual(Buffer.from(proof.toLowerCase()), Buffer.from(expected)) &&
		(!time || Math.abs(nowSeconds(world) - Number(time)) <= 300);
	if (!ok) {
		throw {
			code: 100,
			type: 'GraphMethodException',
			message: 'Invalid appsecret_proof provided in the API argument',
		} satisfies GraphErrorSpec;
	}
}

/** Error for a call without any token (Meta answers code 2500 "An active access token must be used"). */
export function missingTokenError(world: World, path: string): GraphErrorSpec {
	const first = path.split('/')[1] ?? '';
	if (first === 'me') {
		return {
			code: 2500,
			message: 'An active access token must be used to query information about the current user.',
		};
	}
	if (world.wabas.has(first) || world.phoneNumbers.has(first)) {
		return { code: 200, message: '(#200) Provide valid app ID' };
	}
	return { code: 104, message: 'An access token is required to request this resource.' };
}

/** Resolves the caller; throws Meta's error when the token is missing or unusable. */
export function resolvePrincipal(world: World, req: SimRequest): Principal {
	const token = tokenFromRequest(req);
	if (!token) throw missingTokenError(world, req.path);
	const record = lookupToken(world, token);
	if (!record) {
		throw {
			code: 190,
			message: 'Invalid OAuth access token - Cannot parse access token',
		} satisfies GraphErrorSpec;
	}
	const problem = tokenProblem(world, record);
	if (problem) throw problem;
	const app = world.apps.get(record.appId) as ScenarioApp;
	checkProof(world, req, app, token, record.type);
	return {
		token,
		tokenRecord: record,
		app,
		user: record.userId ? world.users.get(record.userId) : undefined,
		page: record.pageId ? world.pages.get(record.pageId) : undefined,
		instagramAccount: record.instagramAccountId
			? world.instagramAccounts.get(record.instagramAccountId)
			: undefined,
	};
}

/** Scopes whose grants can target single assets (they appear in debug_token.granular_scopes). */
export function isTargetableScope(scope: string): boolean {
	return /^(pages_|instagram_|whatsapp_|business_management|ads_|catalog_management|read_insights)/.test(
		scope,
	);
}

/** Whether the token's user may use a development-mode app (only users with an app role). */
export function appUsable(principal: Principal): boolean {
	const { app, tokenRecord } = principal;
	if (app.mode !== 'development' || tokenRecord.type === 'APP') return true;
	const userId =
		tokenRecord.userId ??
		(tokenRecord.type === 'INSTAGRAM' ? tokenRecord.instagramAccountId : undefined);
	return !!userId && (app.roleUserIds ?? []).includes(userId);
}

export function checkScope(
	world: World,
	principal: Principal,
	scope: string,
	targetId: string | undefined,
	code: 10 | 200,
): void {
	const record = principal.tokenRecord;
	if (!appUsable(principal)) {
		throw {
			code,
			message: `(#${code}) Application does not have permission for this action`,
			userTitle: 'App in development mode',
			userMsg: `The app ${principal.app.name} is in development mode and this user has no role on it.`,
		} satisfies GraphErrorSpec;
	}
	const dataExpiry = dataAccessExpiresAt(world, record);
	if (dataExpiry && nowSeconds(world) >= dataExpiry && record.type !== 'PAGE') {
		throw {
			code: 190,
			subcode: 463,
			message:
				'Error validating access token: Data access for this user has expired. The user must log in again.',
		} satisfies GraphErrorSpec;
	}
	const granted = record.scopes.includes(scope) && !(record.declinedScopes ?? []).includes(scope);
	if (!granted) {
		throw {
			code,
			message: `(#${code}) This endpoint requires the '${scope}' permission.`,
		} satisfies GraphErrorSpec;
	}
	if (targetId !== undefined) {
		const grant = (record.granularScopes ?? []).find((g) => g.scope === scope);
		if (grant?.targetIds && !grant.targetIds.includes(targetId)) {
			throw {
				code,
				message: `(#${code}) The '${scope}' permission was not granted for object ${targetId}.`,
			} satisfies GraphErrorSpec;
		}
	}
}

/** Whether a granular grant covers an asset (true when the grant has no target list). */
export function grantCovers(record: ScenarioToken, scope: string, targetId: string): boolean {
	const grant = (record.granularScopes ?? []).find((g) => g.scope === scope);
	return !grant?.targetIds || grant.targetIds.includes(targetId);
}

/** Registers a token minted at runtime (exchanges, Page tokens); expiry relative to "now". */
export function mintToken(
	world: World,
	template: Omit<ScenarioToken, 'token'>,
	prefix: string,
	lifetimeSeconds: number | 0,
): ScenarioToken {
	const elapsed = nowSeconds(world) - world.startedAt;
	const token = `${prefix}${world.newId('9')}${Math.random().toString(36).slice(2, 10)}`;
	const record: ScenarioToken = {
		...structuredClone(template),
		token,
		issuedAgo: -elapsed,
		expiresIn: lifetimeSeconds ? elapsed + lifetimeSeconds : 0,
		isValid: true,
		invalidSubcode: undefined,
	};
	world.tokens.set(token, record);
	return record;
}

export { SIXTY_DAYS };

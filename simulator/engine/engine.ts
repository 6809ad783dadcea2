/**
 * The simulator engine: routing, authentication, generic reads, batch, usage throttling.
 * Transport-independent: `dispatch(SimRequest)` is used by the HTTP server and by batch operations.
 */
import type {
	DomainModule,
	GraphErrorSpec,
	GraphNodeType,
	GraphRef,
	Principal,
	RouteContext,
	RouteDef,
	SimRequest,
	SimResponse,
	World,
} from '../types';
import { checkScope, resolvePrincipal } from './auth';
import {
	GraphError,
	defaultStatus,
	errorEnvelope,
	newTraceId,
	toGraphError,
	unknownObject,
} from './errors';
import { fetchMedia } from './media';
import {
	DEFAULT_EDGE_LIMIT,
	Renderer,
	buildLink,
	isEdge,
	isRef,
	makeEdge,
	selectionFromParam,
} from './render';
import { buildSimRequest, searchToObject, splitVersion } from './request';
import type { EngineWorld } from './world';

export const DEFAULT_VERSION = 'v26.0';

interface CompiledRoute {
	def: RouteDef;
	regex: RegExp;
	keys: string[];
	literals: number;
	order: number;
}

export interface DispatchResult {
	status: number;
	headers: Record<string, string>;
	payload: Buffer;
	contentType: string;
	errorCode?: number;
	errorSubcode?: number;
	batch?: Array<{ method: string; path: string; status: number; errorCode?: number }>;
}

export interface UsageState {
	appCallCount?: number;
	buc?: { objectId: string; type: string; callCount: number; regainAtMs?: number };
}

const BUC_CODES: Record<string, { code: number; message: string }> = {
	pages: {
		code: 80001,
		message:
			'(#80001) There have been too many calls to this Page account. Wait a bit and try again.',
	},
	instagram: {
		code: 80002,
		message:
			'(#80002) There have been too many calls to this Instagram account. Wait a bit and try again.',
	},
	ads_insights: {
		code: 80000,
		message:
			'(#80000) There have been too many calls from this ad-account. Wait a bit and try again.',
	},
	custom_audience: {
		code: 80003,
		message:
			'(#80003) There have been too many calls for this custom audience. Wait a bit and try again.',
	},
	ads_management: {
		code: 80004,
		message:
			'(#80004) There have been too many calls to this ad-account. Wait a bit and try again.',
	},
	leadgen: {
		code: 80005,
		message:
			'(#80005) There have been too many leadgen api calls to this Page. Wait a bit and try again.',
	},
	messenger: {
		code: 80006,
		message:
			'(#80006) There have been too many messenger api calls to this Page. Wait a bit and try again.',
	},
	whatsapp_business_management: {
		code: 80008,
		message:
			'(#80008) There have been too many calls to this WhatsApp Business account. Wait a bit and try again.',
	},
	whatsapp: {
		code: 80007,
		message: '(#80007) The WhatsApp Business Account has reached its rate limit.',
	},
};

function compile(def: RouteDef, order: number): CompiledRoute {
	const keys: string[] = [];
	let literals = 0;
	const segments = def.pattern.split('/').filter(Boolean);
	const source = segments
		.map((segment) => {
			if (segment.startsWith(':')) {
				keys.push(segment.slice(1));
				return '/([^/]+)';
			}
			literals++;
			return '/' + segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
		})
		.join('');
	return { def, regex: new RegExp(`^${source || '/'}$`), keys, literals, order };
}

function isSimResponse(value: unknown): value is SimResponse {
	if (typeof value !== 'object' || value === null || Array.isArray(value) || isRef(value))
		return false;
	const keys = Object.keys(value);
	if (keys.length === 0) return false;
	const allowed = ['status', 'body', 'raw', 'contentType', 'headers'];
	const status = (value as { status?: unknown }).status;
	if (status !== undefined && typeof status !== 'number') return false;
	return (
		keys.every((key) => allowed.includes(key)) &&
		('body' in value || 'raw' in value || 'status' in value)
	);
}

export interface EngineOptions {
	modules: DomainModule[];
}

export class Engine {
	readonly renderer: Renderer;
	private readonly routes: CompiledRoute[];
	readonly types = new Map<string, GraphNodeType>();
	world!: EngineWorld;
	usage: UsageState = {};
	baseUrl = '';
	fixturesBaseUrl = '';

	constructor(private readonly modules: DomainModule[]) {
		for (const module of modules) {
			for (const type of module.nodeTypes) {
				if (this.types.has(type.kind))
					throw new Error(`Node type ${type.kind} registered twice (${module.name})`);
				this.types.set(type.kind, type);
			}
		}
		for (const module of modules) {
			for (const [kind, extension] of Object.entries(module.extendFields ?? {})) {
				const type = this.types.get(kind);
				if (!type) throw new Error(`${module.name} extends unknown node type ${kind}`);
				// A copy: the other module's own type object stays as it was declared.
				this.types.set(kind, {
					...type,
					fields: { ...type.fields, ...extension.fields },
					defaultFields: [...type.defaultFields, ...(extension.defaultFields ?? [])],
				});
			}
		}
		this.renderer = new Renderer(this.types);
		let order = 0;
		this.routes = modules
			.flatMap((module) => module.routes.map((def) => compile(def, order++)))
			// Literal segments beat parameters; then registration order.
			.sort((a, b) => b.literals - a.literals || a.order - b.order);
	}

	setWorld(world: EngineWorld): void {
		this.world = world;
		this.usage = {};
		for (const module of this.modules) module.init?.(world);
	}

	// -------------------------------------------------------------------------------------------

	createContext(
		req: SimRequest,
		match: Record<string, string>,
	): RouteContext & { principalCached?: Principal } {
		const world: World = this.world;
		let principal: Principal | undefined;
		let principalError: unknown;
		const ctx: RouteContext = {
			req,
			match,
			world,
			baseUrl: this.baseUrl,
			fixturesBaseUrl: this.fixturesBaseUrl,
			principal: () => {
				if (principal) return principal;
				if (principalError) throw principalError;
				try {
					principal = resolvePrincipal(world, req);
					return principal;
				} catch (error) {
					principalError = toGraphError(error) ?? error;
					throw principalError;
				}
			},
			fail: (spec: GraphErrorSpec): never => {
				throw new GraphError(spec);
			},
			requireScope: (scope, targetId, code = 10) =>
				checkScope(world, ctx.principal(), scope, targetId, code),
			ref: (kind: string, obj: unknown): GraphRef => ({ __ref: true, kind, obj }),
			edge: makeEdge,
			now: () => world.now(),
			fetchMedia: (url: string) =>
				fetchMedia(url, { timeoutMs: world.settings.mediaFetchTimeoutMs ?? 5000 }),
		};
		return ctx;
	}

	/** Handles one Graph request (top-level or batch operation). Never throws. */
	async dispatch(req: SimRequest): Promise<DispatchResult> {
		const traceId = newTraceId();
		try {
			const result = await this.route(req);
			return this.finish(result, req, traceId);
		} catch (thrown) {
			const result = this.failure(thrown, req, traceId);
			result.headers['facebook-api-version'] = req.version ?? DEFAULT_VERSION;
			// suppress_http_code=1: Meta answers 200 and leaves the error in the body.
			if (req.params.suppress_http_code === '1' || req.params.suppress_http_code === 1)
				result.status = 200;
			return result;
		}
	}

	private failure(thrown: unknown, req: SimRequest, traceId: string): DispatchResult {
		const graphError = toGraphError(thrown);
		if (!graphError) {
			process.stderr.write(
				`[simulator] handler crashed on ${req.method} ${req.path}: ${(thrown as Error)?.stack ?? thrown}\n`,
			);
		}
		const spec: GraphErrorSpec = graphError?.spec ?? {
			code: 1,
			message: 'An unknown error has occurred.',
			isTransient: true,
		};
		return this.errorResult(spec, traceId);
	}

	errorResult(spec: GraphErrorSpec, traceId = newTraceId()): DispatchResult {
		const status = spec.status ?? defaultStatus(spec.code);
		const headers: Record<string, string> = { 'x-fb-trace-id': traceId, ...this.usageHeaders() };
		if (spec.code === 190 || spec.code === 102) {
			headers['www-authenticate'] =
				`OAuth "Facebook Platform" "invalid_token" "${spec.message.replace(/"/g, "'")}"`;
		}
		return {
			status,
			headers,
			payload: Buffer.from(JSON.stringify(errorEnvelope(spec, traceId))),
			contentType: 'application/json; charset=UTF-8',
			errorCode: spec.code,
			errorSubcode: spec.subcode,
		};
	}

	private finish(result: SimResponse, req: SimRequest, traceId: string): DispatchResult {
		const headers: Record<string, string> = {
			'x-fb-trace-id': traceId,
			'facebook-api-version': req.version ?? DEFAULT_VERSION,
			...this.usageHeaders(),
			...result.headers,
		};
		if (result.raw) {
			return {
				status: result.status ?? 200,
				headers,
				payload: result.raw,
				contentType: result.contentType ?? 'application/octet-stream',
			};
		}
		return {
			status: result.status ?? 200,
			headers,
			payload: Buffer.from(JSON.stringify(result.body ?? null)),
			contentType: result.contentType ?? 'application/json; charset=UTF-8',
		};
	}

	private async route(req: SimRequest): Promise<SimResponse> {
		for (const route of this.routes) {
			if (route.def.method !== req.method) continue;
			const found = route.regex.exec(req.path);
			if (!found) continue;
			const match: Record<string, string> = {};
			route.keys.forEach((key, i) => (match[key] = found[i + 1]));
			if (route.def.accepts && !route.def.accepts(match, this.world, req)) continue;
			const ctx = this.createContext(req, match);
			if (route.def.auth !== 'none') this.authenticate(ctx);
			const value = await route.def.handler(ctx);
			return this.toResponse(value, ctx);
		}
		return this.generic(req);
	}

	/** Token checks + usage throttling, before any handler or generic read. */
	authenticate(ctx: RouteContext): Principal {
		const principal = ctx.principal();
		this.checkUsage(ctx, principal);
		return principal;
	}

	private async toResponse(value: unknown, ctx: RouteContext): Promise<SimResponse> {
		if (isSimResponse(value)) {
			if (value.raw || value.body === undefined) return value;
			return { ...value, body: await this.renderResult(value.body, ctx) };
		}
		return { body: await this.renderResult(value, ctx) };
	}

	/** Handlers may return a GraphRef or an edge: rendered with the request's `fields=`. */
	private async renderResult(value: unknown, ctx: RouteContext): Promise<unknown> {
		const selection = selectionFromParam(ctx.req.params.fields);
		if (isRef(value)) return this.renderer.renderNode(value.kind, value.obj, selection, ctx);
		if (isEdge(value))
			return this.renderer.renderEdge(value, selection, ctx, this.pageRequest(ctx, ctx.req.path));
		return value;
	}

	private pageRequest(ctx: RouteContext, path: string) {
		const params = ctx.req.params;
		const limit = Number(params.limit ?? DEFAULT_EDGE_LIMIT);
		const keep: Record<string, string | undefined> = {};
		for (const [key, value] of Object.entries(ctx.req.query)) {
			if (
				!['access_token', 'appsecret_proof', 'appsecret_time', 'after', 'before', 'limit'].includes(
					key,
				)
			)
				keep[key] = value;
		}
		if (typeof params.fields === 'string') keep.fields = params.fields;
		return {
			limit: Number.isFinite(limit) && limit > 0 ? Math.min(limit, 5000) : DEFAULT_EDGE_LIMIT,
			after: typeof params.after === 'string' ? params.after : undefined,
			before: typeof params.before === 'string' ? params.before : undefined,
			link: (cursorParam: 'after' | 'before', cursor: string, pageLimit: number) =>
				buildLink(ctx, path, { ...keep, limit: String(pageLimit), [cursorParam]: cursor }),
		};
	}

	/** `me` and object ids -> node type + record. */
	resolveObject(ctx: RouteContext, id: string): { kind: string; obj: unknown; id: string } {
		if (id === 'me') {
			const principal = ctx.principal();
			const record = principal.tokenRecord;
			if (record.type === 'PAGE' && principal.page)
				return { kind: 'Page', obj: principal.page, id: principal.page.id };
			if (record.type === 'INSTAGRAM' && principal.instagramAccount) {
				return {
					kind: 'IGUser',
					obj: principal.instagramAccount,
					id: principal.instagramAccount.id,
				};
			}
			if (principal.user) return { kind: 'User', obj: principal.user, id: principal.user.id };
			throw new GraphError({
				code: 2500,
				message: 'An active access token must be used to query information about the current user.',
			});
		}
		const found = this.world.objects.get(id);
		if (!found || !this.types.has(found.kind))
			throw new GraphError(unknownObject(id, ctx.req.method.toLowerCase()));
		return { kind: found.kind, obj: found.obj, id };
	}

	private async generic(req: SimRequest): Promise<SimResponse> {
		const segments = req.path.split('/').filter(Boolean);
		const ctx = this.createContext(req, {});
		if (segments.length === 0) {
			if (req.method === 'POST' && req.params.batch !== undefined) return this.batch(req);
			this.authenticate(ctx);
			if (req.method === 'GET' && req.params.ids !== undefined)
				return { body: await this.multiRead(ctx) };
			throw new GraphError({ code: 100, message: "(#100) Missing or invalid 'ids' parameter" });
		}
		if (req.method !== 'GET') {
			this.authenticate(ctx);
			throw new GraphError(unknownObject(segments[0], req.method.toLowerCase()));
		}
		if (segments.length > 2) {
			this.authenticate(ctx);
			throw new GraphError({
				code: 2500,
				message: `Unknown path components: /${segments.slice(1).join('/')}`,
			});
		}
		this.authenticate(ctx);
		const target = this.resolveObject(ctx, segments[0]);
		const selection = selectionFromParam(req.params.fields);
		if (segments.length === 1) {
			return {
				body: await this.renderer.renderNode(target.kind, target.obj, selection, ctx, target.id),
			};
		}
		const edgeName = segments[1];
		const type = this.types.get(target.kind) as GraphNodeType;
		type.authorize?.(target.obj, ctx);
		const resolver = type.fields[edgeName];
		const value = resolver ? await resolver(target.obj, ctx) : undefined;
		if (!resolver || (value !== undefined && !isEdge(value) && !Array.isArray(value))) {
			throw new GraphError({
				code: 100,
				message: `(#100) Tried accessing nonexisting field (${edgeName}) on node type (${target.kind})`,
			});
		}
		const items = (value ?? []) as unknown[];
		const edge = isEdge(items) ? items : makeEdge(undefined, items);
		return {
			body: await this.renderer.renderEdge(
				edge,
				selection,
				ctx,
				this.pageRequest(ctx, `/${target.id}/${edgeName}`),
			),
		};
	}

	private async multiRead(ctx: RouteContext): Promise<Record<string, unknown>> {
		const raw = ctx.req.params.ids;
		const ids = (Array.isArray(raw) ? raw : String(raw).split(','))
			.map((id) => String(id).trim())
			.filter(Boolean);
		if (ids.length === 0)
			throw new GraphError({ code: 100, message: "(#100) Missing or invalid 'ids' parameter" });
		if (ids.length > 50)
			throw new GraphError({ code: 100, message: '(#100) Too many IDs. Maximum: 50.' });
		const missing = ids.filter(
			(id) =>
				id !== 'me' &&
				!(this.world.objects.has(id) && this.types.has(this.world.objects.get(id)!.kind)),
		);
		if (missing.length) {
			throw new GraphError({
				code: 803,
				message: `(#803) Some of the aliases you requested do not exist: ${missing.join(',')}`,
			});
		}
		const selection = selectionFromParam(ctx.req.params.fields);
		const out: Record<string, unknown> = {};
		for (const id of ids) {
			const target = this.resolveObject(ctx, id);
			out[id] = await this.renderer.renderNode(target.kind, target.obj, selection, ctx, target.id);
		}
		return out;
	}

	// ------------------------------------------------------------------------------- usage

	usageHeaders(): Record<string, string> {
		const headers: Record<string, string> = {};
		const { appCallCount, buc } = this.usage;
		if (appCallCount !== undefined) {
			headers['x-app-usage'] = JSON.stringify({
				call_count: appCallCount,
				total_time: Math.min(appCallCount, 100),
				total_cputime: Math.min(appCallCount, 100),
			});
		}
		if (buc) {
			this.expireBuc();
			const minutes = buc.regainAtMs
				? Math.max(0, Math.ceil((buc.regainAtMs - this.world.now()) / 60000))
				: 0;
			headers['x-business-use-case-usage'] = JSON.stringify({
				[buc.objectId]: [
					{
						type: buc.type,
						call_count: buc.callCount,
						total_cputime: Math.min(buc.callCount, 100),
						total_time: Math.min(buc.callCount, 100),
						estimated_time_to_regain_access: buc.callCount >= 100 ? minutes : 0,
					},
				],
			});
		}
		return headers;
	}

	private expireBuc(): void {
		const buc = this.usage.buc;
		if (buc?.regainAtMs && this.world.now() >= buc.regainAtMs) {
			buc.callCount = 0;
			buc.regainAtMs = undefined;
		}
	}

	private checkUsage(ctx: RouteContext, principal: Principal): void {
		if ((this.usage.appCallCount ?? 0) >= 100) {
			throw new GraphError({
				code: 4,
				message: '(#4) Application request limit reached',
				isTransient: true,
			});
		}
		const buc = this.usage.buc;
		if (!buc) return;
		this.expireBuc();
		if (buc.callCount < 100) return;
		if (!this.touches(ctx, principal, buc.objectId)) return;
		const known = BUC_CODES[buc.type] ?? {
			code: 80001,
			message: '(#80001) There have been too many calls. Wait a bit and try again.',
		};
		throw new GraphError({ code: known.code, message: known.message, isTransient: true });
	}

	/** Whether a request concerns a business object (for BUC throttling). */
	private touches(ctx: RouteContext, principal: Principal, objectId: string): boolean {
		const first = ctx.req.path.split('/')[1] ?? '';
		if (first === objectId) return true;
		if (first === 'me') {
			const meId = principal.page?.id ?? principal.instagramAccount?.id ?? principal.user?.id;
			if (meId === objectId) return true;
		}
		const phone = this.world.phoneNumbers.get(first);
		if (phone && phone.wabaId === objectId) return true;
		const found = this.world.objects.get(first)?.obj as Record<string, unknown> | undefined;
		if (found && typeof found === 'object') {
			for (const key of ['igUserId', 'instagramAccountId', 'pageId', 'wabaId', 'ownerId']) {
				if (found[key] === objectId) return true;
			}
		}
		return false;
	}

	// ------------------------------------------------------------------------------- batch

	private async batch(req: SimRequest): Promise<SimResponse> {
		let ops: unknown = req.params.batch;
		if (typeof ops === 'string') {
			try {
				ops = JSON.parse(ops);
			} catch {
				throw new GraphError({
					code: 100,
					message: '(#100) The parameter batch must be a JSON array',
				});
			}
		}
		if (!Array.isArray(ops))
			throw new GraphError({
				code: 100,
				message: '(#100) The parameter batch must be a JSON array',
			});
		if (ops.length === 0)
			throw new GraphError({ code: 100, message: '(#100) The parameter batch must not be empty' });
		if (ops.length > 50) {
			throw new GraphError({
				code: 1,
				status: 400,
				message: '(#1) Too many requests in batch message. Maximum batch size is 50',
			});
		}
		const includeHeaders = !(
			req.params.include_headers === false || req.params.include_headers === 'false'
		);
		const referenced = new Set<string>();
		for (const op of ops as Array<Record<string, unknown>>) {
			const text = `${op?.relative_url ?? ''} ${typeof op?.body === 'string' ? op.body : JSON.stringify(op?.body ?? '')}`;
			for (const m of text.matchAll(/\{result=([^:}]+):/g)) referenced.add(m[1]);
			if (typeof op?.depends_on === 'string') referenced.add(op.depends_on);
		}
		const named = new Map<string, { ok: boolean; json: unknown }>();
		const results: unknown[] = [];
		const summary: NonNullable<DispatchResult['batch']> = [];
		for (const rawOp of ops as Array<Record<string, unknown>>) {
			const result = await this.batchOperation(req, rawOp ?? {}, named);
			summary.push({
				method: result.method,
				path: result.path,
				status: result.res.status,
				errorCode: result.res.errorCode,
			});
			const name = typeof rawOp?.name === 'string' ? rawOp.name : undefined;
			const ok = result.res.status < 300;
			let json: unknown;
			try {
				json = JSON.parse(result.res.payload.toString('utf8'));
			} catch {
				json = undefined;
			}
			if (name) named.set(name, { ok, json });
			const omit = name && referenced.has(name) && rawOp.omit_response_on_success !== false && ok;
			if (omit) {
				results.push(null);
				continue;
			}
			const entry: Record<string, unknown> = { code: result.res.status };
			if (includeHeaders) {
				entry.headers = [
					{ name: 'Content-Type', value: 'text/javascript; charset=UTF-8' },
					...Object.entries(result.res.headers).map(([headerName, value]) => ({
						name: headerName,
						value,
					})),
				];
			}
			entry.body = result.res.payload.toString('utf8');
			results.push(entry);
		}
		return { body: results, headers: { 'x-simulator-batch': JSON.stringify(summary) } };
	}

	private async batchOperation(
		outer: SimRequest,
		op: Record<string, unknown>,
		named: Map<string, { ok: boolean; json: unknown }>,
	): Promise<{ method: string; path: string; res: DispatchResult }> {
		const method = String(op.method ?? 'GET').toUpperCase();
		let relativeUrl = String(op.relative_url ?? '');
		let body = op.body;
		const dependency = typeof op.depends_on === 'string' ? named.get(op.depends_on) : undefined;
		try {
			if (typeof op.depends_on === 'string' && (!dependency || !dependency.ok)) {
				throw new GraphError({
					code: 1,
					status: 400,
					message: `(#1) The operation this request depends on (${op.depends_on}) failed`,
				});
			}
			relativeUrl = substituteResults(relativeUrl, named);
			if (typeof body === 'string') body = substituteResults(body, named);
		} catch (error) {
			const spec = toGraphError(error)?.spec ?? {
				code: 100,
				message: '(#100) Invalid batch operation',
			};
			return { method, path: relativeUrl, res: this.errorResult(spec) };
		}
		const url = new URL(
			relativeUrl.startsWith('/') ? relativeUrl : `/${relativeUrl}`,
			'http://batch.local',
		);
		const headers: Record<string, string | undefined> = {
			'content-type': 'application/x-www-form-urlencoded',
		};
		let rawBody = Buffer.alloc(0);
		if (typeof body === 'string') rawBody = Buffer.from(body);
		else if (body && typeof body === 'object')
			rawBody = Buffer.from(new URLSearchParams(body as Record<string, string>).toString());
		let sub: SimRequest;
		try {
			const pathname = splitVersion(url.pathname).version
				? url.pathname
				: `/${outer.version ?? DEFAULT_VERSION}${url.pathname === '/' ? '' : url.pathname}`;
			sub = buildSimRequest(method, pathname, url.searchParams, headers, rawBody);
		} catch (error) {
			return {
				method,
				path: url.pathname,
				res: this.errorResult(
					toGraphError(error)?.spec ?? { code: 100, message: '(#100) Invalid batch operation' },
				),
			};
		}
		if (sub.params.access_token === undefined) {
			for (const key of ['access_token', 'appsecret_proof', 'appsecret_time']) {
				if (outer.params[key] !== undefined) sub.params[key] = outer.params[key];
			}
			if (outer.headers.authorization) sub.headers.authorization = outer.headers.authorization;
		}
		if (sub.path === '/' && sub.params.batch !== undefined) {
			return {
				method,
				path: sub.path,
				res: this.errorResult({ code: 100, message: '(#100) Batch requests cannot be nested' }),
			};
		}
		return { method, path: sub.path, res: await this.dispatch(sub) };
	}
}

/** `{result=name:$.data.*.id}` -> comma-joined values from an earlier named operation. */
function substituteResults(
	text: string,
	named: Map<string, { ok: boolean; json: unknown }>,
): string {
	return text.replace(/\{result=([^:}]+):([^}]+)\}/g, (_whole, name: string, path: string) => {
		const source = named.get(name);
		if (!source || !source.ok) {
			throw new GraphError({
				code: 1,
				status: 400,
				message: `(#1) Cannot resolve {result=${name}:${path}}: operation ${name} did not succeed`,
			});
		}
		return jsonPath(source.json, path)
			.map((value) => (typeof value === 'object' ? JSON.stringify(value) : String(value)))
			.join(',');
	});
}

export function jsonPath(root: unknown, path: string): unknown[] {
	const tokens = path
		.replace(/^\$\.?/, '')
		.replace(/\[(\*|\d+)\]/g, '.$1')
		.split('.')
		.filter(Boolean);
	let current: unknown[] = [root];
	for (const token of tokens) {
		const next: unknown[] = [];
		for (const value of current) {
			if (value === null || typeof value !== 'object') continue;
			if (token === '*') next.push(...(Array.isArray(value) ? value : Object.values(value)));
			else if (token in (value as Record<string, unknown>))
				next.push((value as Record<string, unknown>)[token]);
		}
		current = next;
	}
	return current.filter((value) => value !== undefined);
}

export { searchToObject };

/**
 * HTTP(S) transport of the simulator: the Graph listener (with faults, latency, request log and
 * the /__admin API) and the HTTPS fixtures listener.
 */
import { readFileSync } from 'fs';
import * as http from 'http';
import * as https from 'https';
import type { AddressInfo, Socket } from 'net';
import { join } from 'path';

import type {
	FaultRule,
	LoggedRequest,
	Scenario,
	SimulatorControl,
	SimulatorSettings,
	SimRequest,
	TokenInvalidSubcode,
	World,
} from '../types';
import { Engine, type DispatchResult } from './engine';
import { GraphError, errorEnvelope, newTraceId, toGraphError } from './errors';
import { buildFixture, writeFixture } from './media';
import { buildSimRequest, readBody, redact, redactText } from './request';
import { buildWorld, type EngineWorld } from './world';
import { addInboundMessage, businessScopedUserIds } from '../domains/whatsapp';
import { applyFailureMode, appsOnWaba } from '../webhooks/domain';
import type { WebhookEnvelope } from '../webhooks/payloads';
import { inboundMessage, messagesChange, whatsappEnvelope } from '../webhooks/payloads';

const MAX_LOG = 20000;
const HIDDEN_HEADERS = new Set([
	'host',
	'connection',
	'content-length',
	'accept-encoding',
	'cookie',
]);

function redactHeaders(
	headers: Record<string, string | undefined> | undefined,
): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers ?? {})) {
		if (value === undefined || HIDDEN_HEADERS.has(name)) continue;
		if (name === 'authorization') out[name] = `${value.trim().split(/\s+/)[0]} [REDACTED]`;
		else out[name] = redactText(String(value));
	}
	return out;
}

export interface ServerOptions {
	port?: number;
	fixturesPort?: number;
	host?: string;
	settings?: Partial<SimulatorSettings>;
	loadScenario(nameOrScenario: string | Scenario): Scenario;
}

interface ActiveFault extends FaultRule {
	remaining: number;
	regex?: RegExp;
}

export class SimulatorServer {
	private readonly server: http.Server;
	private readonly fixtures: https.Server;
	private readonly sockets = new Set<Socket>();
	private faults: ActiveFault[] = [];
	private log: LoggedRequest[] = [];
	private scenario: Scenario;
	private closed = false;
	private readonly timers = new Set<NodeJS.Timeout>();
	baseUrl = '';
	fixturesBaseUrl = '';
	port = 0;

	constructor(
		readonly engine: Engine,
		scenario: Scenario,
		private readonly options: ServerOptions,
	) {
		this.scenario = scenario;
		engine.setWorld(buildWorld(scenario, options.settings));
		this.server = http.createServer({ keepAlive: true }, (req, res) => {
			this.handle(req, res).catch((error) => this.crash(res, error));
		});
		this.server.keepAliveTimeout = 30_000;
		const certs = join(__dirname, '..', 'certs');
		this.fixtures = https.createServer(
			{ key: readFileSync(join(certs, 'key.pem')), cert: readFileSync(join(certs, 'cert.pem')) },
			(req, res) => this.serveFixture(req, res),
		);
		for (const server of [this.server, this.fixtures]) {
			server.on('connection', (socket: Socket) => {
				this.sockets.add(socket);
				socket.on('close', () => this.sockets.delete(socket));
			});
			server.on('secureConnection', (socket: Socket) => {
				this.sockets.add(socket);
				socket.on('close', () => this.sockets.delete(socket));
			});
		}
	}

	async listen(): Promise<void> {
		const host = this.options.host ?? '127.0.0.1';
		await new Promise<void>((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(this.options.port ?? 0, host, () => resolve());
		});
		await new Promise<void>((resolve, reject) => {
			this.fixtures.once('error', reject);
			this.fixtures.listen(this.options.fixturesPort ?? 0, host, () => resolve());
		});
		this.port = (this.server.address() as AddressInfo).port;
		this.baseUrl = `http://${host}:${this.port}`;
		this.fixturesBaseUrl = `https://${host}:${(this.fixtures.address() as AddressInfo).port}`;
		this.engine.baseUrl = this.baseUrl;
		this.engine.fixturesBaseUrl = this.fixturesBaseUrl;
	}

	async stop(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		for (const timer of this.timers) clearTimeout(timer);
		const closing = [this.server, this.fixtures].map(
			(server) => new Promise<void>((resolve) => server.close(() => resolve())),
		);
		for (const socket of this.sockets) socket.destroy();
		this.server.closeAllConnections?.();
		this.fixtures.closeAllConnections?.();
		await Promise.all(closing);
	}

	// ------------------------------------------------------------------------------- control

	readonly control: SimulatorControl = {
		world: (): World => this.engine.world,
		requests: () => [...this.log],
		clearRequests: () => {
			this.log = [];
		},
		setLatency: (latencyMs: number, jitterMs = 0) => {
			this.engine.world.settings.latencyMs = latencyMs;
			this.engine.world.settings.jitterMs = jitterMs;
		},
		setSettings: (settings) => {
			Object.assign(this.engine.world.settings, settings);
			if (settings.whatsappFailureMode) applyFailureMode(this.engine.world);
		},
		injectFault: (rule: FaultRule) => {
			this.faults.push({
				...rule,
				remaining: rule.times ?? 1,
				regex: rule.path ? new RegExp(rule.path) : undefined,
			});
		},
		clearFaults: () => {
			this.faults = [];
		},
		advanceClock: (ms: number) => {
			(this.engine.world as EngineWorld).clockOffsetMs += ms;
		},
		revokeToken: (token: string, subcode: TokenInvalidSubcode = 467) => {
			const record = this.engine.world.tokens.get(token);
			if (!record) throw new Error(`Unknown token (not in the scenario): ${token.slice(0, 6)}…`);
			record.isValid = false;
			record.invalidSubcode = subcode;
		},
		setUsage: (usage) => {
			if (usage.appCallCount !== undefined) this.engine.usage.appCallCount = usage.appCallCount;
			if (usage.businessUseCase) {
				const { objectId, type, callCount, estimatedTimeToRegainAccess } = usage.businessUseCase;
				this.engine.usage.buc = {
					objectId,
					type,
					callCount,
					regainAtMs:
						callCount >= 100 && estimatedTimeToRegainAccess
							? this.engine.world.now() + estimatedTimeToRegainAccess * 60_000
							: undefined,
				};
			}
		},
		reset: (scenario?: string | Scenario) => {
			if (scenario !== undefined) this.scenario = this.options.loadScenario(scenario);
			this.engine.setWorld(buildWorld(this.scenario, this.options.settings));
			this.faults = [];
			this.log = [];
		},
		emitWebhook: async (appId, envelope, options) =>
			await this.engine.world.webhooks.emitToApps(this.appsFor(appId, envelope), envelope, options),
		inboundWhatsApp: async (input) => {
			const world = this.engine.world;
			const phone = world.phoneNumbers.get(input.phoneNumberId);
			if (!phone)
				throw new Error(`Unknown phone number ${input.phoneNumberId} (not in the scenario)`);
			if (input.userId)
				businessScopedUserIds(world).set(input.userId, input.from.replace(/\D/g, ''));
			const messageId = addInboundMessage(world, {
				phoneNumberId: phone.id,
				from: input.from,
				text: input.text,
			});
			const envelope = whatsappEnvelope(phone.wabaId, [
				messagesChange(
					{ phoneNumberId: phone.id, displayPhoneNumber: phone.displayPhoneNumber },
					{ phone: input.from.replace(/\D/g, ''), name: input.name, userId: input.userId },
					[
						inboundMessage(
							input.type ?? 'text',
							{ phone: input.from.replace(/\D/g, ''), userId: input.userId },
							{
								text: input.text,
								...input.options,
								id: messageId,
								timestamp: String(Math.floor(world.now() / 1000)),
							},
						),
					],
				),
			]);
			const outcome = await world.webhooks.emitToApps(
				this.appsFor(input.appId, envelope),
				envelope,
				input.signature ? { signature: input.signature } : undefined,
			);
			return { ...outcome, messageId };
		},
		webhookDeliveries: () => this.engine.world.webhooks.deliveries(),
		clearWebhookDeliveries: () => this.engine.world.webhooks.clearDeliveries(),
		webhooksIdle: async () => await this.engine.world.webhooks.idle(),
		webhookRegistrations: () => this.engine.world.webhooks.registrations(),
	};

	/** The given app, else every app subscribed to the WABA of a WhatsApp envelope, else the first app. */
	private appsFor(appId: string | undefined, envelope: WebhookEnvelope): string[] {
		if (appId) return [appId];
		const world = this.engine.world;
		if (envelope.object === 'whatsapp_business_account') {
			const apps = new Set(envelope.entry.flatMap((entry) => appsOnWaba(world, entry.id)));
			if (apps.size) return [...apps];
		}
		const first = [...world.apps.keys()][0];
		return first ? [first] : [];
	}

	// ------------------------------------------------------------------------------- HTTP

	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://simulator.local');
		if (url.pathname.startsWith('/__admin')) return this.admin(req, res, url);
		if (url.pathname.startsWith('/fixtures/')) return this.serveFixture(req, res);
		const rawBody = await readBody(req);
		const headers = req.headers as Record<string, string | undefined>;
		const started = this.engine.world.now();
		let simReq: SimRequest;
		try {
			simReq = buildSimRequest(
				req.method ?? 'GET',
				url.pathname,
				url.searchParams,
				headers,
				rawBody,
			);
		} catch (error) {
			const spec = toGraphError(error)?.spec ?? { code: 100, message: '(#100) Invalid request' };
			const result = this.engine.errorResult(spec);
			await this.delay();
			this.record(
				{ method: req.method ?? 'GET', path: url.pathname, params: {}, body: undefined } as never,
				result,
				started,
			);
			return this.write(res, result);
		}
		const fault = this.takeFault(simReq);
		if (fault === 'reset') {
			this.record(simReq, undefined, started, fault);
			req.socket.destroy();
			return;
		}
		if (fault === 'hang') {
			this.record(simReq, undefined, started, fault);
			return;
		}
		if (fault === 'http500' || fault === 'http503' || fault === 'malformedJson') {
			const result = this.faultResult(fault);
			await this.delay();
			this.record(simReq, result, started, fault);
			return this.write(res, result);
		}
		const result = await this.engine.dispatch(simReq);
		await this.delay();
		if (this.closed) return;
		this.record(simReq, result, started, fault);
		if (fault === 'dropAfterProcessing') {
			req.socket.destroy();
			this.engine.world.webhooks.flush();
			return;
		}
		this.write(res, result);
		// Status webhooks of this request go out now that its answer is written.
		this.engine.world.webhooks.flush();
	}

	private faultResult(fault: 'http500' | 'http503' | 'malformedJson'): DispatchResult {
		const traceId = newTraceId();
		if (fault === 'malformedJson') {
			return {
				status: 200,
				headers: { 'x-fb-trace-id': traceId },
				payload: Buffer.from('{"data":[{"id":"1784140000'),
				contentType: 'application/json; charset=UTF-8',
			};
		}
		const spec =
			fault === 'http500'
				? { code: 1, message: 'An unknown error has occurred.', isTransient: true }
				: { code: 2, message: 'Service temporarily unavailable', isTransient: true };
		return {
			status: fault === 'http500' ? 500 : 503,
			headers: { 'x-fb-trace-id': traceId },
			payload: Buffer.from(JSON.stringify(errorEnvelope(spec, traceId))),
			contentType: 'application/json; charset=UTF-8',
			errorCode: spec.code,
		};
	}

	private takeFault(req: SimRequest): FaultRule['kind'] | undefined {
		for (const fault of this.faults) {
			if (fault.remaining <= 0) continue;
			if (fault.method && fault.method !== req.method) continue;
			if (fault.regex && !fault.regex.test(req.path)) continue;
			fault.remaining--;
			if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
			return fault.kind;
		}
		return undefined;
	}

	private delay(): Promise<void> {
		const { latencyMs, jitterMs } = this.engine.world.settings;
		const ms = latencyMs + (jitterMs ? Math.random() * jitterMs : 0);
		if (ms <= 0) return Promise.resolve();
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.timers.delete(timer);
				resolve();
			}, ms);
			this.timers.add(timer);
		});
	}

	private write(res: http.ServerResponse, result: DispatchResult): void {
		if (res.destroyed || this.closed) return;
		const headers: Record<string, string> = { ...result.headers };
		delete headers['x-simulator-batch'];
		headers['content-type'] = result.contentType;
		headers['content-length'] = String(result.payload.length);
		res.writeHead(result.status, headers);
		res.end(result.payload);
	}

	private record(
		req: SimRequest,
		result: DispatchResult | undefined,
		started: number,
		fault?: FaultRule['kind'],
	): void {
		const entry: LoggedRequest = {
			at: started,
			method: req.method,
			path: req.path,
			version: req.version,
			params: redact(req.params, { path: req.path }) as Record<string, unknown>,
			body: this.loggedBody(req),
			status: result?.status ?? 0,
		};
		entry.headers = redactHeaders(req.headers);
		if (result?.errorCode !== undefined) entry.errorCode = result.errorCode;
		if (result?.errorSubcode !== undefined) entry.errorSubcode = result.errorSubcode;
		const batch = result?.headers['x-simulator-batch'];
		if (batch) entry.batch = JSON.parse(batch);
		if (fault) entry.fault = fault;
		this.log.push(entry);
		if (this.log.length > MAX_LOG) this.log.splice(0, this.log.length - MAX_LOG / 2);
	}

	private loggedBody(req: SimRequest): unknown {
		const options = { path: req.path };
		if (req.files) {
			const files = req.files.map((f) => ({
				field: f.field,
				filename: f.filename,
				contentType: f.contentType,
				bytes: f.data.length,
			}));
			return { fields: redact(req.body, options), files };
		}
		if (req.body === undefined && req.rawBody?.length)
			return { binary: true, bytes: req.rawBody.length };
		return redact(req.body, options);
	}

	private crash(res: http.ServerResponse, error: unknown): void {
		process.stderr.write(`[simulator] request failed: ${(error as Error)?.stack ?? error}\n`);
		if (!res.headersSent && !res.destroyed) {
			res.writeHead(500, { 'content-type': 'application/json' });
			res.end(
				JSON.stringify(
					errorEnvelope(
						{ code: 1, message: 'An unknown error has occurred.', isTransient: true },
						newTraceId(),
					),
				),
			);
		}
	}

	// ------------------------------------------------------------------------------- fixtures

	private serveFixture(req: http.IncomingMessage, res: http.ServerResponse): void {
		const url = new URL(req.url ?? '/', 'http://fixtures.local');
		const path = url.pathname;
		if (!path.startsWith('/fixtures/')) {
			res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
			return;
		}
		const name = path.slice('/fixtures/'.length);
		if (name.startsWith('redirect/')) {
			res
				.writeHead(302, { location: `/fixtures/${name.slice('redirect/'.length)}${url.search}` })
				.end();
			return;
		}
		const status = Number(url.searchParams.get('status') ?? 200);
		if (name === 'missing.jpg' || name.startsWith('missing') || status === 404) {
			res
				.writeHead(404, { 'content-type': 'text/html' })
				.end('<html><body>404 Not Found</body></html>');
			return;
		}
		if (status >= 400) {
			res.writeHead(status, { 'content-type': 'text/plain' }).end(`status ${status}`);
			return;
		}
		const slow = name.startsWith('slow');
		const delayMs = Number(url.searchParams.get('delayMs') ?? (slow ? 60_000 : 0));
		const fileName = slow ? name.replace(/^slow[-.]?/, '') || 'image.jpg' : name;
		const file = buildFixture(
			fileName.includes('.') ? fileName : `${fileName}.jpg`,
			url.searchParams,
		);
		if (!file) {
			res.writeHead(404, { 'content-type': 'text/plain' }).end('Unknown fixture');
			return;
		}
		const send = (): void => writeFixture(res, file, req.method === 'HEAD');
		if (delayMs > 0) {
			const timer = setTimeout(() => {
				this.timers.delete(timer);
				send();
			}, delayMs);
			this.timers.add(timer);
		} else send();
	}

	// ------------------------------------------------------------------------------- admin API

	private async admin(
		req: http.IncomingMessage,
		res: http.ServerResponse,
		url: URL,
	): Promise<void> {
		const raw = await readBody(req);
		let input: Record<string, any> = {};
		if (raw.length) {
			try {
				input = JSON.parse(raw.toString('utf8'));
			} catch {
				return this.adminReply(res, 400, { error: 'Body must be JSON' });
			}
		}
		const route = `${req.method} ${url.pathname.replace(/\/$/, '')}`;
		const c = this.control;
		try {
			switch (route) {
				case 'GET /__admin':
				case 'GET /__admin/health':
					return this.adminReply(res, 200, {
						ok: true,
						scenario: this.scenario.name,
						baseUrl: this.baseUrl,
						fixturesBaseUrl: this.fixturesBaseUrl,
						now: this.engine.world.now(),
					});
				case 'GET /__admin/requests': {
					let list = c.requests();
					const path = url.searchParams.get('path');
					const method = url.searchParams.get('method');
					if (path) list = list.filter((entry) => new RegExp(path).test(entry.path));
					if (method) list = list.filter((entry) => entry.method === method.toUpperCase());
					return this.adminReply(res, 200, { data: list });
				}
				case 'DELETE /__admin/requests':
				case 'POST /__admin/requests/clear':
					c.clearRequests();
					return this.adminReply(res, 200, { success: true });
				case 'POST /__admin/faults':
					for (const rule of Array.isArray(input) ? input : [input])
						c.injectFault(rule as FaultRule);
					return this.adminReply(res, 200, { success: true });
				case 'DELETE /__admin/faults':
				case 'POST /__admin/faults/clear':
					c.clearFaults();
					return this.adminReply(res, 200, { success: true });
				case 'GET /__admin/faults':
					return this.adminReply(res, 200, {
						data: this.faults.map(({ regex: _regex, ...rule }) => rule),
					});
				case 'POST /__admin/latency':
					c.setLatency(Number(input.latencyMs ?? 0), Number(input.jitterMs ?? 0));
					return this.adminReply(res, 200, { success: true, settings: this.engine.world.settings });
				case 'GET /__admin/settings':
					return this.adminReply(res, 200, this.engine.world.settings);
				case 'POST /__admin/settings':
					c.setSettings(input);
					return this.adminReply(res, 200, this.engine.world.settings);
				case 'GET /__admin/clock':
					return this.adminReply(res, 200, this.clockInfo());
				case 'POST /__admin/clock':
					c.advanceClock(Number(input.advanceMs ?? (input.advanceSeconds ?? 0) * 1000));
					return this.adminReply(res, 200, this.clockInfo());
				case 'POST /__admin/revoke':
					c.revokeToken(String(input.token), input.subcode);
					return this.adminReply(res, 200, { success: true });
				case 'POST /__admin/usage':
					c.setUsage(input);
					return this.adminReply(res, 200, { success: true, usage: this.engine.usage });
				case 'POST /__admin/reset':
					c.reset(input.scenario);
					return this.adminReply(res, 200, { success: true, scenario: this.scenario.name });
				case 'POST /__admin/webhooks/emit':
					return this.adminReply(
						res,
						200,
						await c.emitWebhook(input.appId, input.envelope, {
							...(input.signature ? { signature: input.signature } : {}),
							...(input.maxAttempts ? { maxAttempts: Number(input.maxAttempts) } : {}),
						}),
					);
				case 'POST /__admin/webhooks/inbound':
					return this.adminReply(res, 200, await c.inboundWhatsApp(input as never));
				case 'GET /__admin/webhooks':
				case 'GET /__admin/webhooks/deliveries':
					await c.webhooksIdle();
					return this.adminReply(res, 200, { data: c.webhookDeliveries() });
				case 'DELETE /__admin/webhooks':
				case 'POST /__admin/webhooks/clear':
					c.clearWebhookDeliveries();
					return this.adminReply(res, 200, { success: true });
				case 'GET /__admin/webhooks/registrations':
					return this.adminReply(res, 200, c.webhookRegistrations());
				case 'GET /__admin/state':
					return this.adminReply(res, 200, this.engine.world.state);
				default:
					return this.adminReply(res, 404, { error: `Unknown admin route ${route}` });
			}
		} catch (error) {
			const graph = error instanceof GraphError ? error.spec.message : undefined;
			return this.adminReply(res, 400, {
				error: graph ?? (error as Error)?.message ?? String(error),
			});
		}
	}

	private clockInfo(): Record<string, number> {
		const world = this.engine.world as EngineWorld;
		return {
			now: world.now(),
			nowSeconds: Math.floor(world.now() / 1000),
			startedAt: world.startedAt,
			offsetMs: world.clockOffsetMs,
		};
	}

	private adminReply(res: http.ServerResponse, status: number, body: unknown): void {
		const seen = new WeakSet<object>();
		const text = JSON.stringify(body, (_key, value) => {
			if (value instanceof Map) return Object.fromEntries(value);
			if (value instanceof Set) return [...value];
			if (Buffer.isBuffer(value)) return { binary: true, bytes: value.length };
			if (
				value &&
				typeof value === 'object' &&
				(value as { type?: string }).type === 'Buffer' &&
				Array.isArray((value as { data?: unknown }).data)
			) {
				return { binary: true, bytes: (value as { data: unknown[] }).data.length };
			}
			if (value && typeof value === 'object') {
				if (seen.has(value)) return '[circular]';
				seen.add(value);
			}
			return value;
		});
		res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
		res.end(text);
	}
}

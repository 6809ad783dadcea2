/**
 * Does n8n reuse connections for a node's requests? A throwaway probe node calls n8n-core's
 * `this.helpers.httpRequest` and `this.helpers.httpRequestWithAuthentication` (with this
 * package's access-token credential) sequentially against a local HTTP and HTTPS server that
 * counts the TCP connections it accepts, once as our nodes call them and once with
 * `agentOptions: { keepAlive: true }` (the only agent setting IHttpRequestOptions carries).
 * For comparison, the same requests from Node's own https client with one keep-alive agent.
 */
import { readFileSync } from 'fs';
import {
	createServer as createHttpServer,
	type IncomingMessage,
	type Server,
	type ServerResponse,
} from 'http';
import {
	Agent as HttpsAgent,
	createServer as createHttpsServer,
	request as httpsRequest,
} from 'https';
import type { AddressInfo } from 'net';
import { join } from 'path';
import type {
	IExecuteFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeType,
} from 'n8n-workflow';

import { executeNode } from '../test/helpers/harness';
import type { Benchmark, BenchReport } from './types';

const REQUESTS = 200;
/** Unmeasured requests first (module loading, JIT), counted in the connections. */
const WARM_UP = 10;
const TOTAL = WARM_UP + REQUESTS;
const TOKEN = 'EAAKeepAliveProbe';

interface Counted {
	url: string;
	connections: () => number;
	open: () => Promise<number>;
	reset: () => void;
	close: () => Promise<void>;
}

async function listen(server: Server, scheme: 'http' | 'https'): Promise<Counted> {
	let connections = 0;
	server.on('connection', () => connections++);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `${scheme}://127.0.0.1:${port}`,
		connections: () => connections,
		open: async () =>
			await new Promise<number>((resolve) =>
				server.getConnections((_error, count) => resolve(count)),
			),
		reset: () => {
			server.closeAllConnections();
			connections = 0;
		},
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

const answer = (_request: IncomingMessage, response: ServerResponse) => {
	response.writeHead(200, { 'content-type': 'application/json' });
	response.end('{"id":"1"}');
};

const probeNode: INodeType = {
	description: {
		displayName: 'Keep-Alive Probe',
		name: 'keepAliveProbe',
		group: ['transform'],
		version: 1,
		description: 'Bench only: sequential requests through n8n request helpers',
		defaults: { name: 'Keep-Alive Probe' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'metaBusinessAccessTokenApi', required: false }],
		properties: [
			{ displayName: 'URL', name: 'url', type: 'string', default: '' },
			{ displayName: 'Helper', name: 'helper', type: 'string', default: 'httpRequest' },
			{ displayName: 'Keep Alive', name: 'keepAlive', type: 'boolean', default: false },
			{ displayName: 'Requests', name: 'requests', type: 'number', default: 1 },
		],
	},
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const url = this.getNodeParameter('url', 0) as string;
		const helper = this.getNodeParameter('helper', 0) as string;
		const keepAlive = this.getNodeParameter('keepAlive', 0) as boolean;
		const requests = this.getNodeParameter('requests', 0) as number;
		let started = Date.now();
		for (let index = 0; index < requests; index++) {
			if (index === WARM_UP) started = Date.now();
			const options: IHttpRequestOptions = {
				method: 'GET',
				url: `${url}/v26.0/me`,
				json: true,
				skipSslCertificateValidation: true,
				...(keepAlive ? { agentOptions: { keepAlive: true } } : {}),
			};
			if (helper === 'httpRequest') await this.helpers.httpRequest(options);
			else
				await this.helpers.httpRequestWithAuthentication.call(
					this,
					'metaBusinessAccessTokenApi',
					options,
				);
		}
		return [[{ json: { ms: Date.now() - started } }]];
	},
};

async function viaNode(server: Counted, helper: string, keepAlive: boolean) {
	server.reset();
	const { outputs, error } = await executeNode({
		node: probeNode,
		parameters: { url: server.url, helper, keepAlive, requests: TOTAL },
		credentials: {
			metaBusinessAccessTokenApi: {
				accessToken: TOKEN,
				baseUrl: server.url,
				graphApiVersion: 'v26.0',
			},
		},
	});
	if (error) throw error;
	return {
		ms: Number(outputs[0][0].json.ms),
		connections: server.connections(),
		open: await server.open(),
	};
}

/** Node's own https client, either with one shared keep-alive agent (what reuse would cost) or a
 *  new agent per request (what n8n does), to isolate the cost of a connection and its handshake. */
async function viaNodeHttps(server: Counted, shared: boolean) {
	server.reset();
	const sharedAgent = new HttpsAgent({ keepAlive: true, maxSockets: 1, rejectUnauthorized: false });
	let started = Date.now();
	for (let index = 0; index < TOTAL; index++) {
		if (index === WARM_UP) started = Date.now();
		const agent = shared ? sharedAgent : new HttpsAgent({ rejectUnauthorized: false });
		await new Promise<void>((resolve, reject) => {
			const request = httpsRequest(`${server.url}/v26.0/me`, { agent }, (response) => {
				response.resume();
				response.on('end', resolve);
			});
			request.on('error', reject);
			request.end();
		});
	}
	const ms = Date.now() - started;
	const result = { ms, connections: server.connections(), open: await server.open() };
	sharedAgent.destroy();
	return result;
}

export const bench: Benchmark = {
	title: 'n8n request helpers: connection reuse (keep-alive)',
	async run(): Promise<BenchReport> {
		const certs = join(__dirname, '..', 'simulator', 'certs');
		const http = await listen(createHttpServer(answer), 'http');
		const https = await listen(
			createHttpsServer(
				{ cert: readFileSync(join(certs, 'cert.pem')), key: readFileSync(join(certs, 'key.pem')) },
				answer,
			),
			'https',
		);
		const rows: string[] = [];
		const results: Array<{
			scheme: string;
			helper: string;
			keepAlive: boolean;
			connections: number;
		}> = [];
		let tls = { perRequest: 0, fresh: 0, reused: 0 };
		try {
			for (const server of [http, https]) {
				const scheme = server === http ? 'http' : 'https';
				for (const helper of ['httpRequest', 'httpRequestWithAuthentication']) {
					for (const keepAlive of [false, true]) {
						const result = await viaNode(server, helper, keepAlive);
						results.push({ scheme, helper, keepAlive, connections: result.connections });
						rows.push(
							`| ${scheme} | \`this.helpers.${helper}\` | ${keepAlive ? '`agentOptions: { keepAlive: true }`' : 'as our nodes call it'} | ${TOTAL} | ${result.connections} | ${result.open} | ${(result.ms / REQUESTS).toFixed(2)} |`,
						);
						if (scheme === 'https' && helper === 'httpRequestWithAuthentication' && !keepAlive)
							tls.perRequest = result.ms / REQUESTS;
					}
				}
			}
			const fresh = await viaNodeHttps(https, false);
			const shared = await viaNodeHttps(https, true);
			tls = { ...tls, fresh: fresh.ms / REQUESTS, reused: shared.ms / REQUESTS };
			rows.push(
				`| https | Node's \`https.request\`, a new \`https.Agent\` per request (as n8n does, without n8n) | - | ${TOTAL} | ${fresh.connections} | ${fresh.open} | ${(fresh.ms / REQUESTS).toFixed(2)} |`,
				`| https | Node's \`https.request\`, one shared \`https.Agent({ keepAlive: true })\` (not available to a node) | - | ${TOTAL} | ${shared.connections} | ${shared.open} | ${(shared.ms / REQUESTS).toFixed(2)} |`,
			);
		} finally {
			await http.close();
			await https.close();
		}
		const reuse = results.filter((result) => result.connections < TOTAL);
		const markdown = [
			`A probe node (defined in the bench file) makes ${TOTAL} sequential GET requests (${WARM_UP} warm-up, then ${REQUESTS} timed) through n8n-core's request helpers to a local server on 127.0.0.1 that counts the TCP connections it accepts. "Open after" is the server's open connections once the run is over (idle sockets kept alive by nobody).`,
			'',
			'| Scheme | Helper | Request options | Requests | Connections opened | Open after | ms per request |',
			'|---|---|---|---|---|---|---|',
			...rows,
			'',
			`Why (n8n-core ${n8nCoreVersion()}, @n8n/backend-network ${backendNetworkVersion()}): \`this.helpers.httpRequest\` (\`getRequestHelperFunctions\` in \`n8n-core/dist/execution-engine/node-execution-context/utils/request-helpers/factory.js\`) and \`httpRequestWithAuthentication\` (\`request-helpers/authentication.js\`, after the credential's \`authenticate\`) both call \`Container.get(OutboundHttp).requests().request(options)\` in \`@n8n/backend-network/dist/http/outbound-http.js\`. That is \`httpRequest\` in \`http/axios/request.js\`, whose \`convertN8nRequestToAxios\` calls \`setAxiosAgents\` (\`http/axios/utils.js\`), which calls \`buildNodeAgents\` (\`http/node-agents.js\`) and so creates a NEW \`http.Agent\` and \`https.Agent\` (\`EnvProxyHttpAgent\`/\`EnvProxyHttpsAgent\` when no proxy is set) for every request. A connection pool lives in an agent, so no request can reuse an earlier request's connection (nor its TLS session): every Graph call opens a new TCP connection and, over https, does a full TLS handshake. \`IHttpRequestOptions\` (n8n-workflow) has no \`agent\` field; its only agent setting is \`agentOptions?: Omit<https.AgentOptions, 'socket' | 'lookup'>\`, passed to that new agent. \`agentOptions: { keepAlive: true }\` therefore does not reuse anything: the new agent keeps its socket idle after the answer, no later request uses that agent, and the socket stays open until the server closes it (the "Open after" column). The legacy \`this.helpers.request\` (\`proxyRequestToAxios\`, \`http/axios/legacy.js\`) builds its agents the same way.`,
			'',
			...(reuse.length > 0
				? [
						'',
						'**This run saw connection reuse: the reading of the n8n sources above no longer matches the installed version; look again.**',
					]
				: []),
			`Consequence: a node cannot ask n8n's helpers for keep-alive; reusing connections would take the node's own \`https.Agent\` and its own HTTP client, which a community node may not have: the \`no-restricted-imports\` rule of @n8n/eslint-plugin-community-nodes (\`dist/rules/no-restricted-imports.js\`) allows only n8n-workflow, lodash, moment, p-limit, luxon, zod and crypto, so \`https\` is refused, and going around the helpers would also bypass n8n's proxy settings, SSRF policy and credential \`authenticate\`. Over https on loopback this probe measured ${tls.perRequest.toFixed(2)} ms per sequential request through \`httpRequestWithAuthentication\`; without n8n, Node's own client took ${tls.fresh.toFixed(2)} ms per request with a new connection each time and ${tls.reused.toFixed(2)} ms over one reused connection (on loopback there is no network round trip, so these times are small and noisy on a shared 2-core machine; over a real network each new connection also costs a TCP round trip and a TLS handshake round trip before the request can be sent); the nodes stay on n8n's helpers, so the in-real-n8n comparison "with and without keep-alive" asked by issue 11 has no "with" to measure.`,
		].join('\n');
		return {
			markdown,
			goals: [
				{
					goal: 'Report whether n8n request helpers reuse connections',
					met: true,
					measured:
						reuse.length === 0
							? `no: ${TOTAL} requests opened ${TOTAL} connections in every helper/option combination`
							: `reuse seen in: ${reuse.map((result) => `${result.scheme} ${result.helper}${result.keepAlive ? ' keepAlive' : ''} (${result.connections})`).join(', ')}`,
				},
			],
		};
	},
};

function versionOf(packageJson: string): string {
	try {
		return (JSON.parse(readFileSync(require.resolve(packageJson), 'utf8')) as { version: string })
			.version;
	} catch {
		return '?';
	}
}

function n8nCoreVersion(): string {
	return versionOf('n8n-core/package.json');
}

function backendNetworkVersion(): string {
	const root = join(__dirname, '..', 'node_modules');
	for (const path of [
		join(root, '@n8n', 'backend-network'),
		join(root, 'n8n-core', 'node_modules', '@n8n', 'backend-network'),
	]) {
		const version = versionOf(join(path, 'package.json'));
		if (version !== '?') return version;
	}
	return '?';
}

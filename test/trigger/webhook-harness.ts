/**
 * Runs the Meta Trigger the way n8n's webhook server does, over real HTTP: a node:http server on
 * 127.0.0.1 reads each request's raw bytes into `req.rawBody` (as n8n's body parser does), builds
 * n8n-core's real WebhookContext around the request/response pair and calls the node's
 * `webhook()`. What it returns decides, as in n8n, whether an execution starts: the workflowData of
 * each call is recorded in `executions`. `hook()` runs webhookMethods through n8n-core's real
 * HookContext (real httpRequestWithAuthentication), with the production webhook URL pointing at
 * this server, so Meta's handshake on registration reaches the node too.
 *
 *   const trigger = await startTrigger({ parameters, credentials });
 *   await emitter.deliver(trigger.url, envelope);   // trigger.executions, trigger.logs
 *   await trigger.close();
 */
import '../helpers/env';

import { randomUUID } from 'crypto';
import { createServer } from 'http';
import type { IncomingMessage, Server, ServerResponse } from 'http';
import type { AddressInfo } from 'net';
import { Container } from '@n8n/di';
import { Logger } from '@n8n/backend-common';
import { HookContext, WebhookContext } from 'n8n-core';
import type {
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	IWebhookData,
	IWebhookResponseData,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';

import { MetaTrigger } from '../../nodes/Meta/Trigger/MetaTrigger.node';
import { buildAdditionalData } from '../helpers/additional-data';
import { CredentialTypeRegistry, HarnessCredentialsHelper } from '../helpers/credentials';
import type { CredentialsData } from '../helpers/credentials';

export interface LogLine {
	level: 'warn' | 'info' | 'error' | 'debug';
	message: string;
	meta?: unknown;
}

export interface StartTriggerOptions {
	parameters: INodeParameters;
	credentials: CredentialsData;
	/** Static data the node starts with (e.g. a previous activation's memory). */
	staticData?: IDataObject;
	/**
	 * How the raw bytes reach the node: `set` (req.rawBody already read, the default), `lazy` (only
	 * req.readRawBody(), as n8n's rawBodyReader middleware provides before a parser ran), `none`.
	 */
	rawBody?: 'set' | 'lazy' | 'none';
	/** The node instance (default: a new MetaTrigger; the bench passes one it loaded itself). */
	nodeType?: INodeType;
}

export interface TriggerHarness {
	/** The node's webhook URL on this server (the production URL n8n would show). */
	url: string;
	/** One entry per request that started an execution: the workflowData (outputs -> items). */
	executions: INodeExecutionData[][][];
	/** What the node logged through n8n's logger. */
	logs: LogLine[];
	/** Status codes answered, in order. */
	statuses: number[];
	staticData: IDataObject;
	hook(method: 'checkExists' | 'create' | 'delete'): Promise<boolean>;
	close(): Promise<void>;
}

class TriggerNodeTypes implements INodeTypes {
	constructor(private readonly nodeType: INodeType) {}
	getByName(): INodeType {
		return this.nodeType;
	}
	getByNameAndVersion(): INodeType {
		return this.nodeType;
	}
	getKnownTypes(): IDataObject {
		return {};
	}
}

type ShimResponse = ServerResponse & {
	status(code: number): ShimResponse;
	send(body: unknown): void;
};

/** The two express members nodes use on the response object. */
function expressLike(response: ServerResponse): ShimResponse {
	const shim = response as ShimResponse;
	shim.status = (code: number) => {
		response.statusCode = code;
		return shim;
	};
	shim.send = (body: unknown) => {
		response.end(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
	};
	return shim;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

let logSpiesInstalled = false;
const logSink: LogLine[][] = [];

function captureLogs(target: LogLine[]): void {
	logSink.push(target);
	if (logSpiesInstalled) return;
	logSpiesInstalled = true;
	const logger = Container.get(Logger);
	for (const level of ['warn', 'info', 'error', 'debug'] as const) {
		const original = logger[level].bind(logger);
		logger[level] = (message: string, meta?: unknown) => {
			for (const sink of logSink) sink.push({ level, message, meta });
			original(message, meta as never);
		};
	}
}

export async function startTrigger(options: StartTriggerOptions): Promise<TriggerHarness> {
	const nodeType = options.nodeType ?? new MetaTrigger();
	const nodeTypes = new TriggerNodeTypes(nodeType);
	const webhookId = randomUUID();
	const node: INode = {
		id: randomUUID(),
		name: 'Meta Trigger',
		type: 'n8n-nodes-meta-business.metaTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: options.parameters,
		webhookId,
		credentials: Object.fromEntries(
			Object.keys(options.credentials).map((name) => [name, { id: name, name }]),
		),
	};
	const staticData: IDataObject = options.staticData
		? { [`node:${node.name}`]: options.staticData }
		: {};
	const workflowData = {
		id: `trigger-${randomUUID()}`,
		name: 'Trigger workflow',
		active: true,
		isArchived: false,
		nodes: [node],
		connections: {},
		settings: { executionOrder: 'v1' },
		createdAt: new Date(),
		updatedAt: new Date(),
	} as IWorkflowBase;
	const workflow = new Workflow({
		id: workflowData.id,
		name: workflowData.name,
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes,
		staticData,
		settings: workflowData.settings,
	});
	// Resolved parameters, as n8n hands them to the node (defaults filled in).
	node.parameters =
		NodeHelpers.getNodeParameters(
			nodeType.description.properties,
			node.parameters,
			true,
			false,
			node,
			nodeType.description,
		) ?? {};
	const credentialsHelper = new HarnessCredentialsHelper(new CredentialTypeRegistry(), {
		...options.credentials,
	});
	const logs: LogLine[] = [];
	captureLogs(logs);
	const executions: INodeExecutionData[][][] = [];
	const statuses: number[] = [];

	const server: Server = createServer((request, response) => {
		void (async () => {
			const rawBody = await readBody(request);
			const url = new URL(request.url ?? '/', 'http://127.0.0.1');
			const req = request as IncomingMessage & IDataObject;
			const mode = options.rawBody ?? 'set';
			if (mode === 'set') req.rawBody = rawBody;
			if (mode === 'lazy') {
				req.readRawBody = async () => {
					req.rawBody = rawBody;
				};
			}
			req.query = Object.fromEntries(url.searchParams.entries());
			req.params = {};
			try {
				req.body = rawBody.length ? JSON.parse(rawBody.toString('utf8')) : {};
			} catch {
				req.body = {};
			}
			const res = expressLike(response);
			response.on('finish', () => statuses.push(response.statusCode));
			const additionalData = buildAdditionalData(
				credentialsHelper,
				workflowData,
				'webhook',
				randomUUID(),
			);
			Object.assign(additionalData, { httpRequest: req, httpResponse: res });
			const webhookData = {
				httpMethod: request.method,
				node: node.name,
				path: 'webhook',
				webhookDescription: nodeType.description.webhooks![0],
				workflowId: workflow.id,
				workflowExecuteAdditionalData: additionalData,
			} as unknown as IWebhookData;
			const context = new WebhookContext(
				workflow,
				node,
				additionalData,
				'webhook',
				webhookData,
				[],
				null,
			);
			let result: IWebhookResponseData;
			try {
				result = await nodeType.webhook!.call(context);
			} catch (error) {
				res.status(500).send(String((error as Error).message));
				return;
			}
			if (!result.noWebhookResponse) {
				// n8n answers for the node (responseMode onReceived).
				res.status(200).send(result.webhookResponse ?? { message: 'Workflow was started' });
			}
			if (result.workflowData) executions.push(result.workflowData);
		})();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	const hookAdditionalData = (): IWorkflowExecuteAdditionalData => {
		const data = buildAdditionalData(credentialsHelper, workflowData, 'trigger', randomUUID());
		return Object.assign(data, {
			webhookBaseUrl: `${base}/webhook`,
			webhookTestBaseUrl: `${base}/webhook-test`,
		});
	};
	const url = `${base}/webhook/${webhookId}/webhook`;
	return {
		url,
		executions,
		logs,
		statuses,
		get staticData() {
			return workflow.getStaticData('node', node);
		},
		async hook(method) {
			const context = new HookContext(workflow, node, hookAdditionalData(), 'trigger', 'activate');
			const methods = nodeType.webhookMethods!.default!;
			return await methods[method].call(context);
		},
		async close() {
			const index = logSink.indexOf(logs);
			if (index >= 0) logSink.splice(index, 1);
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

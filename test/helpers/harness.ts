/**
 * In-process n8n execution harness: runs OUR node classes through n8n-core's real WorkflowExecute,
 * real execution contexts and real HTTP helpers (axios inside n8n-core), so tests hit nock or the
 * Meta Graph simulator over real HTTP. Nothing here fakes a response.
 *
 * API
 * - executeNode({ node, parameters, items?, credentials?, settings?, name?, typeVersion? })
 *     -> { outputs: INodeExecutionData[][] (per output index), error?: the node's error, run: IRun,
 *          taskData, credentialsHelper }
 *   Builds `Input (harness emitter) -> <node>` and runs it. `items` default [{ json: {} }]; binary is
 *   allowed ({ binary: { data: { data: base64, mimeType, fileName } } } or use `binaryItem()`).
 *   `credentials`: { metaBusinessAccessTokenApi: { accessToken, baseUrl, graphApiVersion, appSecret } }.
 *   `settings`: { continueOnFail, onError: 'continueRegularOutput'|'continueErrorOutput'|'stopWorkflow',
 *   retryOnFail, maxTries, waitBetweenTries, alwaysOutputData, executeOnce }.
 *   A node error does NOT throw: it comes back in `error` (n8n's NodeApiError/NodeOperationError).
 * - runWorkflow(workflowJson, { credentials?, nodeTypes?, triggerItems?, credentialTypes? })
 *     -> { run: IRun, outputs: { [nodeName]: INodeExecutionData[][] } (last run of each node), error? }
 *   Our nodes are registered as bare name, `n8n-nodes-meta-business.<name>` and `CUSTOM.<name>`;
 *   `n8n-nodes-base.manualTrigger` (also scheduleTrigger, executeWorkflowTrigger) emit
 *   `triggerItems[nodeName]`, or the node parameter `jsonItems` (JSON array), or one empty item;
 *   `n8n-nodes-base.noOp` passes through. Other n8n-nodes-base types: pass them in `nodeTypes`.
 *   Every credential type given in `credentials` is attached to every node lacking it.
 * - callListSearch(NodeClass | node, 'methodName', { parameters?, credentials?, filter?, paginationToken? })
 *     -> INodeListSearchResult
 * - callLoadOptions(NodeClass | node, 'methodName', { parameters?, credentials? }) -> INodePropertyOptions[]
 *   Both use n8n-core's real LoadOptionsContext (real httpRequestWithAuthentication).
 * - testCredential('metaBusinessAccessTokenApi', data) -> { status: 'OK'|'Error', message, data }
 *   What the credential modal's Test button does: `test.request` through n8n-core's RoutingNode,
 *   then `test.rules` (responseCode / responseSuccessBody). preAuthentication always runs, as in n8n.
 * - binaryItem(buffer, { mimeType, fileName, json?, property? }) -> INodeExecutionData
 * - readBinary(outputItem.binary.data) -> Buffer (inline base64 or filesystem-stored)
 * - enableFilesystemBinaryData(): opt in to n8n-core's filesystem binary mode for this test file
 * - Credential classes are loaded by `name` from credentials/*.credentials.ts and
 *   test/helpers/fixtures/*.credentials.ts; OAuth2 types (extends oAuth2Api) go through n8n-core's
 *   requestOAuth2: pass { oauthTokenData: { access_token: 'x' }, baseUrl, ... }.
 *   Results carry `credentialsHelper` (its `log.updates`: token refreshes, preAuthentication writes);
 *   `lastCredentialsHelper()` returns the most recent one.
 *
 * Example
 *   const { outputs, error } = await executeNode({
 *     node: new InstagramPublish(),
 *     parameters: { authentication: 'accessToken', resource: 'media', operation: 'publish', ... },
 *     items: [{ json: { caption: 'hi' } }],
 *     credentials: { metaBusinessAccessTokenApi: { accessToken: 'EAAB', baseUrl: sim.url } },
 *     settings: { onError: 'continueRegularOutput' },
 *   });
 *   expect(outputs[0][0].json).toMatchObject({ id: expect.any(String) });
 *
 * Real n8n-core behaviours to know when writing nock/simulator expectations:
 * - httpRequestWithAuthentication re-sends a request ONCE after an HTTP 401 (its preAuthentication
 *   retry), for every credential type: a 401 mock must allow two calls (`.times(2)`).
 * - A request nock cannot match fails with a message that contains the request headers (the
 *   bearer token): secret-scan only errors produced by a matched (mocked) answer.
 * Retry-on-fail waits are real timers: pass `waitBetweenTries: 1` (n8n turns 0 into 1000 ms) and
 * `maxTries` 2..5 (n8n clamps it). n8n-core's `Container` is re-exported for advanced tests.
 */
import './env';

import { randomUUID } from 'crypto';
import { existsSync } from 'fs';
import { join, resolve } from 'path';
import { Container } from '@n8n/di';
import { BinaryDataService, LoadOptionsContext, WorkflowExecute } from 'n8n-core';
import type {
	IBinaryData,
	ICredentialType,
	IDataObject,
	IConnections,
	INode,
	INodeCredentials,
	INodeExecutionData,
	INodeListSearchResult,
	INodeParameters,
	INodePropertyOptions,
	INodeType,
	INodeTypes,
	INodeTypeDescription,
	IRun,
	ITaskData,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	IWorkflowSettings,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { NodeHelpers, Workflow, createRunExecutionData } from 'n8n-workflow';

import { buildAdditionalData } from './additional-data';
import {
	CredentialTypeRegistry,
	HarnessCredentialsHelper,
	type CredentialsData,
} from './credentials';
import {
	HARNESS_INPUT_TYPE,
	HARNESS_NOOP_TYPE,
	HARNESS_TRIGGER_TYPE,
	HarnessNoOp,
	createItemsEmitter,
} from './test-nodes';

export { HarnessCredentialsHelper, CredentialTypeRegistry } from './credentials';
export { testCredential, type CredentialTestResult } from './credential-test';
export type { CredentialsData } from './credentials';

export const PACKAGE_NAME = 'n8n-nodes-meta-business';
const REPO_ROOT = resolve(__dirname, '..', '..');

type AnyNodeType = INodeType | IVersionedNodeType;
type NodeClassOrInstance = AnyNodeType | (new () => AnyNodeType);

export interface NodeSettings {
	continueOnFail?: boolean;
	onError?: 'continueRegularOutput' | 'continueErrorOutput' | 'stopWorkflow';
	retryOnFail?: boolean;
	maxTries?: number;
	waitBetweenTries?: number;
	alwaysOutputData?: boolean;
	executeOnce?: boolean;
}

export interface ExecuteNodeOptions {
	node: NodeClassOrInstance;
	parameters?: INodeParameters;
	items?: INodeExecutionData[];
	credentials?: CredentialsData;
	settings?: NodeSettings;
	/** Node name in the workflow (default: the description's defaults.name or displayName). */
	name?: string;
	typeVersion?: number;
	/** Extra credential classes not in credentials/ or fixtures/. */
	credentialTypes?: ICredentialType[];
	mode?: WorkflowExecuteMode;
}

export interface ExecuteNodeResult {
	/** Output items per output index of the node's last run ([] when it produced none). */
	outputs: INodeExecutionData[][];
	/** The node's error, when it failed (and did not continue on fail). */
	error?: Error & IDataObject;
	run: IRun;
	taskData?: ITaskData;
	/** This run's credentials helper: `log.updates` (token refresh, preAuthentication), `data`. */
	credentialsHelper: HarnessCredentialsHelper;
}

let lastHelper: HarnessCredentialsHelper | undefined;
/** The credentials helper of the most recent run (see its `log.updates` and `data`). */
export function lastCredentialsHelper(): HarnessCredentialsHelper | undefined {
	return lastHelper;
}

function instantiate(node: NodeClassOrInstance): AnyNodeType {
	return typeof node === 'function' ? new node() : node;
}

function descriptionOf(nodeType: AnyNodeType) {
	return nodeType.description;
}

function latestVersion(nodeType: AnyNodeType): number {
	if ('nodeVersions' in nodeType) return nodeType.currentVersion;
	const version = nodeType.description.version;
	return Array.isArray(version) ? Math.max(...version) : version;
}

class HarnessNodeTypes implements INodeTypes {
	private readonly types = new Map<string, AnyNodeType>();

	register(name: string, nodeType: AnyNodeType): void {
		this.types.set(name, nodeType);
	}

	/** Registers a node of ours under its bare name, the package prefix and CUSTOM. */
	registerOurs(nodeType: AnyNodeType): void {
		const bare = descriptionOf(nodeType).name;
		this.register(bare, nodeType);
		this.register(`${PACKAGE_NAME}.${bare}`, nodeType);
		this.register(`CUSTOM.${bare}`, nodeType);
	}

	getByName(nodeType: string): AnyNodeType {
		const found = this.types.get(nodeType);
		if (!found) {
			throw new Error(
				`Harness: unknown node type "${nodeType}". Registered: ${[...this.types.keys()].join(', ')}`,
			);
		}
		return found;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

function attachCredentials(
	node: INode,
	nodeType: AnyNodeType | undefined,
	credentials: CredentialsData,
): void {
	const declared = nodeType
		? (NodeHelpers.getVersionedNodeType(nodeType, node.typeVersion).description.credentials ?? [])
		: [];
	const names = new Set<string>([...Object.keys(credentials), ...declared.map((c) => c.name)]);
	const attached: INodeCredentials = { ...(node.credentials ?? {}) };
	for (const name of names) {
		if (!credentials[name]) continue;
		attached[name] ??= { id: name, name };
	}
	node.credentials = attached;
}

interface PreparedRun {
	credentialsHelper: HarnessCredentialsHelper;
	workflow: Workflow;
	additionalData: IWorkflowExecuteAdditionalData;
	mode: WorkflowExecuteMode;
}

function prepare(
	workflowJson: {
		nodes: INode[];
		connections: IConnections;
		settings?: IWorkflowSettings;
		id?: string;
		name?: string;
	},
	nodeTypes: INodeTypes,
	credentials: CredentialsData,
	credentialTypes: ICredentialType[],
	mode: WorkflowExecuteMode,
): PreparedRun {
	const registry = new CredentialTypeRegistry(credentialTypes);
	const credentialsHelper = new HarnessCredentialsHelper(registry, { ...credentials });
	lastHelper = credentialsHelper;
	const nodes = workflowJson.nodes.map((node) => {
		const copy: INode = JSON.parse(JSON.stringify(node));
		copy.id ??= randomUUID();
		copy.position ??= [0, 0];
		copy.parameters ??= {};
		let nodeType: AnyNodeType | undefined;
		try {
			nodeType = nodeTypes.getByName(copy.type);
		} catch {
			nodeType = undefined;
		}
		attachCredentials(copy, nodeType, credentials);
		return copy;
	});
	const workflowData: IWorkflowBase = {
		id: workflowJson.id ?? `harness-${randomUUID()}`,
		name: workflowJson.name ?? 'Harness workflow',
		active: false,
		isArchived: false,
		nodes,
		connections: workflowJson.connections,
		settings: { executionOrder: 'v1', ...(workflowJson.settings ?? {}) },
		createdAt: new Date(),
		updatedAt: new Date(),
	} as IWorkflowBase;
	const workflow = new Workflow({
		id: workflowData.id,
		name: workflowData.name,
		nodes,
		connections: workflowJson.connections,
		active: false,
		nodeTypes,
		staticData: {},
		settings: workflowData.settings,
	});
	const additionalData = buildAdditionalData(credentialsHelper, workflowData, mode, randomUUID());
	return { credentialsHelper, workflow, additionalData, mode };
}

function findStartNode(workflow: Workflow, nodeTypes: INodeTypes): INode {
	const nodes = Object.values(workflow.nodes).filter((node) => !node.disabled);
	const hasIncoming = new Set<string>();
	for (const outputs of Object.values(workflow.connectionsBySourceNode)) {
		for (const connections of Object.values(outputs)) {
			for (const group of connections) for (const c of group ?? []) hasIncoming.add(c.node);
		}
	}
	const starts = nodes.filter((node) => {
		if (hasIncoming.has(node.name)) return false;
		try {
			const description = nodeTypes.getByNameAndVersion(node.type, node.typeVersion).description;
			return Array.isArray(description.inputs) ? description.inputs.length === 0 : false;
		} catch {
			return false;
		}
	});
	const start = starts[0] ?? nodes.find((node) => !hasIncoming.has(node.name));
	if (!start) throw new Error('Harness: workflow has no start node');
	return start;
}

async function execute(prepared: PreparedRun, startNode: INode): Promise<IRun> {
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{
					node: startNode,
					data: { main: [[{ json: {} }]] },
					source: null,
				},
			],
		},
	});
	const workflowExecute = new WorkflowExecute(
		prepared.additionalData,
		prepared.mode,
		runExecutionData,
	);
	return await workflowExecute.processRunExecutionData(prepared.workflow);
}

function outputsOf(taskData: ITaskData | undefined): INodeExecutionData[][] {
	const main = taskData?.data?.main ?? [];
	return main.map((output) => output ?? []);
}

function defaultNodeName(nodeType: AnyNodeType): string {
	const description = descriptionOf(nodeType) as INodeTypeDescription;
	return String(description.defaults?.name ?? description.displayName);
}

/** Runs one node of ours behind a harness input node, through a real WorkflowExecute run. */
export async function executeNode(options: ExecuteNodeOptions): Promise<ExecuteNodeResult> {
	const nodeType = instantiate(options.node);
	const nodeTypes = new HarnessNodeTypes();
	const inputName = 'Harness Input';
	nodeTypes.register(
		HARNESS_INPUT_TYPE,
		createItemsEmitter(HARNESS_INPUT_TYPE, {
			[inputName]: options.items ?? [{ json: {} }],
		}),
	);
	nodeTypes.registerOurs(nodeType);
	const name = options.name ?? defaultNodeName(nodeType);
	const typeName = `${PACKAGE_NAME}.${descriptionOf(nodeType).name}`;
	const settings = options.settings ?? {};
	const node: INode = {
		id: randomUUID(),
		name,
		type: typeName,
		typeVersion: options.typeVersion ?? latestVersion(nodeType),
		position: [200, 0],
		parameters: options.parameters ?? {},
		...(settings.continueOnFail !== undefined ? { continueOnFail: settings.continueOnFail } : {}),
		...(settings.onError ? { onError: settings.onError } : {}),
		...(settings.retryOnFail !== undefined ? { retryOnFail: settings.retryOnFail } : {}),
		...(settings.maxTries !== undefined ? { maxTries: settings.maxTries } : {}),
		...(settings.waitBetweenTries !== undefined
			? { waitBetweenTries: settings.waitBetweenTries }
			: {}),
		...(settings.alwaysOutputData !== undefined
			? { alwaysOutputData: settings.alwaysOutputData }
			: {}),
		...(settings.executeOnce !== undefined ? { executeOnce: settings.executeOnce } : {}),
	};
	const inputNode: INode = {
		id: randomUUID(),
		name: inputName,
		type: HARNESS_INPUT_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const prepared = prepare(
		{
			nodes: [inputNode, node],
			connections: { [inputName]: { main: [[{ node: name, type: 'main', index: 0 }]] } },
		},
		nodeTypes,
		options.credentials ?? {},
		options.credentialTypes ?? [],
		options.mode ?? 'manual',
	);
	const startNode = prepared.workflow.getNode(inputName)!;
	const run = await execute(prepared, startNode);
	const runs = run.data.resultData.runData[name] ?? [];
	const taskData = runs[runs.length - 1];
	const error = (taskData?.error ??
		(run.data.resultData.lastNodeExecuted === name ? run.data.resultData.error : undefined)) as
		(Error & IDataObject) | undefined;
	return {
		outputs: outputsOf(taskData),
		error,
		run,
		taskData,
		credentialsHelper: prepared.credentialsHelper,
	};
}

export interface RunWorkflowOptions {
	credentials?: CredentialsData;
	/** Extra node types by type name (e.g. a stand-in for an n8n-nodes-base node). */
	nodeTypes?: Record<string, NodeClassOrInstance>;
	/** Items the trigger/input node(s) emit, by node name. */
	triggerItems?: Record<string, INodeExecutionData[]>;
	credentialTypes?: ICredentialType[];
	/** Node to start at (default: the first node without inputs). */
	startNode?: string;
	mode?: WorkflowExecuteMode;
}

export interface RunWorkflowResult {
	run: IRun;
	/** Output items per node (last run), per output index. */
	outputs: Record<string, INodeExecutionData[][]>;
	/** The execution's error (first failing node), if any. */
	error?: Error & IDataObject;
	credentialsHelper: HarnessCredentialsHelper;
}

/** Our node classes, loaded lazily from the TS sources listed in package.json's n8n block. */
export function loadOurNodeTypes(): AnyNodeType[] {
	const packageJson = require(join(REPO_ROOT, 'package.json')) as { n8n: { nodes: string[] } };
	const found: AnyNodeType[] = [];
	for (const distPath of packageJson.n8n.nodes) {
		// Explicit .ts: an extensionless `X.node` resolves to the codex `X.node.json` under tsx.
		const source = join(REPO_ROOT, distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
		// Nodes still being written are skipped here; test/package reports them as missing.
		if (!existsSync(source)) continue;
		const moduleExports = require(source) as Record<string, unknown>;
		for (const exported of Object.values(moduleExports)) {
			if (typeof exported !== 'function') continue;
			const instance = new (exported as new () => AnyNodeType)();
			if (instance?.description?.name) found.push(instance);
		}
	}
	return found;
}

/** The node types runWorkflow resolves against (exported so tests can check registrations). */
export function createWorkflowNodeTypes(
	options: Pick<RunWorkflowOptions, 'nodeTypes' | 'triggerItems'> = {},
): INodeTypes {
	const nodeTypes = new HarnessNodeTypes();
	const trigger = createItemsEmitter(HARNESS_TRIGGER_TYPE, options.triggerItems ?? {});
	nodeTypes.register(HARNESS_TRIGGER_TYPE, trigger);
	for (const alias of [
		'n8n-nodes-base.manualTrigger',
		'n8n-nodes-base.scheduleTrigger',
		'n8n-nodes-base.executeWorkflowTrigger',
	]) {
		nodeTypes.register(alias, trigger);
	}
	nodeTypes.register(HARNESS_INPUT_TYPE, trigger);
	const noOp = new HarnessNoOp();
	nodeTypes.register(HARNESS_NOOP_TYPE, noOp);
	nodeTypes.register('n8n-nodes-base.noOp', noOp);
	for (const nodeType of loadOurNodeTypes()) nodeTypes.registerOurs(nodeType);
	for (const [name, nodeType] of Object.entries(options.nodeTypes ?? {})) {
		nodeTypes.register(name, instantiate(nodeType));
	}
	return nodeTypes;
}

/** Runs a whole workflow (as n8n exports it) in process. */
export async function runWorkflow(
	workflowJson: {
		nodes: INode[];
		connections: IConnections;
		settings?: IWorkflowSettings;
		id?: string;
		name?: string;
	},
	options: RunWorkflowOptions = {},
): Promise<RunWorkflowResult> {
	const nodeTypes = createWorkflowNodeTypes(options);
	const prepared = prepare(
		workflowJson,
		nodeTypes,
		options.credentials ?? {},
		options.credentialTypes ?? [],
		options.mode ?? 'manual',
	);
	const startNode = options.startNode
		? prepared.workflow.getNode(options.startNode)
		: findStartNode(prepared.workflow, nodeTypes);
	if (!startNode) throw new Error(`Harness: start node "${options.startNode}" not found`);
	const run = await execute(prepared, startNode);
	const outputs: Record<string, INodeExecutionData[][]> = {};
	for (const [nodeName, runs] of Object.entries(run.data.resultData.runData)) {
		outputs[nodeName] = outputsOf(runs[runs.length - 1]);
	}
	return {
		run,
		outputs,
		error: run.data.resultData.error as (Error & IDataObject) | undefined,
		credentialsHelper: prepared.credentialsHelper,
	};
}

interface MethodCallOptions {
	parameters?: INodeParameters;
	credentials?: CredentialsData;
	credentialTypes?: ICredentialType[];
	typeVersion?: number;
}

function loadOptionsContext(nodeClass: NodeClassOrInstance, options: MethodCallOptions) {
	const nodeType = instantiate(nodeClass);
	const versioned = NodeHelpers.getVersionedNodeType(
		nodeType,
		options.typeVersion ?? latestVersion(nodeType),
	);
	const nodeTypes = new HarnessNodeTypes();
	nodeTypes.registerOurs(nodeType);
	const name = defaultNodeName(nodeType);
	const node: INode = {
		id: randomUUID(),
		name,
		type: `${PACKAGE_NAME}.${versioned.description.name}`,
		typeVersion: options.typeVersion ?? latestVersion(nodeType),
		position: [0, 0],
		parameters: options.parameters ?? {},
	};
	const prepared = prepare(
		{ nodes: [node], connections: {} },
		nodeTypes,
		options.credentials ?? {},
		options.credentialTypes ?? [],
		'internal',
	);
	const workflowNode = prepared.workflow.getNode(name)!;
	// Like the editor, which sends every parameter with its default filled in.
	prepared.additionalData.currentNodeParameters = workflowNode.parameters;
	const context = new LoadOptionsContext(
		prepared.workflow,
		workflowNode,
		prepared.additionalData,
		'parameters',
	);
	return { context, versioned };
}

/** Calls `methods.listSearch[methodName]` with n8n-core's real LoadOptionsContext. */
export async function callListSearch(
	nodeClass: NodeClassOrInstance,
	methodName: string,
	options: MethodCallOptions & { filter?: string; paginationToken?: string } = {},
): Promise<INodeListSearchResult> {
	const { context, versioned } = loadOptionsContext(nodeClass, options);
	const method = versioned.methods?.listSearch?.[methodName];
	if (!method) throw new Error(`Harness: node has no listSearch method "${methodName}"`);
	return await method.call(context, options.filter, options.paginationToken);
}

/** Calls `methods.loadOptions[methodName]` with n8n-core's real LoadOptionsContext. */
export async function callLoadOptions(
	nodeClass: NodeClassOrInstance,
	methodName: string,
	options: MethodCallOptions = {},
): Promise<INodePropertyOptions[]> {
	const { context, versioned } = loadOptionsContext(nodeClass, options);
	const method = versioned.methods?.loadOptions?.[methodName];
	if (!method) throw new Error(`Harness: node has no loadOptions method "${methodName}"`);
	return await method.call(context);
}

/** An input item carrying a binary property (default property name `data`). */
export function binaryItem(
	content: Buffer | string,
	options: { mimeType: string; fileName?: string; json?: IDataObject; property?: string },
): INodeExecutionData {
	const buffer = Buffer.isBuffer(content) ? content : Buffer.from(content);
	const extension = options.fileName?.split('.').pop();
	return {
		json: options.json ?? {},
		binary: {
			[options.property ?? 'data']: {
				data: buffer.toString('base64'),
				mimeType: options.mimeType,
				...(options.fileName ? { fileName: options.fileName } : {}),
				...(extension ? { fileExtension: extension } : {}),
				fileSize: String(buffer.length),
			},
		},
	};
}

let filesystemBinaryData: Promise<void> | undefined;

/**
 * Switches n8n-core's BinaryDataService (a per-test-file singleton) to filesystem mode in the
 * harness temp dir, like a default n8n 2.x instance: prepareBinaryData then returns
 * `{ id: 'filesystem-v2:...' }` references instead of inline base64. Without this call binary
 * data stays inline (n8n's in-memory behaviour). Read outputs with `readBinary`.
 */
export async function enableFilesystemBinaryData(): Promise<void> {
	filesystemBinaryData ??= Container.get(BinaryDataService).init();
	await filesystemBinaryData;
}

/** The bytes of an output binary property, inline (base64) or stored (filesystem mode). */
export async function readBinary(binaryData: IBinaryData): Promise<Buffer> {
	return await Container.get(BinaryDataService).getAsBuffer(binaryData);
}

/** DI container n8n-core resolves its services from (exposed for advanced tests). */
export { Container };

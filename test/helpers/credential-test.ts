/**
 * `testCredential(type, data)`: what n8n's "Test" button in the credential modal does (packages/cli
 * CredentialsTester), in process: the credential's `test.request` runs through n8n-core's real
 * RoutingNode (expressions on `$credentials`, the credential's authenticate, preAuthentication
 * forced as in a credential test), then `test.rules` turn a failure into the modal's message.
 */
import { randomUUID } from 'crypto';
import { ExecuteContext, RoutingNode } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialType,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IVersionedNodeType,
	IWorkflowBase,
} from 'n8n-workflow';
import { Workflow, createRunExecutionData } from 'n8n-workflow';

import { buildAdditionalData } from './additional-data';
import { CredentialTypeRegistry, HarnessCredentialsHelper } from './credentials';

/** n8n names the temporary node of a credential test like this; preAuthentication keys on it. */
export const CREDENTIAL_TEST_NODE_TYPE = 'n8n-nodes-base.noOp';

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
	/** The credential data after the test (e.g. preAuthentication results written back). */
	data: ICredentialDataDecryptedObject;
}

export async function testCredential(
	typeName: string,
	data: ICredentialDataDecryptedObject,
	options: { credentialTypes?: ICredentialType[] } = {},
): Promise<CredentialTestResult> {
	const registry = new CredentialTypeRegistry(options.credentialTypes ?? []);
	const credentialType = registry.get(typeName);
	const testRequest = credentialType.test;
	if (!testRequest?.request) {
		throw new Error(`Harness: credential type "${typeName}" has no test request`);
	}
	const helper = new HarnessCredentialsHelper(registry, { [typeName]: { ...data } });
	const nodeType: INodeType = {
		description: {
			displayName: 'Temp Node',
			name: CREDENTIAL_TEST_NODE_TYPE,
			group: ['transform'],
			version: 1,
			description: 'Credential test',
			defaults: { name: 'Temp-Node' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: typeName, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: testRequest.request },
					default: '',
				},
			],
		},
	};
	const nodeTypes: INodeTypes = {
		getByName: () => nodeType as INodeType | IVersionedNodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	const node: INode = {
		id: randomUUID(),
		name: 'Temp-Node',
		type: CREDENTIAL_TEST_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { temp: '' },
		credentials: { [typeName]: { id: typeName, name: typeName } },
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes,
	});
	const decrypted: ICredentialsDecrypted = {
		id: typeName,
		name: typeName,
		type: typeName,
		data: await helper.getDecrypted(
			{} as never,
			{ id: typeName, name: typeName },
			typeName,
			'internal',
		),
	};
	const workflowData = {
		id: 'credential-test',
		name: 'Credential test',
		nodes: [node],
		connections: {},
	};
	const additionalData = buildAdditionalData(
		helper,
		workflowData as unknown as IWorkflowBase,
		'internal',
		randomUUID(),
	);
	const inputData = { main: [[{ json: {} }] as INodeExecutionData[]] };
	const workflowNode = workflow.getNode('Temp-Node')!;
	const context = new ExecuteContext(
		workflow,
		workflowNode,
		additionalData,
		'internal',
		createRunExecutionData(),
		0,
		[],
		inputData,
		{ node: workflowNode, data: inputData, source: null },
		[],
	);
	const routingNode = new RoutingNode(context, nodeType, decrypted);
	let response: INodeExecutionData[][] | undefined;
	try {
		response = await routingNode.runNode();
	} catch (error) {
		const failure = error as IDataObject & { cause?: IDataObject; message: string };
		const httpCode = String(
			failure.httpCode ?? (failure.cause as IDataObject | undefined)?.httpCode ?? '',
		);
		for (const rule of testRequest.rules ?? []) {
			if (rule.type === 'responseCode' && httpCode === String(rule.properties.value)) {
				return { status: 'Error', message: rule.properties.message, data: decrypted.data ?? {} };
			}
		}
		const code = String((failure.cause as IDataObject | undefined)?.code ?? failure.code ?? '');
		if (code === 'ECONNREFUSED') {
			return { status: 'Error', message: 'Connection refused', data: decrypted.data ?? {} };
		}
		return { status: 'Error', message: failure.message, data: decrypted.data ?? {} };
	}
	for (const rule of testRequest.rules ?? []) {
		if (rule.type === 'responseSuccessBody') {
			const body = response?.[0]?.[0]?.json ?? {};
			const value = String(rule.properties.key)
				.split('.')
				.reduce<unknown>((acc, key) => (acc as IDataObject | undefined)?.[key], body);
			if (value === rule.properties.value) {
				return { status: 'Error', message: rule.properties.message, data: decrypted.data ?? {} };
			}
		}
	}
	return { status: 'OK', message: 'Connection successful!', data: decrypted.data ?? {} };
}

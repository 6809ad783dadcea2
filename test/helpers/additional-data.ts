/**
 * The IWorkflowExecuteAdditionalData a harness run hands to n8n-core: our credentials helper,
 * lifecycle hooks, and stubs for what an in-process run does not offer (sub-workflows, runners).
 */
import { ExecutionLifecycleHooks } from 'n8n-core';
import type {
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import type { HarnessCredentialsHelper } from './credentials';

export function buildAdditionalData(
	credentialsHelper: HarnessCredentialsHelper,
	workflowData: IWorkflowBase,
	mode: WorkflowExecuteMode,
	executionId: string,
): IWorkflowExecuteAdditionalData {
	const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
	const unsupported = (what: string) => async () => {
		throw new Error(`Harness: ${what} is not supported in-process`);
	};
	return {
		credentialsHelper,
		hooks,
		executionId,
		executeWorkflow: unsupported('executeWorkflow'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		formBaseUrl: 'http://localhost:5678/form',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		formTestBaseUrl: 'http://localhost:5678/form-test',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		mcpBaseUrl: 'http://localhost:5678/mcp',
		mcpTestBaseUrl: 'http://localhost:5678/mcp-test',
		variables: {},
		logAiEvent: () => {},
		startRunnerTask: unsupported('startRunnerTask'),
		userId: 'harness-user',
		workflowId: workflowData.id,
	} as unknown as IWorkflowExecuteAdditionalData;
}

import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { getOperation, runPerItem } from '../../shared/execute';
import type { ItemOperation } from '../../shared/execute';
import * as onboarding from './onboarding';

const operations = {
	completeSignup: onboarding.completeSignup,
	getOnboardingStatus: onboarding.getOnboardingStatus,
	getSharedAccounts: onboarding.getSharedAccounts,
	registerPhoneNumber: onboarding.registerPhoneNumber,
	requestCode: onboarding.requestCode,
	setTwoStepPin: onboarding.setTwoStepPin,
	subscribeApp: onboarding.subscribeApp,
	verifyCode: onboarding.verifyCode,
} satisfies Record<string, ItemOperation>;

/** Runs the chosen onboarding operation for every input item (the shared runner). */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const { execute } = getOperation.call<
		IExecuteFunctions,
		[Readonly<Record<string, ItemOperation>>, unknown],
		ItemOperation
	>(this, operations, this.getNodeParameter('operation', 0));
	return [await runPerItem.call(this, execute)];
}

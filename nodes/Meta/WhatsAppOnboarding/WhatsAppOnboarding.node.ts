import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	NodeConnectionType,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as onboarding from './actions/onboarding';
import { router } from './actions/router';

/**
 * WhatsApp Business onboarding ("Model B"): the server-side steps after a customer finishes
 * Embedded Signup with their own WhatsApp Business Account. The credential is the partner's own
 * System User token (with the app secret); customers' business tokens are never kept.
 */
export class WhatsAppOnboarding implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WhatsApp Business Onboarding',
		name: 'whatsAppOnboarding',
		icon: {
			light: 'file:../../../icons/whatsapp.svg',
			dark: 'file:../../../icons/whatsapp.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ { completeSignup: "Complete Signup", getOnboardingStatus: "Get Onboarding Status", getSharedAccounts: "Get Shared Accounts", registerPhoneNumber: "Register Phone Number", requestCode: "Request Verification Code", setTwoStepPin: "Set Two-Step PIN", subscribeApp: "Subscribe App", verifyCode: "Verify Code" }[$parameter["operation"]] }}',
		description:
			"Onboard a customer's own WhatsApp Business Account after Embedded Signup: code exchange, webhooks, number registration and status",
		defaults: {
			name: 'WhatsApp Business Onboarding',
		},
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main] as NodeConnectionType[],
		outputs: [NodeConnectionTypes.Main] as NodeConnectionType[],
		credentials: [
			{
				name: 'metaBusinessAccessTokenApi',
				required: true,
			},
		],
		properties: [
			{
				displayName:
					"Use a credential holding your own System User token and your app's App Secret: the System User is assigned to each customer's account, so this one credential serves every customer.",
				name: 'credentialNotice',
				type: 'notice',
				default: '',
			},
			onboarding.operationField,
			...onboarding.fields,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}

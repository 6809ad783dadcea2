/**
 * The node's parameters, read and checked once per call in the webhook and hook contexts (which
 * have no item index: the checks report item 1).
 */
import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

import {
	expectList,
	expectNumber,
	expectObject,
	expectText,
	expectBoolean,
} from '../../shared/parameters';
import { META_CREDENTIAL_TYPES } from '../../shared/transport';
import type { MetaAuthentication } from '../../shared/transport';
import type { Selection, TriggerEvent } from './events';
import { MESSAGE_STATUSES, TRIGGER_EVENTS } from './events';

type TriggerFunctions = IWebhookFunctions | IHookFunctions;

function parameter(this: TriggerFunctions, name: string, fallback: unknown): unknown {
	return this.getNodeParameter(name, fallback);
}

function idList(this: TriggerFunctions, value: unknown, label: string): Set<string> {
	const text = expectText(this.getNode(), value ?? '', { label, itemIndex: 0 });
	return new Set(
		text
			.split(/[\s,;]+/)
			.map((id) => id.trim())
			.filter(Boolean),
	);
}

function optionList(
	this: TriggerFunctions,
	value: unknown,
	label: string,
	allowed?: readonly string[],
): Set<string> {
	const list = expectList(this.getNode(), value ?? [], { label, itemIndex: 0 });
	const result = new Set<string>();
	for (const entry of list) {
		const text = expectText(this.getNode(), entry, { label, itemIndex: 0 }, { required: true });
		if (allowed && !allowed.includes(text)) continue;
		result.add(text);
	}
	return result;
}

export interface TriggerOptions {
	emitRejected: boolean;
	duplicateWindowMinutes: number;
	downloadMedia: boolean;
}

export function readOptions(this: TriggerFunctions): TriggerOptions {
	const options = expectObject(this.getNode(), parameter.call(this, 'options', {}), {
		label: 'Options',
		itemIndex: 0,
	});
	return {
		emitRejected: expectBoolean(this.getNode(), options.emitRejected ?? false, {
			label: 'Emit Rejected Deliveries',
			itemIndex: 0,
		}),
		duplicateWindowMinutes:
			expectNumber(
				this.getNode(),
				options.duplicateWindowMinutes ?? 60,
				{
					label: 'Drop Duplicates Within (Minutes)',
					itemIndex: 0,
				},
				{ min: 0 },
			) ?? 60,
		downloadMedia: expectBoolean(this.getNode(), options.downloadMedia ?? false, {
			label: 'Download Media',
			itemIndex: 0,
		}),
	};
}

/**
 * A workflow registered for one number (or account) takes only that number's events even when
 * the Filters are empty: with several workflows on one app, each gets its own.
 */
function registeredScope(this: TriggerFunctions): { phoneNumberId?: string; wabaId?: string } {
	const registration = parameter.call(this, 'registration', 'none');
	const value = (name: string): string | undefined => {
		const raw = this.getNodeParameter(name, '', { extractValue: true });
		return typeof raw === 'string' && raw.trim() ? raw.trim() : undefined;
	};
	if (registration === 'phoneNumberOverride') return { phoneNumberId: value('phoneNumberId') };
	if (registration === 'whatsAppBusinessAccountOverride') return { wabaId: value('wabaId') };
	return {};
}

function orRegistered(filter: Set<string>, registered: string | undefined): Set<string> {
	return filter.size === 0 && registered ? new Set([registered]) : filter;
}

export function readSelection(this: TriggerFunctions): Selection {
	const filters = expectObject(this.getNode(), parameter.call(this, 'filters', {}), {
		label: 'Filters',
		itemIndex: 0,
	});
	const options = expectObject(this.getNode(), parameter.call(this, 'options', {}), {
		label: 'Options',
		itemIndex: 0,
	});
	const registered = registeredScope.call(this);
	const events = optionList.call(
		this,
		parameter.call(this, 'events', []),
		'Events',
		TRIGGER_EVENTS,
	) as Set<TriggerEvent>;
	return {
		events,
		statuses: events.has('whatsappStatuses')
			? optionList.call(
					this,
					parameter.call(this, 'statuses', ['failed']),
					'Statuses',
					MESSAGE_STATUSES,
				)
			: new Set(),
		phoneNumberIds: orRegistered(
			idList.call(this, filters.phoneNumberIds, 'Phone Number IDs'),
			registered.phoneNumberId,
		),
		whatsAppBusinessAccountIds: orRegistered(
			idList.call(this, filters.whatsAppBusinessAccountIds, 'WhatsApp Business Account IDs'),
			registered.wabaId,
		),
		instagramAccountIds: idList.call(this, filters.instagramAccountIds, 'Instagram Account IDs'),
		messageTypes: optionList.call(this, filters.messageTypes, 'Message Types'),
		includeRaw: expectBoolean(this.getNode(), options.includeRawValue ?? false, {
			label: 'Include Raw Value',
			itemIndex: 0,
		}),
	};
}

export function readVerifyToken(this: TriggerFunctions): string {
	return expectText(this.getNode(), parameter.call(this, 'verifyToken', ''), {
		label: 'Verify Token',
		itemIndex: 0,
	});
}

/**
 * The secret Meta signs deliveries with: the App Secret of the Access Token credential, the Client
 * Secret of the Facebook Login credential (the same app secret), or the Instagram App Secret.
 */
export async function readAppSecret(this: TriggerFunctions): Promise<string> {
	const authentication = String(
		parameter.call(this, 'authentication', 'accessToken'),
	) as MetaAuthentication;
	const type = META_CREDENTIAL_TYPES[authentication] ?? META_CREDENTIAL_TYPES.accessToken;
	const credentials = (await this.getCredentials(type)) as IDataObject;
	const secret =
		type === META_CREDENTIAL_TYPES.accessToken ? credentials.appSecret : credentials.clientSecret;
	return typeof secret === 'string' ? secret.trim() : '';
}

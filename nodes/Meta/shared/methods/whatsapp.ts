/**
 * List searches for the WhatsApp pickers: WhatsApp Business Accounts, business phone numbers and
 * approved message templates. Shared by WhatsApp Send and Meta Asset Check.
 */
import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import { encodeTemplateKey } from '../descriptions/template';
import { toNodeApiError } from '../errors';
import { graphRequest, graphRequestAllItems, resolveCredential } from '../transport';

export interface WhatsAppBusinessAccountSummary {
	id: string;
	name: string;
	businessId?: string;
	businessName?: string;
	/**
	 * `owned` or `client` (shared with the business by another one), or `granted`: found in the
	 * token's granular scopes (Embedded Signup / Facebook Login for Business tokens often lack
	 * business_management and see their WABAs only this way).
	 */
	relation: 'owned' | 'client' | 'granted';
}

export interface PhoneNumberSummary {
	id: string;
	display_phone_number?: string;
	verified_name?: string;
	quality_rating?: string;
	status?: string;
	code_verification_status?: string;
	name_status?: string;
	platform_type?: string;
	throughput?: { level?: string };
	whatsapp_business_manager_messaging_limit?: string;
}

/** Fields every phone-number read asks for (the picker's label and Asset Check's checks). */
export const PHONE_NUMBER_FIELDS = [
	'id',
	'display_phone_number',
	'verified_name',
	'quality_rating',
	'status',
	'code_verification_status',
	'name_status',
	'platform_type',
	'throughput',
].join(',');

function matches(filter: string | undefined, ...values: Array<string | undefined>): boolean {
	if (!filter) return true;
	const needle = filter.toLowerCase().replace(/[\s\-()+]/g, '');
	return values.some((value) =>
		String(value ?? '')
			.toLowerCase()
			.replace(/[\s\-()+]/g, '')
			.includes(needle),
	);
}

/** Reads a resource locator parameter of the node being edited, '' when unset. */
export function currentLocatorValue(this: ILoadOptionsFunctions, name: string): string {
	try {
		const value = this.getCurrentNodeParameter(name, { extractValue: true });
		if (value && typeof value === 'object') {
			return String((value as IDataObject).value ?? '').trim();
		}
		return String(value ?? '').trim();
	} catch {
		return '';
	}
}

async function wabasFromBusinesses(
	this: ILoadOptionsFunctions,
): Promise<WhatsAppBusinessAccountSummary[]> {
	const businesses = await graphRequestAllItems.call(this, {
		method: 'GET',
		path: '/me/businesses',
		qs: {
			fields:
				'id,name,owned_whatsapp_business_accounts.limit(100){id,name},client_whatsapp_business_accounts.limit(100){id,name}',
		},
	});
	const found = new Map<string, WhatsAppBusinessAccountSummary>();
	for (const business of businesses as IDataObject[]) {
		for (const relation of ['owned', 'client'] as const) {
			const edge = business[`${relation}_whatsapp_business_accounts`] as IDataObject | undefined;
			for (const waba of (edge?.data as IDataObject[] | undefined) ?? []) {
				const id = String(waba.id);
				if (found.has(id)) continue;
				found.set(id, {
					id,
					name: String(waba.name ?? id),
					businessId: String(business.id),
					businessName: business.name as string | undefined,
					relation,
				});
			}
		}
	}
	return [...found.values()];
}

/** WABA ids in the token's granular WhatsApp scopes (`debug_token`: https://developers.facebook.com/docs/graph-api/reference/debug_token). */
async function wabasFromTokenGrants(
	this: ILoadOptionsFunctions,
): Promise<WhatsAppBusinessAccountSummary[]> {
	const { accessToken } = await resolveCredential.call(this);
	if (!accessToken) return [];
	const debug = (await graphRequest.call(this, {
		method: 'GET',
		path: '/debug_token',
		qs: { input_token: accessToken },
	})) as { data?: { granular_scopes?: Array<{ scope?: string; target_ids?: string[] }> } };
	const ids = new Set<string>();
	for (const grant of debug.data?.granular_scopes ?? []) {
		if (!String(grant.scope).startsWith('whatsapp_business_')) continue;
		for (const id of grant.target_ids ?? []) ids.add(String(id));
	}
	const found: WhatsAppBusinessAccountSummary[] = [];
	for (const id of ids) {
		const waba = (await graphRequest.call(this, {
			method: 'GET',
			path: `/${id}`,
			qs: { fields: 'id,name' },
		})) as IDataObject;
		found.push({ id, name: String(waba.name ?? id), relation: 'granted' });
	}
	return found;
}

/**
 * Every WhatsApp Business Account the token reaches: through its business portfolios
 * (`/me/businesses` -> owned and client WABAs, needs business_management), else through the
 * WABAs its WhatsApp permissions were granted for.
 */
export async function listWhatsAppBusinessAccounts(
	this: ILoadOptionsFunctions,
): Promise<WhatsAppBusinessAccountSummary[]> {
	let portfolioError: unknown;
	try {
		const fromBusinesses = await wabasFromBusinesses.call(this);
		if (fromBusinesses.length > 0) return fromBusinesses;
	} catch (error) {
		portfolioError = error;
	}
	let grantError: unknown;
	try {
		const granted = await wabasFromTokenGrants.call(this);
		if (granted.length > 0 || !portfolioError) return granted;
	} catch (error) {
		grantError = error;
	}
	// The portfolio error names the missing permission (business_management), the clearer fix.
	throw toNodeApiError(this.getNode(), portfolioError ?? grantError);
}

export async function searchWhatsAppBusinessAccounts(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const wabas = await listWhatsAppBusinessAccounts.call(this);
	const results: INodeListSearchItems[] = wabas
		.filter((waba) => matches(filter, waba.name, waba.id, waba.businessName))
		.map((waba) => ({
			name: `${waba.name} (${waba.id})`,
			value: waba.id,
			description:
				waba.relation === 'granted'
					? 'Granted to this token'
					: waba.businessName
						? `${waba.relation === 'owned' ? 'Owned by' : 'Shared with'} ${waba.businessName}`
						: undefined,
			url: `https://business.facebook.com/wa/manage/home/?waba_id=${waba.id}`,
		}));
	return { results };
}

/** The phone numbers of one WhatsApp Business Account. */
export async function listPhoneNumbers(
	this: ILoadOptionsFunctions,
	wabaId: string,
): Promise<PhoneNumberSummary[]> {
	return (await graphRequestAllItems.call(this, {
		method: 'GET',
		path: `/${wabaId}/phone_numbers`,
		qs: { fields: PHONE_NUMBER_FIELDS },
	})) as unknown as PhoneNumberSummary[];
}

/** "+1 555-078-3881 · Lucky Shrub · quality GREEN · CONNECTED" */
export function describePhoneNumber(phone: PhoneNumberSummary): string {
	const parts = [phone.display_phone_number ?? phone.id];
	if (phone.verified_name) parts.push(phone.verified_name);
	parts.push(`quality ${phone.quality_rating ?? 'UNKNOWN'}`);
	parts.push(phone.status ?? 'UNKNOWN');
	return parts.join(' · ');
}

/**
 * Phone numbers of the selected WhatsApp Business Account (parameter `wabaId`), or of every
 * account the token reaches when none is selected.
 */
export async function searchPhoneNumbers(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const selected = currentLocatorValue.call(this, 'wabaId');
	const wabaIds = selected
		? [selected]
		: (await listWhatsAppBusinessAccounts.call(this)).map((waba) => waba.id);
	const results: INodeListSearchItems[] = [];
	for (const wabaId of wabaIds) {
		const phones = await listPhoneNumbers.call(this, wabaId);
		for (const phone of phones) {
			if (!matches(filter, phone.display_phone_number, phone.verified_name, phone.id)) continue;
			results.push({
				name: describePhoneNumber(phone),
				value: phone.id,
				description: `Phone Number ID ${phone.id}, WhatsApp Business Account ${wabaId}`,
			});
		}
	}
	return { results };
}

export interface TemplateDefinition {
	id?: string;
	name: string;
	language: string;
	status: string;
	category?: string;
	parameter_format?: 'POSITIONAL' | 'NAMED';
	components?: IDataObject[];
}

/** Approved templates of a WABA whose name contains `filter`. */
export async function searchTemplates(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const wabaId = currentLocatorValue.call(this, 'wabaId');
	if (!wabaId) {
		return {
			results: [
				{
					name: 'Select a WhatsApp Business Account First',
					value: '',
				},
			],
		};
	}
	const qs: IDataObject = {
		fields: 'name,language,status,category',
		status: 'APPROVED',
		limit: 100,
	};
	if (filter) qs.name = filter;
	if (paginationToken) qs.after = paginationToken;
	const page = (await graphRequest.call(this, {
		method: 'GET',
		path: `/${wabaId}/message_templates`,
		qs,
	})) as { data?: TemplateDefinition[]; paging?: { next?: string; cursors?: { after?: string } } };
	const results: INodeListSearchItems[] = (page.data ?? [])
		.filter((template) => template.status === 'APPROVED')
		.map((template) => ({
			name: `${template.name} (${template.language})`,
			value: encodeTemplateKey(template.name, template.language),
			description: template.category,
			url: `https://business.facebook.com/wa/manage/message-templates/?waba_id=${wabaId}`,
		}));
	return {
		results,
		paginationToken: page.paging?.next ? page.paging.cursors?.after : undefined,
	};
}

export const whatsAppListSearch = {
	searchWhatsAppBusinessAccounts,
	searchPhoneNumbers,
	searchTemplates,
};

import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { getMetaErrorInfo, toNodeApiError } from '../errors';
import { getCredentialType, graphRequest, META_CREDENTIAL_TYPES } from '../transport';

interface PageWithInstagram {
	id: string;
	name?: string;
	instagram_business_account?: { id: string; username?: string; name?: string };
}

function matchesFilter(filter: string | undefined, ...values: Array<string | undefined>): boolean {
	if (!filter) return true;
	const needle = filter.toLowerCase();
	return values.some((value) => value?.toLowerCase().includes(needle));
}

/**
 * Instagram accounts the credential can publish to. Facebook Login: the accounts linked to the
 * user's Pages (`/me/accounts`), shown with their Page. Instagram Login: the token's own account.
 */
export async function searchInstagramAccounts(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	if (getCredentialType.call(this) === META_CREDENTIAL_TYPES.instagramLogin) {
		const me = (await graphRequest.call(this, {
			method: 'GET',
			path: '/me',
			qs: { fields: 'user_id,username,account_type' },
		})) as IDataObject;
		const id = String(me.user_id ?? me.id);
		const username = String(me.username ?? id);
		return {
			results: matchesFilter(filter, username, id)
				? [
						{
							name: `@${username} (Instagram Login)`,
							value: id,
							url: `https://www.instagram.com/${username}/`,
						},
					]
				: [],
		};
	}
	let page: {
		data?: PageWithInstagram[];
		paging?: { next?: string; cursors?: { after?: string } };
	};
	try {
		page = (await graphRequest.call(this, {
			method: 'GET',
			path: '/me/accounts',
			qs: {
				fields: 'id,name,instagram_business_account{id,username,name}',
				limit: 100,
				...(paginationToken ? { after: paginationToken } : {}),
			},
		})) as typeof page;
	} catch (error) {
		// A Page token is the Page itself (`/me` is the Page, it has no `accounts` edge): its own
		// linked account is the only one it can publish to.
		if (getMetaErrorInfo(error)?.code !== 100) throw toNodeApiError(this.getNode(), error);
		const self = (await graphRequest.call(this, {
			method: 'GET',
			path: '/me',
			qs: { fields: 'id,name,instagram_business_account{id,username,name}' },
		})) as PageWithInstagram;
		page = { data: [self] };
	}
	const pages = page.data ?? [];
	const results: INodeListSearchItems[] = [];
	for (const fbPage of pages) {
		const account = fbPage.instagram_business_account;
		if (!account) continue;
		const username = account.username ?? account.id;
		if (!matchesFilter(filter, username, account.name, fbPage.name, account.id)) continue;
		results.push({
			name: `@${username} (Page: ${fbPage.name ?? fbPage.id})`,
			value: account.id,
			url: `https://www.instagram.com/${username}/`,
		});
	}
	const nextToken = page.paging?.next ? page.paging.cursors?.after : undefined;
	if (results.length === 0 && !filter && !paginationToken && !nextToken) {
		throw new NodeOperationError(
			this.getNode(),
			pages.length === 0
				? 'This credential sees no Facebook Page, so no Instagram account can be listed'
				: `None of your ${pages.length} Facebook Page(s) has a linked Instagram professional account`,
			{
				description:
					pages.length === 0
						? 'Grant the pages_show_list permission and select your Pages when you connect, or use Instagram Login, or enter the account ID'
						: 'Link the Instagram Business or Creator account to a Facebook Page (Instagram app: Settings > Account type and tools), then grant instagram_basic when you connect',
			},
		);
	}
	return { results, paginationToken: nextToken };
}

/** Facebook Pages the user manages (`/me/accounts`). Page tokens are never put in the list. */
export async function searchPages(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const page = (await graphRequest.call(this, {
		method: 'GET',
		path: '/me/accounts',
		qs: {
			fields: 'id,name,category',
			limit: 100,
			...(paginationToken ? { after: paginationToken } : {}),
		},
	})) as {
		data?: Array<{ id: string; name?: string; category?: string }>;
		paging?: { next?: string; cursors?: { after?: string } };
	};
	const results: INodeListSearchItems[] = (page.data ?? [])
		.filter((fbPage) => matchesFilter(filter, fbPage.name, fbPage.id))
		.map((fbPage) => ({
			name: fbPage.category
				? `${fbPage.name ?? fbPage.id} (${fbPage.category})`
				: (fbPage.name ?? fbPage.id),
			value: fbPage.id,
			url: `https://www.facebook.com/${fbPage.id}`,
		}));
	return { results, paginationToken: page.paging?.next ? page.paging.cursors?.after : undefined };
}

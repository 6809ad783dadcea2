/**
 * Credential types and a credentials helper that behave like n8n's (packages/cli
 * CredentialsHelper) for in-process runs: test data instead of the database, the credential
 * class's own `authenticate` (generic with `={{$credentials.x}}` expressions, or a function),
 * `preAuthentication` for `typeOptions.expirable` properties, and the `extends` chain so
 * n8n-core routes OAuth2 types through its real `requestOAuth2`.
 */
import { readdirSync } from 'fs';
import { join, resolve } from 'path';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	ICredentials,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeProperties,
	IRequestOptionsSimplified,
	IWorkflowExecuteAdditionalData,
	Workflow,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { ICredentialsHelper } from 'n8n-workflow';

const REPO_ROOT = resolve(__dirname, '..', '..');

/** Minimal equivalent of n8n-nodes-base's `oAuth2Api` (the parent of every OAuth2 type). */
export class OAuth2ApiBase implements ICredentialType {
	name = 'oAuth2Api';
	displayName = 'OAuth2 API';
	properties: INodeProperties[] = [
		{ displayName: 'Grant Type', name: 'grantType', type: 'hidden', default: 'authorizationCode' },
		{ displayName: 'Authorization URL', name: 'authUrl', type: 'string', default: '' },
		{ displayName: 'Access Token URL', name: 'accessTokenUrl', type: 'string', default: '' },
		{ displayName: 'Client ID', name: 'clientId', type: 'string', default: '' },
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{ displayName: 'Scope', name: 'scope', type: 'string', default: '' },
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'string',
			default: '',
		},
		{ displayName: 'Authentication', name: 'authentication', type: 'hidden', default: 'header' },
	];
}

function instantiateExports(moduleExports: Record<string, unknown>): ICredentialType[] {
	const found: ICredentialType[] = [];
	for (const exported of Object.values(moduleExports)) {
		if (typeof exported !== 'function') continue;
		try {
			const instance = new (exported as new () => ICredentialType)();
			if (instance && typeof instance.name === 'string' && Array.isArray(instance.properties)) {
				found.push(instance);
			}
		} catch {
			// not a credential class
		}
	}
	return found;
}

/** Files that failed to load, by file name (shown when an unknown type is requested). */
export const credentialLoadErrors = new Map<string, Error>();

/** Every `*.credentials.ts` in the given directories (default: repo `credentials/` + fixtures). */
export function loadCredentialTypesFrom(directories: string[]): ICredentialType[] {
	const types: ICredentialType[] = [];
	for (const directory of directories) {
		let files: string[] = [];
		try {
			files = readdirSync(directory).filter((file) => file.endsWith('.credentials.ts'));
		} catch {
			continue;
		}
		for (const file of files) {
			try {
				types.push(...instantiateExports(require(join(directory, file))));
			} catch (error) {
				// One broken credential file (someone mid-edit) must not break every other test;
				// the failure is reported when that type is actually requested.
				credentialLoadErrors.set(file, error as Error);
			}
		}
	}
	return types;
}

export class CredentialTypeRegistry {
	private readonly types = new Map<string, ICredentialType>();

	constructor(extra: ICredentialType[] = []) {
		this.add(new OAuth2ApiBase());
		for (const type of loadCredentialTypesFrom([
			join(REPO_ROOT, 'credentials'),
			join(__dirname, 'fixtures'),
		])) {
			this.add(type);
		}
		for (const type of extra) this.add(type);
	}

	add(type: ICredentialType): void {
		this.types.set(type.name, type);
	}

	get(name: string): ICredentialType {
		const type = this.types.get(name);
		if (!type) {
			const loadErrors = [...credentialLoadErrors.entries()]
				.map(([file, error]) => `\n  ${file} failed to load: ${error.message}`)
				.join('');
			throw new Error(
				`Harness: unknown credential type "${name}". Known: ${[...this.types.keys()].join(', ')}${loadErrors}`,
			);
		}
		return type;
	}

	has(name: string): boolean {
		return this.types.has(name);
	}

	/** The `extends` chain, nearest parent first (what n8n's getParentTypes returns). */
	getParentTypes(name: string): string[] {
		const type = this.types.get(name);
		if (!type?.extends) return [];
		const parents: string[] = [];
		for (const parent of type.extends) {
			parents.push(parent, ...this.getParentTypes(parent));
		}
		return parents;
	}

	/** Own properties plus inherited ones (own win), like n8n's getCredentialsProperties. */
	getProperties(name: string): INodeProperties[] {
		const type = this.get(name);
		const byName = new Map<string, INodeProperties>();
		for (const parent of type.extends ?? []) {
			for (const property of this.getProperties(parent)) byName.set(property.name, property);
		}
		for (const property of type.properties) byName.set(property.name, property);
		return [...byName.values()];
	}
}

export type CredentialsData = Record<string, ICredentialDataDecryptedObject>;

/** What the harness records, so tests can assert on token refreshes and similar. */
export interface CredentialsHelperLog {
	updates: Array<{ type: string; data: ICredentialDataDecryptedObject }>;
}

export class HarnessCredentialsHelper extends ICredentialsHelper {
	readonly log: CredentialsHelperLog = { updates: [] };

	constructor(
		readonly registry: CredentialTypeRegistry,
		readonly data: CredentialsData,
	) {
		super();
	}

	getParentTypes(name: string): string[] {
		return this.registry.getParentTypes(name);
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	private resolveValue(
		value: unknown,
		credentials: ICredentialDataDecryptedObject,
		workflow?: Workflow,
		node?: INode,
	): unknown {
		if (typeof value !== 'string' || !value.startsWith('=')) return value;
		if (workflow && node) {
			return workflow.expression.getSimpleParameterValue(
				node,
				value,
				'internal',
				{ $credentials: credentials } as never,
				undefined,
				'',
			);
		}
		// No workflow (should not happen through n8n-core): resolve plain `$credentials.x` paths.
		return value
			.slice(1)
			.replace(/\{\{\s*\$credentials\.([\w.]+)\s*\}\}/g, (_m, path: string) =>
				String(
					path.split('.').reduce<unknown>((acc, key) => (acc as IDataObject)?.[key], credentials) ??
						'',
				),
			);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incomingRequestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incomingRequestOptions as IHttpRequestOptions & IDataObject;
		const credentialType = this.registry.get(typeName);
		const { authenticate } = credentialType;
		if (typeof authenticate === 'function') {
			// Called on the instance, as n8n does, so class methods may use `this`.
			return await authenticate.call(credentialType, credentials, requestOptions);
		}
		if (typeof authenticate === 'object' && authenticate.type === 'generic') {
			requestOptions.headers ??= {};
			for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
				for (const [key, value] of Object.entries(outerValue as IDataObject)) {
					const resolvedKey = String(this.resolveValue(key, credentials, workflow, node));
					const resolvedValue = this.resolveValue(value, credentials, workflow, node);
					const target = ((requestOptions as IDataObject)[outerKey] ??= {}) as IDataObject;
					target[resolvedKey] = resolvedValue as never;
				}
			}
		}
		return requestOptions;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.registry.get(typeName);
		const expirable = this.registry
			.getProperties(typeName)
			.find((property) => property.type === 'hidden' && property.typeOptions?.expirable === true);
		if (!expirable || !credentialType.preAuthentication) return undefined;
		// n8n's credential test (temp noOp node with parameter `temp`) always pre-authenticates.
		const isTestingCredentials =
			node?.parameters?.temp === '' && node?.type === 'n8n-nodes-base.noOp';
		if (
			credentials[expirable.name] === '' ||
			credentials[expirable.name] === undefined ||
			credentialsExpired ||
			isTestingCredentials
		) {
			const output = await credentialType.preAuthentication.call(helpers, credentials);
			if (output[expirable.name] === undefined) return undefined;
			const updated = { ...credentials, ...output } as ICredentialDataDecryptedObject;
			await this.updateCredentials({ id: typeName, name: typeName }, typeName, updated);
			return updated;
		}
		return undefined;
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.registry.get(typeName);
		if (!credentialType.preAuthentication) return undefined;
		const output = await credentialType.preAuthentication.call(helpers, credentials);
		return { ...credentials, ...output } as ICredentialDataDecryptedObject;
	}

	async getCredentials(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentials> {
		const data = this.getData(type);
		return {
			id: type,
			name: type,
			type,
			getData: () => data,
			getDataKey: (key: string) => data[key],
			getDataToSave: () => ({ id: type, name: type, type, data: JSON.stringify(data) }),
			hasDataKey: (key: string) => key in data,
			setData: (newData: ICredentialDataDecryptedObject) => {
				this.data[type] = newData;
			},
		} as unknown as ICredentials;
	}

	private getData(type: string): ICredentialDataDecryptedObject {
		const data = this.data[type];
		if (!data) {
			throw new Error(
				`Harness: no test data for credential type "${type}" (pass credentials: { ${type}: {...} })`,
			);
		}
		const withDefaults: ICredentialDataDecryptedObject = {};
		if (this.registry.has(type)) {
			for (const property of this.registry.getProperties(type)) {
				if (property.default !== undefined && property.type !== 'notice') {
					withDefaults[property.name] = property.default as never;
				}
			}
		}
		return { ...withDefaults, ...data };
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		_mode: WorkflowExecuteMode,
	): Promise<ICredentialDataDecryptedObject> {
		// A fresh copy per call, as n8n decrypts anew each time.
		return JSON.parse(JSON.stringify(this.getData(type)));
	}

	async updateCredentials(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.data[type] = { ...data };
		this.log.updates.push({ type, data: { ...data } });
	}

	async updateCredentialsOauthTokenData(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		await this.updateCredentials(nodeCredentials, type, data);
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.registry.getProperties(type);
	}
}

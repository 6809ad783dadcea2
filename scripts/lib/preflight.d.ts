/** Types of preflight.js (plain JavaScript so start.sh can run it before `npm ci`). */
export declare class PreflightError extends Error {}
export interface PortEntry {
	port: number;
	role: string;
	variable:
		'N8N_PORT' | 'N8N_RUNNERS_BROKER_PORT' | 'META_SIMULATOR_PORT' | 'META_SIMULATOR_FIXTURES_PORT';
}
export interface DemoPorts {
	n8n: number;
	broker: number;
	simulator: number;
	fixtures: number;
}
export interface PreflightResult {
	scenario: string;
	help: boolean;
	plan: PortEntry[];
	ports: DemoPorts;
}
export declare const USAGE: string;
export declare function scenarioNames(): string[];
export declare function parseArgs(argv: string[]): { scenario: string; help: boolean };
export declare function portPlan(env?: NodeJS.ProcessEnv): PortEntry[];
export declare function checkPorts(plan: PortEntry[]): Promise<void>;
export declare function checkFirstRunNeeds(env?: NodeJS.ProcessEnv): void;
export declare function preflight(
	argv?: string[],
	env?: NodeJS.ProcessEnv,
): Promise<PreflightResult>;
export declare function describePlan(result: PreflightResult): string;

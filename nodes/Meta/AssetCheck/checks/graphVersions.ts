/**
 * Graph API versions and the dates Meta stops serving them, as Meta's changelog publishes them
 * (https://developers.facebook.com/docs/graph-api/changelog, read 1 Dec 2026). "Each version is
 * guaranteed to operate for at least two years"; once a version is no longer usable, calls to it
 * are silently served by the next oldest usable version
 * (https://developers.facebook.com/docs/graph-api/guides/versioning). Update this table when Meta
 * publishes a new version or an end date.
 */
export interface GraphVersionEntry {
	version: string;
	released: string;
	/** ISO date the version stops working; null while Meta says "TBD". */
	availableUntil: string | null;
}

export const GRAPH_API_VERSIONS: readonly GraphVersionEntry[] = [
	// Released 4 Nov 2026; the changelog copy read did not show its label.
	{ version: 'v27.0', released: '2026-11-04', availableUntil: null },
	{ version: 'v26.0', released: '2026-07-29', availableUntil: null },
	{ version: 'v25.0', released: '2026-02-18', availableUntil: '2028-07-29' },
	{ version: 'v24.0', released: '2025-10-08', availableUntil: '2028-02-18' },
	{ version: 'v23.0', released: '2025-05-29', availableUntil: '2027-10-08' },
	{ version: 'v22.0', released: '2025-01-21', availableUntil: '2027-05-20' },
	{ version: 'v21.0', released: '2024-10-02', availableUntil: '2027-01-21' },
	{ version: 'v20.0', released: '2024-05-21', availableUntil: '2026-09-24' },
	{ version: 'v19.0', released: '2024-01-23', availableUntil: '2026-05-21' },
];

/** Every version older than the oldest row had stopped working when the table was written. */
const OLDEST_LISTED = 19;

export type VersionState =
	| { kind: 'current'; entry: GraphVersionEntry }
	| { kind: 'expiring'; entry: GraphVersionEntry; daysLeft: number }
	| { kind: 'expired'; entry?: GraphVersionEntry; version: string }
	| { kind: 'unknown'; version: string };

function majorOf(version: string): number | undefined {
	const match = /^v(\d+)\.\d+$/.exec(version.trim());
	return match ? Number(match[1]) : undefined;
}

/** Where `version` stands at `nowSeconds`, warning `warningDays` before its end. */
export function graphVersionState(
	version: string,
	nowSeconds: number,
	warningDays: number,
): VersionState {
	const entry = GRAPH_API_VERSIONS.find((row) => row.version === version.trim());
	if (!entry) {
		const major = majorOf(version);
		if (major !== undefined && major < OLDEST_LISTED) return { kind: 'expired', version };
		return { kind: 'unknown', version };
	}
	if (!entry.availableUntil) return { kind: 'current', entry };
	const until = Date.parse(`${entry.availableUntil}T00:00:00Z`) / 1000;
	if (until <= nowSeconds) return { kind: 'expired', entry, version: entry.version };
	const daysLeft = Math.ceil((until - nowSeconds) / 86400);
	if (daysLeft <= warningDays) return { kind: 'expiring', entry, daysLeft };
	return { kind: 'current', entry };
}

/** The newest version Meta still serves without a published end date, for fix texts. */
export function newestVersion(): string {
	return GRAPH_API_VERSIONS[1].version;
}

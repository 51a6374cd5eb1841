// Command-line options of the dev scripts and benchmarks: `--name value` or `--name=value`, flags.

export interface CliArgs {
	/** the value of `--name value` or `--name=value`, undefined when absent */
	value(name: string): string | undefined;
	/** whether `--name` is given */
	flag(name: string): boolean;
	/** a number option; throws unless finite and >= `min` (default: greater than 0) */
	num(name: string, fallback: number, min?: number): number;
	/** a comma-separated option, trimmed, empty entries dropped */
	list(name: string, fallback: string): string[];
}

export function cliArgs(argv: string[]): CliArgs {
	const value = (name: string): string | undefined => {
		const index = argv.indexOf(`--${name}`);
		if (index >= 0) return argv[index + 1];
		return argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
	};
	return {
		value,
		flag: (name) => argv.includes(`--${name}`),
		num: (name, fallback, min) => {
			const raw = value(name);
			const parsed = raw === undefined ? fallback : Number(raw);
			const ok = Number.isFinite(parsed) && (min === undefined ? parsed > 0 : parsed >= min);
			if (!ok)
				throw new Error(
					`--${name} must be a number ${min === undefined ? 'greater than 0' : `>= ${min}`}`,
				);
			return parsed;
		},
		list: (name, fallback) =>
			(value(name) ?? fallback)
				.split(',')
				.map((entry) => entry.trim())
				.filter(Boolean),
	};
}

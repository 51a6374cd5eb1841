// Shared by the validators: every violation is collected first, then reported in one 400.
import { ApiError, ErrorDetail } from '../util';

/** Throws one 400 ValidationFailed listing every violation with its Target, if there are any. */
export function failIfAny(errs: ErrorDetail[], what: string): void {
	if (errs.length)
		throw new ApiError(
			400,
			'ValidationFailed',
			`${what} is not valid: ${errs.map((e) => `${e.Target}: ${e.Message}`).join('; ')}`,
			errs,
		);
}

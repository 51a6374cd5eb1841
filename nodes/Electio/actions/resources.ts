import { allocation } from './allocation';
import { consignment } from './consignment';
import { customsDocument } from './customsDocument';
import { label } from './label';
import { manifest } from './manifest';
import { quote } from './quote';
import { tracking } from './tracking';

/** Every resource of the Electio node, keyed by its value: the node's one operation registry. */
export const resources = {
	allocation,
	consignment,
	customsDocument,
	label,
	manifest,
	quote,
	tracking,
} as const;

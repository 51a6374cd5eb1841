// The Electio node as a tool of n8n's AI Agent (examples/ai-agent-tool.json), checked with n8n's own
// code and no language model: the real n8n 2.41.1 install's convertNodeToAiTool makes the
// `electioTool` node type (as n8n does for every `usableAsTool` node), its n8n-core's
// createNodeAsTool wraps the example's tool node the way the AI Agent receives it, and LangChain's
// convertToOpenAITool (the same install) gives the function definition a chat model is sent. The
// tool call the agent would make then runs the node against the sandbox.
import { createRequire } from 'node:module';
import * as path from 'node:path';

import type { IDataObject, INode, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { loadElectioNode, PACKAGE_NAME, useElectio } from '../../harness/electio';
import { readExample } from '../../harness/package';
import { ensureN8n } from '../../harness/real-n8n';

const h = useElectio({ seed: 3 });

interface N8nToolCode {
	convertNodeToAiTool(item: { description: INodeTypeDescription }): {
		description: INodeTypeDescription;
	};
	createNodeAsTool(options: {
		node: INode;
		nodeType: INodeType;
		handleToolInvocation: (args: IDataObject) => Promise<unknown>;
	}): { response: any };
	convertToOpenAITool(tool: unknown): {
		type: string;
		function: { name: string; description: string; parameters: any };
	};
	deepCopy<T>(value: T): T;
}

let n8n: N8nToolCode;

beforeAll(async () => {
	// the default n8n line (2.41.1): its tool generation lives in n8n/dist/tool-generation
	const runtime = await ensureN8n('default');
	const fromN8n = createRequire(path.join(runtime.home, 'node_modules', 'n8n', 'package.json'));
	const fromCore = createRequire(fromN8n.resolve('n8n-core/package.json'));
	n8n = {
		convertNodeToAiTool: fromN8n('n8n/dist/tool-generation/ai-tools').convertNodeToAiTool,
		createNodeAsTool: fromCore(
			'./dist/execution-engine/node-execution-context/utils/create-node-as-tool',
		).createNodeAsTool,
		convertToOpenAITool: fromCore('@langchain/core/utils/function_calling').convertToOpenAITool,
		deepCopy: fromN8n('n8n-workflow').deepCopy,
	};
}, 20 * 60_000);

const example = readExample('ai-agent-tool.json');
const toolNode = (example.nodes as INode[]).find(
	(node) => node.type === `${PACKAGE_NAME}.electioTool`,
)!;

/** The tool node type n8n makes from the Electio node (n8n: createAiTools on load). */
function electioToolType(): INodeType {
	const node = loadElectioNode() as INodeType;
	expect(node.description.usableAsTool).toBe(true);
	const { description } = n8n.convertNodeToAiTool({ description: n8n.deepCopy(node.description) });
	return { ...node, description } as INodeType;
}

test('the example wires an Electio tool node into the AI Agent', () => {
	expect(toolNode).toBeDefined();
	expect(example.connections[toolNode.name]).toEqual({
		ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]],
	});
	const agent = (example.nodes as INode[]).find((node) => node.name === 'AI Agent')!;
	expect(agent.type).toBe('@n8n/n8n-nodes-langchain.agent');
	// the model fills only the reference; the operation is fixed to reading quotes
	expect(toolNode.parameters).toMatchObject({ resource: 'quote', operation: 'getForConsignment' });
	const fromAi = Object.entries(toolNode.parameters).filter(
		([, value]) => typeof value === 'string' && value.includes('$fromAI('),
	);
	expect(fromAi.map(([name]) => name)).toEqual(['consignmentReference']);
});

test("n8n's tool type for the node has the example's parameters", () => {
	const type = electioToolType();
	expect(type.description.name).toBe('electioTool');
	expect(type.description.outputs).toEqual(['ai_tool']);
	const names = new Set(type.description.properties.map((property) => property.name));
	for (const parameter of Object.keys(toolNode.parameters)) expect(names).toContain(parameter);
});

test('the tool the agent sees: its name, description and argument schema', () => {
	const calls: IDataObject[] = [];
	const { response: tool } = n8n.createNodeAsTool({
		node: toolNode,
		nodeType: electioToolType(),
		handleToolInvocation: async (args) => {
			calls.push(args);
			return 'ok';
		},
	});
	const definition = n8n.convertToOpenAITool(tool);
	expect(definition.type).toBe('function');
	expect(definition.function.name).toBe('Electio_quotes');
	expect(definition.function.description).toBe(toolNode.parameters.toolDescription);
	expect(definition.function.parameters).toMatchObject({
		type: 'object',
		properties: {
			consignmentReference: {
				type: 'string',
				description: 'The Electio consignment reference, like EC-000-000-001',
			},
		},
		required: ['consignmentReference'],
	});
	expect(Object.keys(definition.function.parameters.properties)).toEqual(['consignmentReference']);
});

test('a call the agent makes reaches the node; a malformed one is refused before it', async () => {
	const [reference] = await h.created(1, { country: 'FR' });
	const calls: IDataObject[] = [];
	const { response: tool } = n8n.createNodeAsTool({
		node: toolNode,
		nodeType: electioToolType(),
		// n8n runs the tool node with the model's arguments in place of its $fromAI() expressions
		handleToolInvocation: async (args) => {
			calls.push(args);
			// the tool's own description parameters are not the node's
			const { descriptionType, toolDescription, ...parameters } = toolNode.parameters;
			void descriptionType;
			void toolDescription;
			const { items, error } = await h.electio(
				{ ...(parameters as IDataObject), consignmentReference: args.consignmentReference },
				[{}],
			);
			if (error) throw error;
			return JSON.stringify(items.map((item) => item.json));
		},
	});

	await expect(tool.invoke({ reference })).rejects.toThrow(/schema|consignmentReference/i);
	expect(calls).toEqual([]);

	const answer = JSON.parse(await tool.invoke({ consignmentReference: reference }));
	expect(calls).toEqual([{ consignmentReference: reference }]);
	expect(answer).toHaveLength(1);
	const { cheapest, quotes } = answer[0];
	expect(answer[0].consignmentReference).toBe(reference);
	expect(quotes.length).toBeGreaterThan(1);
	expect(cheapest.priceGross).toBe(Math.min(...quotes.map((quote: any) => quote.Price.Gross)));
	expect(cheapest).toMatchObject({ carrier: expect.any(String), currency: expect.any(String) });
});
